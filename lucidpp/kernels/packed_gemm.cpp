#include "lucidpp/kernels/packed_gemm.hpp"

#include <algorithm>
#include <array>
#include <cstring>
#include <new>
#include <utility>

#include "lucidpp/tensor/error.hpp"

#if defined(__x86_64__) && defined(__GNUC__)
#define LUCID_PACKED_X86 1
#include <immintrin.h>
#endif

namespace lucid::kernels {

namespace {

constexpr std::int64_t NR = PackedMatrix::panel_width;
constexpr std::align_val_t alignment{64};
constexpr std::int64_t depth_block = PackedMatrix::block_depth;

// One row tile: C[0:R, 0:cols] (+)= A[0:R, 0:k] P[0:k, 0:32], with P a panel block (rows of
// 32 floats, 64-byte aligned) and cols <= 32 the panel's columns that exist in C.
using TileFn = void (*)(std::int64_t k, const float* a, std::int64_t lda, const float* p, float* c,
                        std::int64_t ldc, std::int64_t cols, bool accumulate);

// Adds (or writes) one row of a tile computed into a local buffer to `count` floats of C.
inline void store_row(float* c, const float* tile_row, std::int64_t count, bool accumulate) {
    for (std::int64_t j = 0; j < count; ++j) c[j] = accumulate ? c[j] + tile_row[j] : tile_row[j];
}

// Any CPU: a 4 x 8 tile in 4-float vectors (GCC and clang's vector extensions: SSE2 on x86-64,
// NEON on ARM), 8 of the panel's columns at a time. Plain loops over floats vectorised poorly
// (4 GFLOP/s on the benchmark shapes, where this reaches 30).
struct Portable {
    using V = float __attribute__((vector_size(16)));
    static constexpr int rows = 4;
    template <int R>
    static void tile(std::int64_t k, const float* a, std::int64_t lda, const float* p, float* c,
                     std::int64_t ldc, std::int64_t cols, bool accumulate) {
        for (std::int64_t part = 0; part < NR && part < cols; part += 8) {
            V acc[R][2] = {};
            for (std::int64_t q = 0; q < k; ++q) {
                V b0, b1;
                std::memcpy(&b0, p + q * NR + part, sizeof(V));
                std::memcpy(&b1, p + q * NR + part + 4, sizeof(V));
                for (int r = 0; r < R; ++r) {
                    const float x = a[r * lda + q];
                    acc[r][0] += x * b0;
                    acc[r][1] += x * b1;
                }
            }
            const std::int64_t count = std::min<std::int64_t>(8, cols - part);
            for (int r = 0; r < R; ++r) {
                float buffer[8];
                std::memcpy(buffer, acc[r], sizeof(buffer));
                store_row(c + r * ldc + part, buffer, count, accumulate);
            }
        }
    }
};

#ifdef LUCID_PACKED_X86
// AVX2 + FMA: 16 registers, so a 6 x 16 tile (12 accumulators), run on each half of the panel.
struct Avx2 {
    static constexpr int rows = 6;
    // The first `count` lanes (of 8) set, for maskload and maskstore.
    __attribute__((target("avx2,fma"))) static __m256i first(std::int64_t count) {
        const auto n = static_cast<int>(std::clamp<std::int64_t>(count, 0, 8));
        return _mm256_cmpgt_epi32(_mm256_set1_epi32(n), _mm256_setr_epi32(0, 1, 2, 3, 4, 5, 6, 7));
    }
    template <int R>
    __attribute__((target("avx2,fma"))) static void tile(std::int64_t k, const float* a,
                                                         std::int64_t lda, const float* p, float* c,
                                                         std::int64_t ldc, std::int64_t cols,
                                                         bool accumulate) {
        half<R>(k, a, lda, p, c, ldc, cols, accumulate);
        if (cols > 16) half<R>(k, a, lda, p + 16, c + 16, ldc, cols - 16, accumulate);
    }
    // Columns [0, 16) of the panel block p (rows of 32 floats), `count` of them in C.
    template <int R>
    __attribute__((target("avx2,fma"))) static void half(std::int64_t k, const float* a,
                                                         std::int64_t lda, const float* p, float* c,
                                                         std::int64_t ldc, std::int64_t count,
                                                         bool accumulate) {
        __m256 acc[R][2];
        for (int r = 0; r < R; ++r) acc[r][0] = acc[r][1] = _mm256_setzero_ps();
        for (std::int64_t q = 0; q < k; ++q) {
            const __m256 b0 = _mm256_load_ps(p + q * NR);
            const __m256 b1 = _mm256_load_ps(p + q * NR + 8);
            for (int r = 0; r < R; ++r) {
                const __m256 x = _mm256_set1_ps(a[r * lda + q]);
                acc[r][0] = _mm256_fmadd_ps(x, b0, acc[r][0]);
                acc[r][1] = _mm256_fmadd_ps(x, b1, acc[r][1]);
            }
        }
        const __m256i lo = first(count), hi = first(count - 8);
        for (int r = 0; r < R; ++r) {
            float* row = c + r * ldc;
            if (accumulate) {
                acc[r][0] = _mm256_add_ps(_mm256_maskload_ps(row, lo), acc[r][0]);
                acc[r][1] = _mm256_add_ps(_mm256_maskload_ps(row + 8, hi), acc[r][1]);
            }
            _mm256_maskstore_ps(row, lo, acc[r][0]);
            _mm256_maskstore_ps(row + 8, hi, acc[r][1]);
        }
    }
};

// AVX-512: 32 registers, an 8 x 32 tile (16 accumulators, two panel loads and a broadcast per
// step of k); 8 rows divide every batch the benchmark configs use, whole or split in two.
struct Avx512 {
    static constexpr int rows = 8;
    __attribute__((target("avx512f"))) static __mmask16 first(std::int64_t count) {
        return count >= 16 ? __mmask16(0xFFFF)
                           : __mmask16((1u << std::max<std::int64_t>(count, 0)) - 1u);
    }
    template <int R>
    __attribute__((target("avx512f"))) static void tile(std::int64_t k, const float* a,
                                                        std::int64_t lda, const float* p, float* c,
                                                        std::int64_t ldc, std::int64_t cols,
                                                        bool accumulate) {
        __m512 acc[R][2];
        for (int r = 0; r < R; ++r) acc[r][0] = acc[r][1] = _mm512_setzero_ps();
        for (std::int64_t q = 0; q < k; ++q) {
            const __m512 b0 = _mm512_load_ps(p + q * NR);
            const __m512 b1 = _mm512_load_ps(p + q * NR + 16);
            for (int r = 0; r < R; ++r) {
                const __m512 x = _mm512_set1_ps(a[r * lda + q]);
                acc[r][0] = _mm512_fmadd_ps(x, b0, acc[r][0]);
                acc[r][1] = _mm512_fmadd_ps(x, b1, acc[r][1]);
            }
        }
        const __mmask16 lo = first(cols), hi = first(cols - 16);
        for (int r = 0; r < R; ++r) {
            float* row = c + r * ldc;
            if (accumulate) {
                acc[r][0] = _mm512_add_ps(_mm512_maskz_loadu_ps(lo, row), acc[r][0]);
                acc[r][1] = _mm512_add_ps(_mm512_maskz_loadu_ps(hi, row + 16), acc[r][1]);
            }
            _mm512_mask_storeu_ps(row, lo, acc[r][0]);
            _mm512_mask_storeu_ps(row + 16, hi, acc[r][1]);
        }
    }
};
#endif

// tiles<Kernel>()[R - 1] is the kernel's tile for R rows.
template <class Kernel, std::size_t... R>
constexpr std::array<TileFn, sizeof...(R)> tile_table(std::index_sequence<R...>) {
    return {&Kernel::template tile<static_cast<int>(R) + 1>...};
}
template <class Kernel>
constexpr auto tiles() {
    return tile_table<Kernel>(std::make_index_sequence<Kernel::rows>());
}

template <class Kernel>
void run(std::int64_t m, const float* a, std::int64_t lda, const PackedMatrix& b, float beta,
         float* c, std::int64_t ldc) {
    static constexpr auto table = tiles<Kernel>();
    const std::int64_t k = b.rows(), n = b.cols();
    for (std::int64_t k0 = 0; k0 < k; k0 += depth_block) {
        const std::int64_t depth = std::min(depth_block, k - k0);
        const bool accumulate = beta != 0.0f || k0 > 0;
        for (std::int64_t j = 0; j * NR < n; ++j) {
            const float* p = b.block(k0, j);
            const std::int64_t cols = std::min(NR, n - j * NR);
            for (std::int64_t i = 0; i < m; i += Kernel::rows) {
                const auto rows = std::min<std::int64_t>(Kernel::rows, m - i);
                table[static_cast<std::size_t>(rows - 1)](
                    depth, a + i * lda + k0, lda, p, c + i * ldc + j * NR, ldc, cols, accumulate);
            }
        }
    }
}

PackedIsa detect_isa() {
#ifdef LUCID_PACKED_X86
    __builtin_cpu_init();
    if (__builtin_cpu_supports("avx512f")) return PackedIsa::avx512;
    if (__builtin_cpu_supports("avx2") && __builtin_cpu_supports("fma")) return PackedIsa::avx2;
#endif
    return PackedIsa::portable;
}

}  // namespace

PackedIsa packed_gemm_best_isa() {
    static const PackedIsa best = detect_isa();
    return best;
}

void PackedMatrix::AlignedDelete::operator()(float* p) const {
    ::operator delete[](p, alignment);
}

PackedMatrix::PackedMatrix(std::int64_t k, std::int64_t n, const float* b, MatrixRef b_layout) {
    pack(k, n, b, b_layout);
}

void PackedMatrix::pack(std::int64_t k, std::int64_t n, const float* b, MatrixRef b_layout) {
    check(k >= 0 && n >= 0, "PackedMatrix: negative size {} x {}", k, n);
    check(k == 0 || n == 0 || b_layout.leading >= (b_layout.transposed ? k : n),
          "PackedMatrix: leading dimension {} too small for op(B) of {} x {}{}", b_layout.leading,
          k, n, b_layout.transposed ? " (stored transposed)" : "");
    const std::int64_t panels = (n + NR - 1) / NR;
    const auto size = static_cast<std::size_t>(panels * k * NR);
    if (size > capacity_) {
        data_.reset(static_cast<float*>(::operator new[](size * sizeof(float), alignment)));
        capacity_ = size;
    }
    k_ = k;
    n_ = n;
    const std::int64_t ld = b_layout.leading;
    for (std::int64_t k0 = 0; k0 < k; k0 += depth_block) {
        const std::int64_t depth = std::min(depth_block, k - k0);
        for (std::int64_t j = 0; j < panels; ++j) {
            float* dst = data_.get() + (k0 * panels + j * depth) * NR;  // block(k0, j)
            const std::int64_t cols = std::min(NR, n - j * NR);
            if (b_layout.transposed) {
                // Column col of op(B) is row col of b. A transpose by 16 rows of the block (2 KiB,
                // kept in L1): column by column, the writes would stride over the whole block.
                for (std::int64_t q0 = 0; q0 < depth; q0 += 16) {
                    const std::int64_t q1 = std::min(depth, q0 + 16);
                    for (std::int64_t col = 0; col < cols; ++col) {
                        const float* src = b + (j * NR + col) * ld + k0;
                        for (std::int64_t q = q0; q < q1; ++q) dst[q * NR + col] = src[q];
                    }
                }
            } else {
                for (std::int64_t q = 0; q < depth; ++q) {
                    std::memcpy(dst + q * NR, b + (k0 + q) * ld + j * NR,
                                static_cast<std::size_t>(cols) * sizeof(float));
                }
            }
            for (std::int64_t q = 0; q < depth; ++q) {
                std::fill(dst + q * NR + cols, dst + (q + 1) * NR, 0.0f);
            }
        }
    }
}

void gemm_packed(std::int64_t m, const float* a, std::int64_t lda, const PackedMatrix& b,
                 float beta, float* c, std::int64_t ldc) {
    gemm_packed(m, a, lda, b, beta, c, ldc, packed_gemm_best_isa());
}

void gemm_packed(std::int64_t m, const float* a, std::int64_t lda, const PackedMatrix& b,
                 float beta, float* c, std::int64_t ldc, PackedIsa isa) {
    const std::int64_t k = b.rows(), n = b.cols();
    check(m >= 0, "gemm_packed: negative row count {}", m);
    check(beta == 0.0f || beta == 1.0f, "gemm_packed: beta must be 0 or 1, got {}", beta);
    check(m <= 1 || (lda >= k && ldc >= n),
          "gemm_packed: leading dimensions lda {} and ldc {} too small for ({} x {}) ({} x {})",
          lda, ldc, m, k, k, n);
    check(isa <= packed_gemm_best_isa(), "gemm_packed: this CPU cannot run the requested kernel");
    if (m == 0 || n == 0) return;
    if (k == 0) {
        if (beta == 0.0f) {
            for (std::int64_t i = 0; i < m; ++i) std::fill(c + i * ldc, c + i * ldc + n, 0.0f);
        }
        return;
    }
    switch (isa) {
#ifdef LUCID_PACKED_X86
        case PackedIsa::avx512:
            return run<Avx512>(m, a, lda, b, beta, c, ldc);
        case PackedIsa::avx2:
            return run<Avx2>(m, a, lda, b, beta, c, ldc);
#endif
        default:
            return run<Portable>(m, a, lda, b, beta, c, ldc);
    }
}

}  // namespace lucid::kernels
