#pragma once
// What Adam and AdamW share: Adam's step for one parameter, with either kind of weight decay,
// and the checks of Adam's options. Defined in adam.cpp; included by adam.cpp and adamw.cpp.
#include <string>

#include "lucidpp/optim/adam.hpp"

namespace lucid::optim::detail {

// How the weight decay lambda enters Adam's step.
enum class WeightDecay {
    l2_penalty,  // Adam: g <- g + lambda theta, so the decay passes through m and v
    decoupled,   // AdamW: theta <- theta (1 - lr lambda), outside the moments
};

// Throws "<name>: Invalid ..." with PyTorch's wording.
void check_adam_options(const AdamOptions& options, const std::string& name);

// One step of Adam (Kingma and Ba 2015, Algorithm 1; see adam.cpp) on `param` with gradient
// `grad` and learning rate `lr`, advancing `state`. `name` names the optimizer in errors.
void adam_step(const Tensor& param, const Tensor& grad, AdamState& state, double lr,
               const AdamOptions& options, WeightDecay weight_decay, const std::string& name);

}  // namespace lucid::optim::detail
