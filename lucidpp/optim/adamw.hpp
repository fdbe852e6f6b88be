#pragma once
// AdamW: Adam with decoupled weight decay (Loshchilov and Hutter), as torch.optim.AdamW.
//
// The same update as Adam (see adam.hpp) except for the weight decay, which shrinks the
// parameter before the step instead of adding lambda theta to the gradient:
//   theta <- theta (1 - gamma lambda)
//   ... Adam's moments and step, with g not decayed.
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

class AdamW : public TypedOptimizer<AdamWOptions, AdamState> {
public:
    AdamW(std::vector<Tensor> params, const AdamWOptions& options = {});

    void step() override;
    std::string name() const override { return "AdamW"; }

private:
    void validate(const AdamWOptions& options) const override;
    nlohmann::json options_to_json(const AdamWOptions& options) const override;
    AdamWOptions options_from_json(const nlohmann::json& json,
                                   const std::string& where) const override;
    nlohmann::json state_to_json(const AdamState& state) const override;
    AdamState state_from_json(const nlohmann::json& json, const Tensor& param,
                              const std::string& where) const override;
};

}  // namespace lucid::optim
