#pragma once
// A per-step product C = A op(B) + beta C whose op(B) (k x n) is the same at every step of a
// layer call. float32 packs op(B) once for all steps and threads (kernels/packed_gemm.hpp), on
// CPUs with AVX2 or AVX-512: its portable kernel is slower than OpenBLAS. float64 calls BLAS at
// every step, as PyTorch does, so that it keeps matching it to 1e-10.
#include <cstdint>
#include <type_traits>

#include "lucidpp/kernels/gemm.hpp"
#include "lucidpp/kernels/packed_gemm.hpp"

namespace lucid::kernels {

template <class T>
class StepProduct {
public:
    // op(B) is k x n; b is stored row-major, transposed or not as layout says; null for none.
    StepProduct(std::int64_t k, std::int64_t n, const T* b, MatrixRef layout)
        : k_(k), n_(n), b_(b), layout_(layout) {
        if constexpr (std::is_same_v<T, float>) {
            if (packs() && b_) packed_.pack(k, n, b_, layout);
        }
    }

    void operator()(std::int64_t m, const T* a, T beta, T* c, std::int64_t ldc) const {
        if constexpr (std::is_same_v<T, float>) {
            if (packs()) return gemm_packed(m, a, k_, packed_, beta, c, ldc);
        }
        gemm(m, n_, k_, T(1), a, MatrixRef{false, k_}, b_, layout_, beta, c, ldc);
    }

private:
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
