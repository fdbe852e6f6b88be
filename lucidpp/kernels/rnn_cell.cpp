#include "lucidpp/kernels/rnn_cell.hpp"

#include <algorithm>

#include "lucidpp/kernels/fast_math.hpp"

namespace lucid::kernels {

namespace {

// The pointers are parameters, not struct members, so that __restrict lets the compiler
// vectorise the loops (GCC honours it on parameters only).
template <class T>
[[gnu::always_inline]] inline void forward_rows(bool relu, std::int64_t n, const T* __restrict xw,
                                                const T* __restrict hw, T* __restrict h) {
    if (relu) {
        for (std::int64_t i = 0; i < n; ++i) h[i] = std::max(xw[i] + hw[i], T(0));
    } else {
        for (std::int64_t i = 0; i < n; ++i) h[i] = tanh_fast(xw[i] + hw[i]);
    }
}

template <class T>
[[gnu::always_inline]] inline void backward_rows(bool relu, std::int64_t n, const T* __restrict h,
                                                 const T* __restrict dh, T* __restrict d_pre) {
    if (relu) {
        for (std::int64_t i = 0; i < n; ++i) d_pre[i] = h[i] > T(0) ? dh[i] : T(0);
    } else {
        for (std::int64_t i = 0; i < n; ++i) d_pre[i] = dh[i] * (T(1) - h[i] * h[i]);
    }
}

}  // namespace

LUCID_TARGET_CLONES void rnn_cell_forward(bool relu, const ForwardStep<float>& s) {
    forward_rows(relu, s.rows * s.hidden, s.xw, s.hw, s.h);
}
LUCID_TARGET_CLONES void rnn_cell_forward(bool relu, const ForwardStep<double>& s) {
    forward_rows(relu, s.rows * s.hidden, s.xw, s.hw, s.h);
}
LUCID_TARGET_CLONES void rnn_cell_backward(bool relu, const BackwardStep<float>& s) {
    backward_rows(relu, s.rows * s.hidden, s.h, s.dh, s.d_input_gates);
}
LUCID_TARGET_CLONES void rnn_cell_backward(bool relu, const BackwardStep<double>& s) {
    backward_rows(relu, s.rows * s.hidden, s.h, s.dh, s.d_input_gates);
}

}  // namespace lucid::kernels
