#pragma once
// Free-function forms of the zero-copy view members of Tensor, as in PyTorch.
#include <cstdint>
#include <vector>

#include "lucidpp/tensor/tensor.hpp"

namespace lucid {

Tensor transpose(const Tensor& x, std::int64_t dim0, std::int64_t dim1);
Tensor permute(const Tensor& x, const std::vector<std::int64_t>& dims);
Tensor reshape(const Tensor& x, const Shape& shape);
Tensor squeeze(const Tensor& x, std::int64_t dim);
Tensor unsqueeze(const Tensor& x, std::int64_t dim);
Tensor narrow(const Tensor& x, std::int64_t dim, std::int64_t start, std::int64_t length);
Tensor select(const Tensor& x, std::int64_t dim, std::int64_t index);

}  // namespace lucid
