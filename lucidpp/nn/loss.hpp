#pragma once
// Losses as modules, as torch.nn.MSELoss and torch.nn.CrossEntropyLoss.
#include "lucidpp/nn/functional.hpp"
#include "lucidpp/nn/module.hpp"

namespace lucid::nn {

using functional::Reduction;

struct MSELossOptions {
    Reduction reduction = Reduction::mean;
};

class MSELoss : public Module {
public:
    explicit MSELoss(const MSELossOptions& options) : options_(options) {}
    explicit MSELoss(Reduction reduction = Reduction::mean) : MSELoss(MSELossOptions{reduction}) {}
    Tensor forward(const Tensor& input, const Tensor& target) const {
        return functional::mse_loss(input, target, options_.reduction);
    }
    Tensor operator()(const Tensor& input, const Tensor& target) const {
        return forward(input, target);
    }
    std::string name() const override { return "MSELoss"; }

    const MSELossOptions& options() const { return options_; }

private:
    MSELossOptions options_;
};

struct CrossEntropyLossOptions {
    Reduction reduction = Reduction::mean;
    std::int64_t ignore_index = -100;
};

class CrossEntropyLoss : public Module {
public:
    explicit CrossEntropyLoss(const CrossEntropyLossOptions& options) : options_(options) {}
    explicit CrossEntropyLoss(Reduction reduction = Reduction::mean,
                              std::int64_t ignore_index = -100)
        : CrossEntropyLoss(CrossEntropyLossOptions{reduction, ignore_index}) {}
    Tensor forward(const Tensor& input, const Tensor& target) const {
        return functional::cross_entropy(input, target, options_.reduction, options_.ignore_index);
    }
    Tensor operator()(const Tensor& input, const Tensor& target) const {
        return forward(input, target);
    }
    std::string name() const override { return "CrossEntropyLoss"; }

    const CrossEntropyLossOptions& options() const { return options_; }

private:
    CrossEntropyLossOptions options_;
};

}  // namespace lucid::nn
