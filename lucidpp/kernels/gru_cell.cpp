#include "lucidpp/kernels/gru_cell.hpp"

#include "lucidpp/kernels/fast_math.hpp"

namespace lucid::kernels {

namespace {

template <class T>
[[gnu::always_inline]] inline void forward_rows(const ForwardStep<T>& step) {
    const std::int64_t H = step.hidden;
    for (std::int64_t b = 0; b < step.rows; ++b) {
        const T* __restrict x = step.xw + b * 3 * H;
        const T* __restrict h = step.hw + b * 3 * H;
        const T* __restrict h_prev = step.h_prev + b * H;
        T* __restrict h_new = step.h + b * H;
        T* __restrict keep = step.saved + b * 4 * H;
        for (std::int64_t j = 0; j < H; ++j) {
            T r = sigmoid_fast(x[j] + h[j]);
            T z = sigmoid_fast(x[H + j] + h[H + j]);
            T n = tanh_fast(x[2 * H + j] + r * h[2 * H + j]);
            h_new[j] = (T(1) - z) * n + z * h_prev[j];
            keep[j] = r;
            keep[H + j] = z;
            keep[2 * H + j] = n;
            keep[3 * H + j] = h[2 * H + j];
        }
    }
}

template <class T>
[[gnu::always_inline]] inline void backward_rows(const BackwardStep<T>& step) {
    const std::int64_t H = step.hidden;
    for (std::int64_t b = 0; b < step.rows; ++b) {
        const T* __restrict keep = step.saved + b * 4 * H;
        const T* __restrict h_prev = step.h_prev + b * H;
        T* __restrict dh = step.dh + b * H;
        T* __restrict d_input = step.d_input_gates + b * 3 * H;
        T* __restrict d_hidden = step.d_hidden_gates + b * 3 * H;
        for (std::int64_t j = 0; j < H; ++j) {
            const T r = keep[j], z = keep[H + j], n = keep[2 * H + j], h_n = keep[3 * H + j];
            T dn_pre = dh[j] * (T(1) - z) * (T(1) - n * n);
            T dz_pre = dh[j] * (h_prev[j] - n) * z * (T(1) - z);
            T dr_pre = dn_pre * h_n * r * (T(1) - r);
            d_input[j] = dr_pre;
            d_input[H + j] = dz_pre;
            d_input[2 * H + j] = dn_pre;
            d_hidden[j] = dr_pre;
            d_hidden[H + j] = dz_pre;
            d_hidden[2 * H + j] = dn_pre * r;
            dh[j] = dh[j] * z;
        }
    }
}

}  // namespace

LUCID_TARGET_CLONES void gru_cell_forward(const ForwardStep<float>& step) {
    forward_rows(step);
}
LUCID_TARGET_CLONES void gru_cell_forward(const ForwardStep<double>& step) {
    forward_rows(step);
}
LUCID_TARGET_CLONES void gru_cell_backward(const BackwardStep<float>& step) {
    backward_rows(step);
}
LUCID_TARGET_CLONES void gru_cell_backward(const BackwardStep<double>& step) {
    backward_rows(step);
}

}  // namespace lucid::kernels
