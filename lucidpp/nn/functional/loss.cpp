// Losses, written from primitive ops so that autograd derives their gradients.
//
//   mse_loss:          (x - t)^2
//   nll_loss:          -x[n, t_n]                          (x holds log-probabilities)
//   cross_entropy:     nll_loss(log_softmax(x, -1), t)
//   bce_with_logits:   max(x, 0) - x t + log(1 + exp(-|x|))
//
// each then reduced by `reduction`: kept per element, summed, or averaged.
#include <string_view>

#include "lucidpp/nn/functional.hpp"
#include "lucidpp/ops/arithmetic.hpp"
#include "lucidpp/ops/comparison.hpp"
#include "lucidpp/ops/reduction.hpp"
#include "lucidpp/ops/unary.hpp"
#include "lucidpp/tensor/creation.hpp"
#include "lucidpp/tensor/error.hpp"

namespace lucid::nn::functional {

namespace {

Tensor reduce(const Tensor& loss, Reduction reduction) {
    switch (reduction) {
        case Reduction::none: return loss;
        case Reduction::sum: return sum(loss);
        case Reduction::mean: return mean(loss);
    }
    return loss;
}

void check_floating(const Tensor& input, std::string_view op) {
    check(input.is_floating_point(), "{}: expected a floating point input, got {}", op,
          input.dtype());
}

// Class-index targets: input (N, C) with target (N), or input (C) with target (). Every
// target is a class in [0, C) or ignore_index.
void check_class_targets(const Tensor& input, const Tensor& target, std::int64_t ignore_index,
                         std::string_view op) {
    check_floating(input, op);
    check(target.dtype() == int64,
          "{}: expected target of dtype int64 (class indices), but got {}", op, target.dtype());
    check(input.dim() == 1 || input.dim() == 2,
          "{}: expected input of shape (N, C) or (C), but got shape {}", op, input.shape());
    check(target.dim() == input.dim() - 1,
          "{}: expected target of {} dims for input of shape {}, but got shape {}", op,
          input.dim() - 1, input.shape(), target.shape());
    if (input.dim() == 2) {
        check(input.size(0) == target.size(0),
              "{}: expected input batch_size ({}) to match target batch_size ({})", op,
              input.size(0), target.size(0));
    }
    const std::int64_t classes = input.size(-1);
    for (std::int64_t t : target.to_vector<std::int64_t>()) {
        check(t == ignore_index || (t >= 0 && t < classes),
              "{}: target {} is out of bounds for {} classes", op, t, classes);
    }
}

// -log_probs[n, target_n] for input (N, C), 0 where target_n == ignore_index. The target's
// entry is picked with a one-hot mask (target == arange(C)) and where(), not a product with
// the mask, so that a -inf log-probability elsewhere in the row cannot turn into NaN.
Tensor picked_nll(const Tensor& log_probs, const Tensor& target, std::int64_t ignore_index) {
    Tensor column = target.unsqueeze(1);
    Tensor one_hot = (column == arange(static_cast<double>(log_probs.size(1)))) *
                     (column != static_cast<double>(ignore_index));
    Tensor zero = scalar_tensor(0.0, log_probs.dtype());
    return -sum(where(one_hot, log_probs, zero), 1);
}

// The loss for checked inputs. The mean is over the non-ignored targets, as in PyTorch (and,
// as there, NaN when all are ignored).
Tensor nll(const Tensor& log_probs, const Tensor& target, Reduction reduction,
           std::int64_t ignore_index) {
    const bool single = log_probs.dim() == 1;
    Tensor losses = single ? picked_nll(log_probs.unsqueeze(0), target.reshape({1}), ignore_index)
                           : picked_nll(log_probs, target, ignore_index);
    switch (reduction) {
        case Reduction::none: return single ? losses.reshape({}) : losses;
        case Reduction::sum: return sum(losses);
        case Reduction::mean: {
            auto counted = sum(target != static_cast<double>(ignore_index)).item<double>();
            return sum(losses) / counted;
        }
    }
    return losses;
}

}  // namespace

Tensor mse_loss(const Tensor& input, const Tensor& target, Reduction reduction) {
    check_floating(input, "mse_loss");
    check(input.shape() == target.shape(),
          "mse_loss: target of shape {} does not match input of shape {}", target.shape(),
          input.shape());
    Tensor diff = input - target;
    return reduce(diff * diff, reduction);
}

Tensor nll_loss(const Tensor& input, const Tensor& target, Reduction reduction,
                std::int64_t ignore_index) {
    check_class_targets(input, target, ignore_index, "nll_loss");
    return nll(input, target, reduction, ignore_index);
}

Tensor cross_entropy(const Tensor& input, const Tensor& target, Reduction reduction,
                     std::int64_t ignore_index) {
    check_class_targets(input, target, ignore_index, "cross_entropy");
    return nll(log_softmax(input, -1), target, reduction, ignore_index);
}

Tensor binary_cross_entropy_with_logits(const Tensor& input, const Tensor& target,
                                        Reduction reduction) {
    check_floating(input, "binary_cross_entropy_with_logits");
    check(input.shape() == target.shape(),
          "binary_cross_entropy_with_logits: target size {} must be the same as input size {}",
          target.shape(), input.shape());
    // maximum() splits the gradient at the tie x = 0 evenly, which gives the exact derivative
    // sigmoid(0) - t there (|x| contributes 0 at 0).
    Tensor zero = scalar_tensor(0.0, input.dtype());
    Tensor loss = maximum(input, zero) - input * target + log(1.0 + exp(-abs(input)));
    return reduce(loss, reduction);
}

}  // namespace lucid::nn::functional
