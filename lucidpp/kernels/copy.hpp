#pragma once
// The copies and sums that the autograd engine and the view ops need, below the op layer.
#include "lucidpp/tensor/tensor.hpp"

namespace lucid::kernels {

// A new contiguous tensor with src's values converted to `dtype`.
Tensor contiguous_copy(const Tensor& src, Dtype dtype);

// src broadcast to dst's shape (dims aligned from the right) as a stride-0 view; no copy.
Tensor broadcast_to(const Tensor& src, const Shape& shape, std::string_view op);

// dst = src (converted, broadcast to dst's shape), and dst += src. dst may be any view.
void copy_into(const Tensor& dst, const Tensor& src);
void add_into(const Tensor& dst, const Tensor& src);

// A new contiguous tensor holding a + b (same shape and dtype).
Tensor add(const Tensor& a, const Tensor& b);

}  // namespace lucid::kernels
