#pragma once
// Dropout: zeroes each element with probability p while training and scales the others by
// 1/(1-p) (inverted dropout), so evaluation is the identity. As torch.nn.Dropout.
#include "lucidpp/nn/module.hpp"
#include "lucidpp/tensor/generator.hpp"

namespace lucid::nn {

struct DropoutOptions {
    double p = 0.5;
};

class Dropout : public UnaryModule {
public:
    // The masks are drawn from `generator`, or from the default generator when it is null.
    explicit Dropout(const DropoutOptions& options, Generator* generator = nullptr);
    explicit Dropout(double p = 0.5, Generator* generator = nullptr)
        : Dropout(DropoutOptions{p}, generator) {}

    Tensor forward(const Tensor& input) override;

    std::string name() const override { return "Dropout"; }
    std::string extra_repr() const override;

    const DropoutOptions& options() const { return options_; }

private:
    DropoutOptions options_;
    Generator* generator_;
};

}  // namespace lucid::nn
