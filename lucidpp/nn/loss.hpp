#pragma once
// Losses as modules, as torch.nn.MSELoss and torch.nn.CrossEntropyLoss.
#include "lucidpp/nn/functional.hpp"
#include "lucidpp/nn/module.hpp"

namespace lucid::nn {

using functional::Reduction;

class MSELoss : public Module {
public:
    explicit MSELoss(Reduction reduction = Reduction::mean) : reduction(reduction) {}
    Tensor forward(const Tensor& input, const Tensor& target) const {
        return functional::mse_loss(input, target, reduction);
    }
    Tensor operator()(const Tensor& input, const Tensor& target) const {
        return forward(input, target);
    }
    std::string name() const override { return "MSELoss"; }

    Reduction reduction;
};

class CrossEntropyLoss : public Module {
public:
    explicit CrossEntropyLoss(Reduction reduction = Reduction::mean,
                              std::int64_t ignore_index = -100)
        : reduction(reduction), ignore_index(ignore_index) {}
    Tensor forward(const Tensor& input, const Tensor& target) const {
        return functional::cross_entropy(input, target, reduction, ignore_index);
    }
    Tensor operator()(const Tensor& input, const Tensor& target) const {
        return forward(input, target);
    }
    std::string name() const override { return "CrossEntropyLoss"; }

    Reduction reduction;
    std::int64_t ignore_index;
};

}  // namespace lucid::nn
