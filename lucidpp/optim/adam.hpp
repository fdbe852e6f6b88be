#pragma once
// Adam, as torch.optim.Adam (its single-tensor algorithm, PyTorch 1.13).
//
// For each parameter theta with gradient g, at step t (lr gamma, betas beta1 and beta2, weight
// decay lambda):
//   g    <- -g                              if maximize
//   g    <- g + lambda theta                if lambda != 0 (L2 penalty; AdamW decouples it)
//   m_t  <- beta1 m_{t-1} + (1 - beta1) g
//   v_t  <- beta2 v_{t-1} + (1 - beta2) g^2
//   v_t' <- max(v'_{t-1}, v_t) if amsgrad, else v_t   (the raw v_t, not bias-corrected)
//   theta <- theta - (gamma / (1 - beta1^t)) m_t / (sqrt(v_t') / sqrt(1 - beta2^t) + eps)
// with m_0 = v_0 = v'_0 = 0.
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

class Adam : public TypedOptimizer<AdamOptions, AdamState> {
public:
    Adam(std::vector<Tensor> params, const AdamOptions& options = {});

    void step() override;
    std::string name() const override { return "Adam"; }

private:
    void validate(const AdamOptions& options) const override;
    nlohmann::json options_to_json(const AdamOptions& options) const override;
    AdamOptions options_from_json(const nlohmann::json& json,
                                  const std::string& where) const override;
    nlohmann::json state_to_json(const AdamState& state) const override;
    AdamState state_from_json(const nlohmann::json& json, const Tensor& param,
                              const std::string& where) const override;
};

}  // namespace lucid::optim
