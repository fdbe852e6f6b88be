#pragma once
// The recurrent layer's per-step product C = A op(B) + beta C, where op(B) (W_hh^T forward,
// W_hh backward) is the same at every step and A has only a few dozen rows. cblas_sgemm packs
// op(B) again at every call (a tenth of a small GRU step); here it is packed once per layer
// call into the layout the micro-kernel streams, and each step only runs the micro-kernel.
//
// Layout: op(B) is cut into panels of `panel_width` columns (the last padded with zeros), and
// the panels into blocks of `block_depth` rows; a block stores its rows' panel_width floats
// contiguously, and the blocks are stored in the order the product reads them (row block by row
// block, each panel in turn), so that one product streams the whole buffer front to back. The
// micro-kernel keeps a tile of C (up to 8 rows x 32 columns on AVX-512) in registers, broadcasts
// one element of A per row and multiplies it by a row of the block, which stays in L1 while
// every tile of rows runs over it. float32 only: float64 stays on cblas.
#include <algorithm>
#include <cstddef>
#include <cstdint>
#include <memory>

#include "lucidpp/kernels/gemm.hpp"

namespace lucid::kernels {

// Which micro-kernel runs: the best the CPU has, picked once at start-up. Tests and the
// benchmark may ask for a lesser one (any at or below packed_gemm_best_isa()).
enum class PackedIsa { portable, avx2, avx512 };
PackedIsa packed_gemm_best_isa();

class PackedMatrix {
public:
    static constexpr std::int64_t panel_width = 32;
    static constexpr std::int64_t block_depth = 256;  // 256 x 32 floats: 32 KiB, L1-resident

    PackedMatrix() = default;
    // op(B) is k x n; b is stored row-major, transposed or not as b_layout says.
    PackedMatrix(std::int64_t k, std::int64_t n, const float* b, MatrixRef b_layout);
    // Packs another op(B) in place, reusing the storage when it is large enough (fresh pages
    // cost more than the packing itself for a weight of a few MiB).
    void pack(std::int64_t k, std::int64_t n, const float* b, MatrixRef b_layout);

    std::int64_t rows() const { return k_; }  // k
    std::int64_t cols() const { return n_; }  // n
    // The block of rows [k0, k0 + block_depth) of panel j (columns [j * panel_width, ...)),
    // 64-byte aligned; k0 is a multiple of block_depth.
    const float* block(std::int64_t k0, std::int64_t j) const {
        const std::int64_t panels = (n_ + panel_width - 1) / panel_width;
        const std::int64_t depth = std::min(block_depth, k_ - k0);
        return data_.get() + (k0 * panels + j * depth) * panel_width;
    }

private:
    struct AlignedDelete {
        void operator()(float* p) const;
    };
    std::int64_t k_ = 0, n_ = 0;
    std::size_t capacity_ = 0;                      // floats
    std::unique_ptr<float[], AlignedDelete> data_;  // owned, movable, not copyable
};

// C (m x n, leading dimension ldc) = A (m x k, row-major, leading dimension lda) op(B) + beta C,
// with k x n = b.rows() x b.cols(). beta is 0 (C is only written, never read: NaN in C does not
// propagate) or 1. Single-threaded and reentrant: threads may call it at once on the same b
// with disjoint rows of C.
void gemm_packed(std::int64_t m, const float* a, std::int64_t lda, const PackedMatrix& b,
                 float beta, float* c, std::int64_t ldc);
void gemm_packed(std::int64_t m, const float* a, std::int64_t lda, const PackedMatrix& b,
                 float beta, float* c, std::int64_t ldc, PackedIsa isa);

}  // namespace lucid::kernels
