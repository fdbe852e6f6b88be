#pragma once
// Element-wise activations as modules, for Sequential.
#include "lucidpp/nn/module.hpp"
#include "lucidpp/ops/unary.hpp"

namespace lucid::nn {

class Tanh : public UnaryModule {
public:
    Tensor forward(const Tensor& input) override { return lucid::tanh(input); }
    std::string name() const override { return "Tanh"; }
};

class Sigmoid : public UnaryModule {
public:
    Tensor forward(const Tensor& input) override { return lucid::sigmoid(input); }
    std::string name() const override { return "Sigmoid"; }
};

class ReLU : public UnaryModule {
public:
    Tensor forward(const Tensor& input) override { return lucid::relu(input); }
    std::string name() const override { return "ReLU"; }
};

}  // namespace lucid::nn
