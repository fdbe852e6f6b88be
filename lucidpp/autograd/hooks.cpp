#include "lucidpp/autograd/hooks.hpp"

#include <algorithm>
#include <atomic>
#include <utility>

namespace lucid::autograd {

namespace {
std::atomic<std::int64_t> hook_count{0};
std::atomic<std::uint64_t> next_id{1};
}  // namespace

RemovableHandle::RemovableHandle(std::weak_ptr<TensorImpl> leaf, std::uint64_t id)
    : leaf_(std::move(leaf)), id_(id) {}

RemovableHandle::RemovableHandle(RemovableHandle&& other) noexcept
    : leaf_(std::move(other.leaf_)), id_(std::exchange(other.id_, 0)) {}

RemovableHandle& RemovableHandle::operator=(RemovableHandle&& other) noexcept {
    if (this != &other) {
        remove();
        leaf_ = std::move(other.leaf_);
        id_ = std::exchange(other.id_, 0);
    }
    return *this;
}

void RemovableHandle::remove() {
    if (id_ == 0) return;
    if (auto leaf = leaf_.lock(); leaf && leaf->hooks) {
        auto& hooks = leaf->hooks->post_accumulate_grad;
        std::erase_if(hooks, [&](const auto& entry) { return entry.first == id_; });
    }
    --hook_count;
    id_ = 0;
}

RemovableHandle register_post_accumulate_grad_hook(const Tensor& leaf,
                                                   PostAccumulateGradHook hook) {
    check(leaf.is_leaf() && leaf.requires_grad(),
          "register_post_accumulate_grad_hook: only leaf tensors that require grad can have "
          "post accumulate grad hooks (got a {})",
          leaf.requires_grad() ? "non-leaf tensor" : "tensor that does not require grad");
    TensorImpl& impl = leaf.impl();
    if (!impl.hooks) impl.hooks = std::make_shared<LeafHooks>();
    const std::uint64_t id = next_id++;
    impl.hooks->post_accumulate_grad.emplace_back(id, std::move(hook));
    ++hook_count;
    return RemovableHandle(leaf.impl_ptr(), id);
}

bool any_post_accumulate_grad_hook() {
    return hook_count.load() > 0;
}

void run_post_accumulate_grad_hooks(const std::shared_ptr<TensorImpl>& leaf) {
    if (!leaf->hooks) return;
    // A copy: a hook may remove itself.
    const auto hooks = leaf->hooks->post_accumulate_grad;
    const Tensor handle(leaf);
    for (const auto& [id, hook] : hooks) hook(handle);
}

}  // namespace lucid::autograd
