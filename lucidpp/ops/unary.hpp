#pragma once
// Element-wise functions of one tensor (and the two-tensor maximum/minimum).
#include "lucidpp/tensor/tensor.hpp"

namespace lucid {

Tensor pow(const Tensor& x, double exponent);
Tensor sqrt(const Tensor& x);
Tensor exp(const Tensor& x);
Tensor log(const Tensor& x);
Tensor abs(const Tensor& x);
Tensor tanh(const Tensor& x);
Tensor sigmoid(const Tensor& x);
Tensor relu(const Tensor& x);
Tensor clamp(const Tensor& x, double min, double max);
Tensor clamp_min(const Tensor& x, double min);
Tensor clamp_max(const Tensor& x, double max);

// Element-wise max/min of two tensors with broadcasting. Where they tie, the gradient is split
// evenly between them, as in PyTorch.
Tensor maximum(const Tensor& a, const Tensor& b);
Tensor minimum(const Tensor& a, const Tensor& b);

}  // namespace lucid
