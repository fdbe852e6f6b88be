#include "lucidpp/kernels/lstm_cell.hpp"

#include <cmath>

#include "lucidpp/kernels/fast_math.hpp"

namespace lucid::kernels {

template <class T>
[[gnu::always_inline]] inline void lstm_cell_forward_impl(
    std::int64_t rows, std::int64_t hidden, const T* __restrict xw, const T* __restrict hw,
    const T* __restrict c_prev, T* __restrict c_new, T* __restrict m, T* __restrict saved) {
    const std::int64_t H = hidden;
    for (std::int64_t b = 0; b < rows; ++b) {
        const T* __restrict x = xw + b * 4 * H;
        const T* __restrict h = hw + b * 4 * H;
        T* __restrict keep = saved + b * 4 * H;
        for (std::int64_t j = 0; j < H; ++j) {
            T i = sigmoid_fast(x[j] + h[j]);
            T f = sigmoid_fast(x[H + j] + h[H + j]);
            T g = tanh_fast(x[2 * H + j] + h[2 * H + j]);
            T o = sigmoid_fast(x[3 * H + j] + h[3 * H + j]);
            T c = f * c_prev[b * H + j] + i * g;
            c_new[b * H + j] = c;
            m[b * H + j] = o * tanh_fast(c);
            keep[j] = i;
            keep[H + j] = f;
            keep[2 * H + j] = g;
            keep[3 * H + j] = o;
        }
    }
}

template <class T>
[[gnu::always_inline]] inline void lstm_cell_backward_impl(std::int64_t rows, std::int64_t hidden,
                                                           const T* __restrict dm, T* __restrict dc,
                                                           const T* __restrict saved,
                                                           const T* __restrict c_new,
                                                           const T* __restrict c_prev,
                                                           T* __restrict d_gates) {
    const std::int64_t H = hidden;
    for (std::int64_t b = 0; b < rows; ++b) {
        const T* __restrict keep = saved + b * 4 * H;
        T* __restrict d = d_gates + b * 4 * H;
        for (std::int64_t j = 0; j < H; ++j) {
            const std::int64_t at = b * H + j;
            const T i = keep[j], f = keep[H + j], g = keep[2 * H + j], o = keep[3 * H + j];
            const T tc = tanh_fast(c_new[at]);
            const T d_o = dm[at] * tc;
            const T d_c = dc[at] + dm[at] * o * (T(1) - tc * tc);
            d[j] = d_c * g * i * (T(1) - i);
            d[H + j] = d_c * c_prev[at] * f * (T(1) - f);
            d[2 * H + j] = d_c * i * (T(1) - g * g);
            d[3 * H + j] = d_o * o * (T(1) - o);
            dc[at] = d_c * f;
        }
    }
}

LUCID_TARGET_CLONES void lstm_cell_forward(std::int64_t rows, std::int64_t hidden, const float* xw,
                                           const float* hw, const float* c_prev, float* c_new,
                                           float* m, float* saved) {
    lstm_cell_forward_impl(rows, hidden, xw, hw, c_prev, c_new, m, saved);
}

LUCID_TARGET_CLONES void lstm_cell_forward(std::int64_t rows, std::int64_t hidden, const double* xw,
                                           const double* hw, const double* c_prev, double* c_new,
                                           double* m, double* saved) {
    lstm_cell_forward_impl(rows, hidden, xw, hw, c_prev, c_new, m, saved);
}

LUCID_TARGET_CLONES void lstm_cell_backward(std::int64_t rows, std::int64_t hidden, const float* dm,
                                            float* dc, const float* saved, const float* c_new,
                                            const float* c_prev, float* d_gates) {
    lstm_cell_backward_impl(rows, hidden, dm, dc, saved, c_new, c_prev, d_gates);
}

LUCID_TARGET_CLONES void lstm_cell_backward(std::int64_t rows, std::int64_t hidden,
                                            const double* dm, double* dc, const double* saved,
                                            const double* c_new, const double* c_prev,
                                            double* d_gates) {
    lstm_cell_backward_impl(rows, hidden, dm, dc, saved, c_new, c_prev, d_gates);
}

}  // namespace lucid::kernels
