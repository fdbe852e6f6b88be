// softmax and log_softmax along one dim, written from primitive ops so that autograd derives
// their gradients. Both shift by the row maximum m first: exp(x - m) <= 1 never overflows, and
// the shift cancels out of the result, so it is a constant (detached) for the gradient.
//
//   softmax(x)_i     = exp(x_i - m) / sum_j exp(x_j - m)
//   log_softmax(x)_i = (x_i - m) - log(sum_j exp(x_j - m))
//
// log_softmax subtracts the small log-sum from the shifted x rather than the large logsumexp
// from x, so that in float32 log_softmax(-1000, -1000) is -log 2 to the last digit.
#include "lucidpp/nn/functional.hpp"

#include "lucidpp/ops/arithmetic.hpp"
#include "lucidpp/ops/reduction.hpp"
#include "lucidpp/ops/unary.hpp"
#include "lucidpp/tensor/error.hpp"

namespace lucid::nn::functional {

namespace {

// A 0-dim tensor is treated as a 1-element vector, as PyTorch does.
Tensor as_at_least_1d(const Tensor& x) { return x.dim() == 0 ? x.reshape({1}) : x; }

// x - max(x, dim), with the max detached.
Tensor shifted_by_max(const Tensor& x, std::int64_t dim) {
    return x - std::get<0>(max(x.detach(), dim, true));
}

}  // namespace

Tensor softmax(const Tensor& input, std::int64_t dim) {
    check(input.is_floating_point(), "softmax: expected a floating point tensor, got {}",
          input.dtype());
    Tensor x = as_at_least_1d(input);
    std::int64_t d = normalize_dim(dim, x.dim(), "softmax");
    Tensor e = exp(shifted_by_max(x, d));
    Tensor y = e / sum(e, d, true);
    return input.dim() == 0 ? y.reshape({}) : y;
}

Tensor log_softmax(const Tensor& input, std::int64_t dim) {
    check(input.is_floating_point(), "log_softmax: expected a floating point tensor, got {}",
          input.dtype());
    Tensor x = as_at_least_1d(input);
    std::int64_t d = normalize_dim(dim, x.dim(), "log_softmax");
    Tensor shifted = shifted_by_max(x, d);
    Tensor y = shifted - log(sum(exp(shifted), d, true));
    return input.dim() == 0 ? y.reshape({}) : y;
}

}  // namespace lucid::nn::functional
