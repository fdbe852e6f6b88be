#pragma once
// Matrix products through cblas sgemm/dgemm.
#include "lucidpp/tensor/tensor.hpp"

namespace lucid {

// torch.matmul: 1-D x 1-D is a dot product; a 1-D operand is promoted to a matrix and the added
// dim removed afterwards; beyond 2-D the leading (batch) dims broadcast. A transposed view is
// handed to BLAS as a transpose flag, not copied.
Tensor matmul(const Tensor& a, const Tensor& b);
Tensor mm(const Tensor& a, const Tensor& b);  // 2-D only

}  // namespace lucid
