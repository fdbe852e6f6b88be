#include "lucidpp/kernels/rnn_cell.hpp"

#include <algorithm>
#include <cmath>

#include "lucidpp/kernels/fast_math.hpp"

namespace lucid::kernels {

template <class T>
[[gnu::always_inline]] inline void rnn_cell_forward_impl(bool relu, std::int64_t rows,
                                                         std::int64_t hidden,
                                                         const T* __restrict xw,
                                                         const T* __restrict hw,
                                                         T* __restrict h_new) {
    const std::int64_t n = rows * hidden;
    if (relu) {
        for (std::int64_t i = 0; i < n; ++i) h_new[i] = std::max(xw[i] + hw[i], T(0));
    } else {
        for (std::int64_t i = 0; i < n; ++i) h_new[i] = tanh_fast(xw[i] + hw[i]);
    }
}

template <class T>
[[gnu::always_inline]] inline void rnn_cell_backward_impl(bool relu, std::int64_t rows,
                                                          std::int64_t hidden,
                                                          const T* __restrict h_new,
                                                          const T* __restrict dh,
                                                          T* __restrict d_pre) {
    const std::int64_t n = rows * hidden;
    if (relu) {
        for (std::int64_t i = 0; i < n; ++i) d_pre[i] = h_new[i] > T(0) ? dh[i] : T(0);
    } else {
        for (std::int64_t i = 0; i < n; ++i) d_pre[i] = dh[i] * (T(1) - h_new[i] * h_new[i]);
    }
}

LUCID_TARGET_CLONES void rnn_cell_forward(bool relu, std::int64_t rows, std::int64_t hidden,
                                          const float* xw, const float* hw, float* h_new) {
    rnn_cell_forward_impl(relu, rows, hidden, xw, hw, h_new);
}

LUCID_TARGET_CLONES void rnn_cell_forward(bool relu, std::int64_t rows, std::int64_t hidden,
                                          const double* xw, const double* hw, double* h_new) {
    rnn_cell_forward_impl(relu, rows, hidden, xw, hw, h_new);
}

LUCID_TARGET_CLONES void rnn_cell_backward(bool relu, std::int64_t rows, std::int64_t hidden,
                                           const float* h_new, const float* dh, float* d_pre) {
    rnn_cell_backward_impl(relu, rows, hidden, h_new, dh, d_pre);
}

LUCID_TARGET_CLONES void rnn_cell_backward(bool relu, std::int64_t rows, std::int64_t hidden,
                                           const double* h_new, const double* dh, double* d_pre) {
    rnn_cell_backward_impl(relu, rows, hidden, h_new, dh, d_pre);
}

}  // namespace lucid::kernels
