#include "lucidpp/kernels/gemm.hpp"

#include <cblas.h>

#include <algorithm>

#include "lucidpp/kernels/parallel_for.hpp"

namespace lucid::kernels {

namespace {

// lucidpp's team splits a product itself, and OpenBLAS runs each piece on the calling thread:
// OpenBLAS's own threads synchronise many times inside one product, which collapses on a busy
// machine (docs/performance.md), and they cannot run the gate kernels between the products.
[[maybe_unused]] const bool blas_on_calling_thread = [] {
    openblas_set_num_threads(1);
    return true;
}();

// A piece of a product smaller than this many multiply-adds is not worth a second thread.
constexpr std::int64_t kMinMacsPerChunk = std::int64_t{1} << 18;

CBLAS_TRANSPOSE flag(MatrixRef layout) {
    return layout.transposed ? CblasTrans : CblasNoTrans;
}

template <class T>
void blas(std::int64_t m, std::int64_t n, std::int64_t k, T alpha, const T* a, MatrixRef a_layout,
          const T* b, MatrixRef b_layout, T beta, T* c, std::int64_t ldc) {
    const auto i = [](std::int64_t v) { return static_cast<blasint>(v); };
    if constexpr (sizeof(T) == sizeof(float)) {
        cblas_sgemm(CblasRowMajor, flag(a_layout), flag(b_layout), i(m), i(n), i(k), alpha, a,
                    i(a_layout.leading), b, i(b_layout.leading), beta, c, i(ldc));
    } else {
        cblas_dgemm(CblasRowMajor, flag(a_layout), flag(b_layout), i(m), i(n), i(k), alpha, a,
                    i(a_layout.leading), b, i(b_layout.leading), beta, c, i(ldc));
    }
}

// C = alpha op(A) op(B) + beta C in pieces of rows of C (or of columns, when C is wider than
// tall), one per thread. Each element's sum over k is the same in any piece.
template <class T>
void split_gemm(std::int64_t m, std::int64_t n, std::int64_t k, T alpha, const T* a,
                MatrixRef a_layout, const T* b, MatrixRef b_layout, T beta, T* c,
                std::int64_t ldc) {
    if (m == 0 || n == 0) return;
    const std::int64_t macs_per_line = std::max<std::int64_t>(1, (m >= n ? n : m) * k);
    const std::int64_t grain = (kMinMacsPerChunk + macs_per_line - 1) / macs_per_line;
    if (m >= n) {
        parallel_for(m, grain, [&](std::int64_t r0, std::int64_t r1) {
            const T* a_rows = a + (a_layout.transposed ? r0 : r0 * a_layout.leading);
            blas(r1 - r0, n, k, alpha, a_rows, a_layout, b, b_layout, beta, c + r0 * ldc, ldc);
        });
    } else {
        parallel_for(n, grain, [&](std::int64_t c0, std::int64_t c1) {
            const T* b_cols = b + (b_layout.transposed ? c0 * b_layout.leading : c0);
            blas(m, c1 - c0, k, alpha, a, a_layout, b_cols, b_layout, beta, c + c0, ldc);
        });
    }
}

}  // namespace

void gemm(std::int64_t m, std::int64_t n, std::int64_t k, float alpha, const float* a,
          MatrixRef a_layout, const float* b, MatrixRef b_layout, float beta, float* c,
          std::int64_t ldc) {
    split_gemm(m, n, k, alpha, a, a_layout, b, b_layout, beta, c, ldc);
}

void gemm(std::int64_t m, std::int64_t n, std::int64_t k, double alpha, const double* a,
          MatrixRef a_layout, const double* b, MatrixRef b_layout, double beta, double* c,
          std::int64_t ldc) {
    split_gemm(m, n, k, alpha, a, a_layout, b, b_layout, beta, c, ldc);
}

}  // namespace lucid::kernels
