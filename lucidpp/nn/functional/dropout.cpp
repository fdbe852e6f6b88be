// Inverted dropout: during training each element is kept with probability 1 - p and scaled by
// 1 / (1 - p), so the expected output equals the input and evaluation needs no rescaling.
//
//   y = x * mask / (1 - p),   mask_i ~ Bernoulli(1 - p)
//
// The scaled mask is a constant, so the gradient is dy/dx = mask / (1 - p).
#include "lucidpp/nn/functional.hpp"

#include "lucidpp/ops/arithmetic.hpp"
#include "lucidpp/ops/comparison.hpp"
#include "lucidpp/tensor/creation.hpp"
#include "lucidpp/tensor/error.hpp"

namespace lucid::nn::functional {

Tensor dropout(const Tensor& input, double p, bool training, Generator* generator) {
    check(p >= 0.0 && p <= 1.0, "dropout probability has to be between 0 and 1, but got {}", p);
    check(input.is_floating_point(), "dropout: expected a floating point tensor, got {}",
          input.dtype());
    if (!training || p == 0.0) return input;
    // Every element is dropped; multiplying keeps the graph, with a zero gradient.
    if (p == 1.0) return input * zeros_like(input);
    // Drawn in float64 whatever the input's dtype, so one seed gives one mask.
    Tensor keep = rand(input.shape(), float64, generator) >= p;
    return input * (keep.to(input.dtype()) * (1.0 / (1.0 - p)));
}

}  // namespace lucid::nn::functional
