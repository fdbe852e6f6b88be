#include "lucidpp/kernels/lstm_cell.hpp"

#include "lucidpp/kernels/fast_math.hpp"

namespace lucid::kernels {

namespace {

template <class T>
[[gnu::always_inline]] inline void forward_rows(const ForwardStep<T>& step) {
    const std::int64_t H = step.hidden;
    for (std::int64_t b = 0; b < step.rows; ++b) {
        const T* __restrict x = step.xw + b * 4 * H;
        const T* __restrict h = step.hw + b * 4 * H;
        T* __restrict c = step.c + b * H;
        T* __restrict m = step.h + b * H;
        T* __restrict keep = step.saved + b * 6 * H;
        for (std::int64_t j = 0; j < H; ++j) {
            T i = sigmoid_fast(x[j] + h[j]);
            T f = sigmoid_fast(x[H + j] + h[H + j]);
            T g = tanh_fast(x[2 * H + j] + h[2 * H + j]);
            T o = sigmoid_fast(x[3 * H + j] + h[3 * H + j]);
            T c_new = f * c[j] + i * g;
            m[j] = o * tanh_fast(c_new);
            keep[j] = i;
            keep[H + j] = f;
            keep[2 * H + j] = g;
            keep[3 * H + j] = o;
            keep[4 * H + j] = c[j];
            keep[5 * H + j] = c_new;
            c[j] = c_new;
        }
    }
}

template <class T>
[[gnu::always_inline]] inline void backward_rows(const BackwardStep<T>& step) {
    const std::int64_t H = step.hidden;
    for (std::int64_t b = 0; b < step.rows; ++b) {
        const T* __restrict keep = step.saved + b * 6 * H;
        const T* __restrict dm = step.dh + b * H;
        T* __restrict dc = step.dc + b * H;
        T* __restrict d = step.d_input_gates + b * 4 * H;
        for (std::int64_t j = 0; j < H; ++j) {
            const T i = keep[j], f = keep[H + j], g = keep[2 * H + j], o = keep[3 * H + j];
            const T c_prev = keep[4 * H + j], tanh_c = tanh_fast(keep[5 * H + j]);
            const T d_o = dm[j] * tanh_c;
            const T d_c = dc[j] + dm[j] * o * (T(1) - tanh_c * tanh_c);
            d[j] = d_c * g * i * (T(1) - i);
            d[H + j] = d_c * c_prev * f * (T(1) - f);
            d[2 * H + j] = d_c * i * (T(1) - g * g);
            d[3 * H + j] = d_o * o * (T(1) - o);
            dc[j] = d_c * f;
        }
    }
}

}  // namespace

LUCID_TARGET_CLONES void lstm_cell_forward(const ForwardStep<float>& step) {
    forward_rows(step);
}
LUCID_TARGET_CLONES void lstm_cell_forward(const ForwardStep<double>& step) {
    forward_rows(step);
}
LUCID_TARGET_CLONES void lstm_cell_backward(const BackwardStep<float>& step) {
    backward_rows(step);
}
LUCID_TARGET_CLONES void lstm_cell_backward(const BackwardStep<double>& step) {
    backward_rows(step);
}

}  // namespace lucid::kernels
