#pragma once
// Matrix products through cblas (OpenBLAS): C = alpha * op(A) op(B) + beta * C, row-major.
// A transposed operand is passed as a flag with its leading dimension, never copied.
#include <cstdint>

namespace lucid::kernels {

struct MatrixRef {
    bool transposed;       // use op(A) = A^T
    std::int64_t leading;  // row-major leading dimension of the stored matrix
};

void gemm(std::int64_t m, std::int64_t n, std::int64_t k, float alpha, const float* a,
          MatrixRef a_layout, const float* b, MatrixRef b_layout, float beta, float* c,
          std::int64_t ldc);
void gemm(std::int64_t m, std::int64_t n, std::int64_t k, double alpha, const double* a,
          MatrixRef a_layout, const double* b, MatrixRef b_layout, double beta, double* c,
          std::int64_t ldc);

}  // namespace lucid::kernels
