#pragma once
// Ops that rearrange elements into new tensors (the zero-copy views are Tensor members).
#include <cstdint>
#include <vector>

#include "lucidpp/tensor/tensor.hpp"

namespace lucid {

Tensor cat(const std::vector<Tensor>& tensors, std::int64_t dim = 0);
Tensor stack(const std::vector<Tensor>& tensors, std::int64_t dim = 0);
// Pieces of `split_size` along dim (the last may be smaller), as torch.split; they are views.
std::vector<Tensor> split(const Tensor& x, std::int64_t split_size, std::int64_t dim = 0);
std::vector<Tensor> split(const Tensor& x, const std::vector<std::int64_t>& sizes,
                          std::int64_t dim = 0);
std::vector<Tensor> chunk(const Tensor& x, std::int64_t chunks, std::int64_t dim = 0);
Tensor flip(const Tensor& x, const std::vector<std::int64_t>& dims);
// Rows of x along dim at the int64 `index` (1-D).
Tensor index_select(const Tensor& x, std::int64_t dim, const Tensor& index);
// out[i][j] = x[index[i][j]][j] for dim 0, and so on: torch.gather with int64 index.
Tensor gather(const Tensor& x, std::int64_t dim, const Tensor& index);

}  // namespace lucid
