#include "lucidpp/nn/forward_hook.hpp"

#include <utility>

namespace lucid::nn {

namespace {
thread_local ForwardHook current_hook;
}

ForwardHookGuard::ForwardHookGuard(ForwardHook hook)
    : previous_(std::exchange(current_hook, std::move(hook))) {}

ForwardHookGuard::~ForwardHookGuard() {
    current_hook = std::move(previous_);
}

bool forward_hook_set() {
    return static_cast<bool>(current_hook);
}

void report_forward(const Module& module, const std::vector<Tensor>& outputs) {
    if (!current_hook) return;
    std::vector<Tensor> defined;
    for (const Tensor& output : outputs) {
        if (output.defined()) defined.push_back(output);
    }
    current_hook(module, defined);
}

}  // namespace lucid::nn
