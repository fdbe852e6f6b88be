#pragma once
// Evaluating a model on a loader: the mean loss, with no graph recorded and in eval mode
// (dropout off), the model's mode restored afterwards.
//
//   double validation_loss = training::evaluate(model, validation_loader, loss_of);
//
// loss_fn(batch) returns the batch's (scalar) loss. The result is the mean of the batches' losses:
// a smaller last batch counts as much as a full one (drop_last, or a batch size that divides the
// dataset, gives the exact mean over examples).
#include <cstdint>
#include <limits>

#include "lucidpp/autograd/grad_mode.hpp"
#include "lucidpp/nn/module.hpp"
#include "lucidpp/tensor/tensor.hpp"

namespace lucid::training {

// Puts a model in eval mode for its lifetime, then back in the mode it was in.
class EvalModeGuard {
public:
    explicit EvalModeGuard(nn::Module& model);
    ~EvalModeGuard();
    EvalModeGuard(const EvalModeGuard&) = delete;
    EvalModeGuard& operator=(const EvalModeGuard&) = delete;

private:
    nn::Module& model_;
    bool was_training_;
};

// NaN for a loader without batches.
template <class Loader, class LossFn>
double evaluate(nn::Module& model, Loader& loader, LossFn&& loss_fn) {
    NoGradGuard no_grad;
    EvalModeGuard eval_mode(model);
    double sum = 0.0;
    std::int64_t batches = 0;
    for (auto&& batch : loader) {
        const Tensor loss = loss_fn(batch);
        sum += loss.template item<double>();
        ++batches;
    }
    return batches > 0 ? sum / static_cast<double>(batches)
                       : std::numeric_limits<double>::quiet_NaN();
}

}  // namespace lucid::training
