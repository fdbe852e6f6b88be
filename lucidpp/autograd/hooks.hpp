#pragma once
// Hooks on a leaf's gradient, as torch.Tensor.register_post_accumulate_grad_hook: backward calls
// them once the leaf's gradient for the pass is final and already summed into .grad. The leaf's
// gradient is final as soon as the walk has passed every node that uses the leaf (the tape runs
// backwards in creation order, engine.cpp), so a hook on an early layer's weights runs while
// later parts of backward are still to come. Data-parallel training starts its gradient
// all-reduce from here, overlapping it with the rest of backward.
#include <cstdint>
#include <functional>
#include <memory>
#include <vector>

#include "lucidpp/tensor/tensor.hpp"

namespace lucid::autograd {

using PostAccumulateGradHook = std::function<void(const Tensor& leaf)>;

struct LeafHooks {
    std::vector<std::pair<std::uint64_t, PostAccumulateGradHook>> post_accumulate_grad;
};

// Removes its hook when destroyed or on remove(), so that a hook never outlives what it
// captured. Move-only.
class RemovableHandle {
public:
    RemovableHandle() = default;
    RemovableHandle(std::weak_ptr<TensorImpl> leaf, std::uint64_t id);
    RemovableHandle(RemovableHandle&& other) noexcept;
    RemovableHandle& operator=(RemovableHandle&& other) noexcept;
    ~RemovableHandle() { remove(); }
    void remove();

private:
    std::weak_ptr<TensorImpl> leaf_;
    std::uint64_t id_ = 0;
};

// `leaf` must be a leaf that requires grad. Hooks run in registration order, under no-grad.
[[nodiscard]] RemovableHandle register_post_accumulate_grad_hook(const Tensor& leaf,
                                                                 PostAccumulateGradHook hook);

// Whether any hook exists in this process: backward looks for final gradients only then.
bool any_post_accumulate_grad_hook();

// Runs `leaf`'s hooks (engine.cpp calls it).
void run_post_accumulate_grad_hooks(const std::shared_ptr<TensorImpl>& leaf);

}  // namespace lucid::autograd
