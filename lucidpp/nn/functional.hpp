#pragma once
// lucid::nn::functional: the stateless building blocks of layers and losses, as
// torch.nn.functional. Most are written from primitive ops, so their gradients come for free.
#include <cstdint>
#include <optional>

#include "lucidpp/ops/embedding.hpp"
#include "lucidpp/tensor/generator.hpp"
#include "lucidpp/tensor/tensor.hpp"

namespace lucid::nn::functional {

enum class Reduction { none, mean, sum };

// y = x W^T + b, with x of shape (*, in_features), W (out_features, in_features), b (out).
Tensor linear(const Tensor& input, const Tensor& weight, const Tensor& bias = Tensor());

// Rows of `weight` (num_embeddings, dim) at the int64 `indices` of any shape. The row at
// padding_idx gets no gradient. The op, forward and backward, is ops/embedding.hpp.
inline Tensor embedding(const Tensor& indices, const Tensor& weight,
                        std::optional<std::int64_t> padding_idx = std::nullopt) {
    return lucid::embedding_lookup(indices, weight, padding_idx);
}

Tensor softmax(const Tensor& input, std::int64_t dim);
Tensor log_softmax(const Tensor& input, std::int64_t dim);

// Inverted dropout: zeroes each element with probability p and scales the rest by 1/(1-p),
// only when `training`; the mask is drawn from `generator` (default: the global one).
Tensor dropout(const Tensor& input, double p = 0.5, bool training = true,
               Generator* generator = nullptr);

Tensor mse_loss(const Tensor& input, const Tensor& target, Reduction reduction = Reduction::mean);

// input: (N, C) logits or (C); target: int64 class indices (N) or (). Targets equal to
// ignore_index add nothing, and the mean is over the others.
Tensor cross_entropy(const Tensor& input, const Tensor& target,
                     Reduction reduction = Reduction::mean, std::int64_t ignore_index = -100);
// As cross_entropy, but input already holds log-probabilities.
Tensor nll_loss(const Tensor& input, const Tensor& target, Reduction reduction = Reduction::mean,
                std::int64_t ignore_index = -100);

// Stable: max(x, 0) - x*t + log(1 + exp(-|x|)).
Tensor binary_cross_entropy_with_logits(const Tensor& input, const Tensor& target,
                                        Reduction reduction = Reduction::mean);

}  // namespace lucid::nn::functional
