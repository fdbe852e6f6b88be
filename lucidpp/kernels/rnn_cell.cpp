#include "lucidpp/kernels/rnn_cell.hpp"

#include <algorithm>

#include "lucidpp/kernels/fast_math.hpp"

namespace lucid::kernels {

namespace {

template <class T>
[[gnu::always_inline]] inline void forward_rows(bool relu, const ForwardStep<T>& step) {
    const std::int64_t n = step.rows * step.hidden;
    const T* __restrict xw = step.xw;
    const T* __restrict hw = step.hw;
    T* __restrict h = step.h;
    if (relu) {
        for (std::int64_t i = 0; i < n; ++i) h[i] = std::max(xw[i] + hw[i], T(0));
    } else {
        for (std::int64_t i = 0; i < n; ++i) h[i] = tanh_fast(xw[i] + hw[i]);
    }
}

template <class T>
[[gnu::always_inline]] inline void backward_rows(bool relu, const BackwardStep<T>& step) {
    const std::int64_t n = step.rows * step.hidden;
    const T* __restrict h = step.h;
    const T* __restrict dh = step.dh;
    T* __restrict d_pre = step.d_input_gates;
    if (relu) {
        for (std::int64_t i = 0; i < n; ++i) d_pre[i] = h[i] > T(0) ? dh[i] : T(0);
    } else {
        for (std::int64_t i = 0; i < n; ++i) d_pre[i] = dh[i] * (T(1) - h[i] * h[i]);
    }
}

}  // namespace

LUCID_TARGET_CLONES void rnn_cell_forward(bool relu, const ForwardStep<float>& step) {
    forward_rows(relu, step);
}
LUCID_TARGET_CLONES void rnn_cell_forward(bool relu, const ForwardStep<double>& step) {
    forward_rows(relu, step);
}
LUCID_TARGET_CLONES void rnn_cell_backward(bool relu, const BackwardStep<float>& step) {
    backward_rows(relu, step);
}
LUCID_TARGET_CLONES void rnn_cell_backward(bool relu, const BackwardStep<double>& step) {
    backward_rows(relu, step);
}

}  // namespace lucid::kernels
