#include "lucidpp/kernels/gemm.hpp"

#include <cblas.h>

namespace lucid::kernels {

namespace {
CBLAS_TRANSPOSE flag(MatrixRef layout) {
    return layout.transposed ? CblasTrans : CblasNoTrans;
}
}  // namespace

void gemm(std::int64_t m, std::int64_t n, std::int64_t k, float alpha, const float* a,
          MatrixRef a_layout, const float* b, MatrixRef b_layout, float beta, float* c,
          std::int64_t ldc) {
    if (m == 0 || n == 0) return;
    cblas_sgemm(CblasRowMajor, flag(a_layout), flag(b_layout), static_cast<blasint>(m),
                static_cast<blasint>(n), static_cast<blasint>(k), alpha, a,
                static_cast<blasint>(a_layout.leading), b, static_cast<blasint>(b_layout.leading),
                beta, c, static_cast<blasint>(ldc));
}

void gemm(std::int64_t m, std::int64_t n, std::int64_t k, double alpha, const double* a,
          MatrixRef a_layout, const double* b, MatrixRef b_layout, double beta, double* c,
          std::int64_t ldc) {
    if (m == 0 || n == 0) return;
    cblas_dgemm(CblasRowMajor, flag(a_layout), flag(b_layout), static_cast<blasint>(m),
                static_cast<blasint>(n), static_cast<blasint>(k), alpha, a,
                static_cast<blasint>(a_layout.leading), b, static_cast<blasint>(b_layout.leading),
                beta, c, static_cast<blasint>(ldc));
}

}  // namespace lucid::kernels
