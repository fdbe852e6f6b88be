#pragma once
// AdamW: Adam with decoupled weight decay, Loshchilov and Hutter (2019), "Decoupled Weight Decay
// Regularization", Algorithm 2, as torch.optim.AdamW (PyTorch 1.13).
//
// The same step as Adam (see adam.hpp) except for the weight decay. Adam's L2 penalty adds
// lambda theta to g, where the division by sqrt(v_hat) shrinks it most for the weights with the
// largest gradients; AdamW shrinks theta itself, before the step, and g is not decayed:
//   theta <- theta (1 - alpha lambda)
//   ... Adam's moments and step
// The paper writes the decay as a separate term of the step, eta_t lambda theta, with eta_t the
// schedule's multiplier; PyTorch scales it by the lr (alpha = eta_t times the paper's alpha), so
// its lambda is the paper's divided by alpha. Since Adam's step does not read theta, shrinking
// theta first is the paper's sum, up to rounding.
//
//   optim::AdamW adamw(model.parameters(), {.lr = 1e-3, .weight_decay = 1e-2});
#include <vector>

#include "lucidpp/optim/adam.hpp"

namespace lucid::optim {

struct AdamWOptions {
    double lr = 1e-3;
    std::array<double, 2> betas = {0.9, 0.999};
    double eps = 1e-8;
    double weight_decay = 1e-2;  // AdamW's default; Adam's is 0
    bool amsgrad = false;
    bool maximize = false;
};

// Its state_dict code is compiled once, in optimizer_state_dict.cpp.
extern template class TypedOptimizer<AdamWOptions, AdamState>;

class AdamW : public TypedOptimizer<AdamWOptions, AdamState> {
public:
    AdamW(std::vector<Tensor> params, const AdamWOptions& options = {});

    void step() override;
    std::string name() const override { return "AdamW"; }

private:
    void validate(const AdamWOptions& options) const override;
};

}  // namespace lucid::optim
