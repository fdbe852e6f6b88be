#pragma once
// Copies and dtype conversion as free functions (Tensor::clone/to/contiguous are the same ops).
#include "lucidpp/tensor/tensor.hpp"

namespace lucid {

Tensor clone(const Tensor& x);
Tensor contiguous(const Tensor& x);
Tensor to(const Tensor& x, Dtype dtype);

}  // namespace lucid
