#pragma once
// + - * / with NumPy/PyTorch broadcasting, in both tensor-tensor and tensor-scalar forms.
// Mixed dtypes promote as torch.result_type does (int64 < float32 < float64).
#include "lucidpp/tensor/tensor.hpp"

namespace lucid {

Tensor add(const Tensor& a, const Tensor& b);
Tensor sub(const Tensor& a, const Tensor& b);
Tensor mul(const Tensor& a, const Tensor& b);
Tensor div(const Tensor& a, const Tensor& b);
Tensor neg(const Tensor& x);

Tensor operator+(const Tensor& a, const Tensor& b);
Tensor operator-(const Tensor& a, const Tensor& b);
Tensor operator*(const Tensor& a, const Tensor& b);
Tensor operator/(const Tensor& a, const Tensor& b);
Tensor operator-(const Tensor& x);

// A scalar keeps the tensor's dtype (as a Python number does in PyTorch), except that a
// non-integral scalar with an int64 tensor gives float32.
Tensor operator+(const Tensor& a, double b);
Tensor operator+(double a, const Tensor& b);
Tensor operator-(const Tensor& a, double b);
Tensor operator-(double a, const Tensor& b);
Tensor operator*(const Tensor& a, double b);
Tensor operator*(double a, const Tensor& b);
Tensor operator/(const Tensor& a, double b);
Tensor operator/(double a, const Tensor& b);

// Sums `grad` down to `shape`, undoing a broadcast: the one helper every backward of a
// broadcasting op uses.
Tensor sum_to(const Tensor& grad, const Shape& shape);

}  // namespace lucid
