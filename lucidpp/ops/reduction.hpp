#pragma once
// Reductions over all elements, or over one dim (negative dims count from the end); keepdim
// keeps the reduced dim with size 1.
#include <cstdint>
#include <tuple>

#include "lucidpp/tensor/tensor.hpp"

namespace lucid {

Tensor sum(const Tensor& x);
Tensor sum(const Tensor& x, std::int64_t dim, bool keepdim = false);
Tensor mean(const Tensor& x);
Tensor mean(const Tensor& x, std::int64_t dim, bool keepdim = false);

// Over all elements: the largest value (its gradient is shared evenly among ties, as PyTorch).
Tensor max(const Tensor& x);
Tensor min(const Tensor& x);
// Over one dim: (values, indices), as torch.max(x, dim). The gradient goes to the index.
std::tuple<Tensor, Tensor> max(const Tensor& x, std::int64_t dim, bool keepdim = false);
std::tuple<Tensor, Tensor> min(const Tensor& x, std::int64_t dim, bool keepdim = false);

// int64 indices of the first maximum; not differentiable. Without dim: into the flattened x.
Tensor argmax(const Tensor& x);
Tensor argmax(const Tensor& x, std::int64_t dim, bool keepdim = false);
Tensor argmin(const Tensor& x);
Tensor argmin(const Tensor& x, std::int64_t dim, bool keepdim = false);

// log(sum(exp(x))), computed stably by shifting by the max.
Tensor logsumexp(const Tensor& x);
Tensor logsumexp(const Tensor& x, std::int64_t dim, bool keepdim = false);

}  // namespace lucid
