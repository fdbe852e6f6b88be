#pragma once
// Adam: Kingma and Ba (2015), "Adam: A Method for Stochastic Optimization", Algorithm 1, as
// torch.optim.Adam (its single-tensor algorithm, PyTorch 1.13).
//
// For each parameter theta with gradient g, at step t = 1, 2, ... (lr alpha, betas beta1 and
// beta2, weight decay lambda), from m_0 = v_0 = v'_0 = 0:
//   g       <- -g                                if maximize
//   g       <- g + lambda theta                  if lambda != 0 (an L2 penalty; AdamW decouples it)
//   m_t     <- beta1 m_{t-1} + (1 - beta1) g     running mean of g
//   v_t     <- beta2 v_{t-1} + (1 - beta2) g^2   running mean of g^2
//   v'_t    <- max(v'_{t-1}, v_t) if amsgrad, else v_t
//   m_hat_t <- m_t / (1 - beta1^t)               bias corrections: the averages start at 0
//   v_hat_t <- v'_t / (1 - beta2^t)
//   theta   <- theta - alpha m_hat_t / (sqrt(v_hat_t) + eps)
// amsgrad is Reddi et al. (2018), "On the Convergence of Adam and Beyond", in PyTorch's variant:
// the max of the raw v_t, bias-corrected after. adam.cpp computes the step in PyTorch's
// rearranged form, which rounds as PyTorch's does.
//
//   optim::Adam adam(model.parameters(), {.lr = 1e-3, .betas = {0.9, 0.999}});
#include <array>
#include <cstdint>
#include <vector>

#include "lucidpp/optim/typed_optimizer.hpp"

namespace lucid::optim {

struct AdamOptions {
    double lr = 1e-3;
    std::array<double, 2> betas = {0.9, 0.999};
    double eps = 1e-8;
    double weight_decay = 0.0;
    bool amsgrad = false;
    bool maximize = false;
};

struct AdamState {
    std::int64_t step = 0;  // t, the number of steps taken with a gradient
    Tensor exp_avg;         // m_t
    Tensor exp_avg_sq;      // v_t
    Tensor max_exp_avg_sq;  // v'_t; undefined unless amsgrad
};

// Its state_dict code is compiled once, in optimizer_state_dict.cpp.
extern template class TypedOptimizer<AdamOptions, AdamState>;

class Adam : public TypedOptimizer<AdamOptions, AdamState> {
public:
    Adam(std::vector<Tensor> params, const AdamOptions& options = {});

    void step() override;
    std::string name() const override { return "Adam"; }

private:
    void validate(const AdamOptions& options) const override;
};

}  // namespace lucid::optim
