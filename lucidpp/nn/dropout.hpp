#pragma once
// Dropout: zeroes each element with probability p while training and scales the others by
// 1/(1-p) (inverted dropout), so evaluation is the identity. As torch.nn.Dropout.
#include "lucidpp/nn/module.hpp"
#include "lucidpp/tensor/generator.hpp"

namespace lucid::nn {

class Dropout : public UnaryModule {
public:
    explicit Dropout(double p = 0.5, Generator* generator = nullptr);

    Tensor forward(const Tensor& input) override;

    std::string name() const override { return "Dropout"; }
    std::string extra_repr() const override;

    double p;
    Generator* generator;  // null: the default generator
};

}  // namespace lucid::nn
