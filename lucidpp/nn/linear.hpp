#pragma once
// Linear: y = x W^T + b, as torch.nn.Linear.
//   weight: (out_features, in_features), bias: (out_features)
//   both initialised U(-1/sqrt(in_features), 1/sqrt(in_features)), as PyTorch's defaults.
// Input (*, in_features), output (*, out_features).
#include "lucidpp/nn/module.hpp"

namespace lucid::nn {

struct LinearOptions {
    std::int64_t in_features = 0;
    std::int64_t out_features = 0;
    bool bias = true;
};

class Linear : public UnaryModule {
public:
    explicit Linear(const LinearOptions& options);
    Linear(std::int64_t in_features, std::int64_t out_features, bool bias = true)
        : Linear(LinearOptions{in_features, out_features, bias}) {}

    Tensor forward(const Tensor& input) override;
    void reset_parameters();

    std::string name() const override { return "Linear"; }
    std::string extra_repr() const override;

    const LinearOptions& options() const { return options_; }

    Tensor weight;
    Tensor bias;  // undefined when options().bias is false

private:
    LinearOptions options_;
};

}  // namespace lucid::nn
