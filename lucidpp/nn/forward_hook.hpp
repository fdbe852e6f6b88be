#pragma once
// The forward hook nn::summary listens on: PyTorch's register_forward_hook, reduced to what
// lucidpp uses it for. There is one hook per thread, for every module, set for a scope by
// ForwardHookGuard. A layer's call operator (UnaryModule's, the cells', RNNBase::run) reports its
// outputs with report_forward(); with no hook set, that costs one test of a thread_local.
#include <functional>
#include <vector>

#include "lucidpp/tensor/tensor.hpp"

namespace lucid::nn {

class Module;

using ForwardHook = std::function<void(const Module& module, const std::vector<Tensor>& outputs)>;

// Sets `hook` on this thread while it lives; the previous hook is back after it.
class ForwardHookGuard {
public:
    explicit ForwardHookGuard(ForwardHook hook);
    ~ForwardHookGuard();
    ForwardHookGuard(const ForwardHookGuard&) = delete;
    ForwardHookGuard& operator=(const ForwardHookGuard&) = delete;

private:
    ForwardHook previous_;
};

bool forward_hook_set();
// Calls the hook, if one is set, with `module` and its outputs (undefined tensors left out).
void report_forward(const Module& module, const std::vector<Tensor>& outputs);

}  // namespace lucid::nn
