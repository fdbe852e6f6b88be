#include "lucidpp/kernels/gru_cell.hpp"

#include <cmath>

#include "lucidpp/kernels/fast_math.hpp"

namespace lucid::kernels {

template <class T>
[[gnu::always_inline]] inline void gru_cell_forward_impl(std::int64_t rows, std::int64_t hidden,
                                                         const T* __restrict xw,
                                                         const T* __restrict hw,
                                                         const T* __restrict h_prev,
                                                         T* __restrict h_new, T* __restrict saved) {
    const std::int64_t H = hidden;
    for (std::int64_t b = 0; b < rows; ++b) {
        const T* __restrict x = xw + b * 3 * H;
        const T* __restrict h = hw + b * 3 * H;
        const T* __restrict prev = h_prev + b * H;
        T* __restrict out = h_new + b * H;
        T* __restrict keep = saved + b * 4 * H;
        for (std::int64_t j = 0; j < H; ++j) {
            T r = sigmoid_fast(x[j] + h[j]);
            T z = sigmoid_fast(x[H + j] + h[H + j]);
            T n = tanh_fast(x[2 * H + j] + r * h[2 * H + j]);
            out[j] = (T(1) - z) * n + z * prev[j];
            keep[j] = r;
            keep[H + j] = z;
            keep[2 * H + j] = n;
            keep[3 * H + j] = h[2 * H + j];
        }
    }
}

template <class T>
[[gnu::always_inline]] inline void gru_cell_backward_impl(
    std::int64_t rows, std::int64_t hidden, const T* __restrict dh_new, const T* __restrict saved,
    const T* __restrict h_prev, T* __restrict d_input_gates, T* __restrict d_hidden_gates,
    T* __restrict dh_prev_direct) {
    const std::int64_t H = hidden;
    for (std::int64_t b = 0; b < rows; ++b) {
        const T* __restrict keep = saved + b * 4 * H;
        const T* __restrict dh = dh_new + b * H;
        const T* __restrict prev = h_prev + b * H;
        T* __restrict di = d_input_gates + b * 3 * H;
        T* __restrict dhg = d_hidden_gates + b * 3 * H;
        T* __restrict direct = dh_prev_direct + b * H;
        for (std::int64_t j = 0; j < H; ++j) {
            const T r = keep[j], z = keep[H + j], n = keep[2 * H + j], hn = keep[3 * H + j];
            T dn_pre = dh[j] * (T(1) - z) * (T(1) - n * n);
            T dz_pre = dh[j] * (prev[j] - n) * z * (T(1) - z);
            T dr_pre = dn_pre * hn * r * (T(1) - r);
            di[j] = dr_pre;
            di[H + j] = dz_pre;
            di[2 * H + j] = dn_pre;
            dhg[j] = dr_pre;
            dhg[H + j] = dz_pre;
            dhg[2 * H + j] = dn_pre * r;
            direct[j] = dh[j] * z;
        }
    }
}

LUCID_TARGET_CLONES void gru_cell_forward(std::int64_t rows, std::int64_t hidden, const float* xw,
                                          const float* hw, const float* h_prev, float* h_new,
                                          float* saved) {
    gru_cell_forward_impl(rows, hidden, xw, hw, h_prev, h_new, saved);
}

LUCID_TARGET_CLONES void gru_cell_forward(std::int64_t rows, std::int64_t hidden, const double* xw,
                                          const double* hw, const double* h_prev, double* h_new,
                                          double* saved) {
    gru_cell_forward_impl(rows, hidden, xw, hw, h_prev, h_new, saved);
}

LUCID_TARGET_CLONES void gru_cell_backward(std::int64_t rows, std::int64_t hidden,
                                           const float* dh_new, const float* saved,
                                           const float* h_prev, float* d_input_gates,
                                           float* d_hidden_gates, float* dh_prev_direct) {
    gru_cell_backward_impl(rows, hidden, dh_new, saved, h_prev, d_input_gates, d_hidden_gates,
                           dh_prev_direct);
}

LUCID_TARGET_CLONES void gru_cell_backward(std::int64_t rows, std::int64_t hidden,
                                           const double* dh_new, const double* saved,
                                           const double* h_prev, double* d_input_gates,
                                           double* d_hidden_gates, double* dh_prev_direct) {
    gru_cell_backward_impl(rows, hidden, dh_new, saved, h_prev, d_input_gates, d_hidden_gates,
                           dh_prev_direct);
}

}  // namespace lucid::kernels
