#pragma once
// Products C = A op(W) + beta C of many blocks of rows A against one weight W (k x n as op(W)):
// a recurrent layer's per-step products with W_hh (and W_hr), and its input projection with
// W_ih. float32 packs op(W) once per layer call, for all steps and threads
// (kernels/packed_gemm.hpp), on CPUs with AVX2 or AVX-512: its portable kernel is slower than
// OpenBLAS. float64 calls BLAS each time, as PyTorch does, so that it keeps matching it to 1e-10.
#include <algorithm>
#include <cstdint>
#include <type_traits>

#include "lucidpp/kernels/gemm.hpp"
#include "lucidpp/kernels/packed_gemm.hpp"

namespace lucid::kernels {

template <class T>
class WeightProduct {
public:
    // op(B) is k x n; b is stored row-major, transposed or not as layout says; null for none.
    WeightProduct(std::int64_t k, std::int64_t n, const T* b, MatrixRef layout)
        : k_(k), n_(n), b_(b), layout_(layout) {
        if constexpr (std::is_same_v<T, float>) {
            if (packs() && b_) packed_.pack(k, n, b_, layout);
        }
    }

    void operator()(std::int64_t m, const T* a, T beta, T* c, std::int64_t ldc) const {
        if constexpr (std::is_same_v<T, float>) {
            if (packs()) {
                // A block of rows stays in L2 while the packed weight streams past it.
                for (std::int64_t r = 0; r < m; r += kRowBlock) {
                    gemm_packed(std::min(kRowBlock, m - r), a + r * k_, k_, packed_, beta,
                                c + r * ldc, ldc);
                }
                return;
            }
        }
        gemm(m, n_, k_, T(1), a, MatrixRef{false, k_}, b_, layout_, beta, c, ldc);
    }

private:
    static constexpr std::int64_t kRowBlock = 128;

    static bool packs() {
        static const bool fast = packed_gemm_best_isa() != PackedIsa::portable;
        return std::is_same_v<T, float> && fast;
    }

    std::int64_t k_, n_;
    const T* b_;
    MatrixRef layout_;
    PackedMatrix packed_;
};

}  // namespace lucid::kernels
