#include "lucidpp/kernels/gru_cell.hpp"

#include "lucidpp/kernels/fast_math.hpp"

namespace lucid::kernels {

namespace {

// The pointers are parameters, not struct members, so that __restrict lets the compiler
// vectorise the loops (GCC honours it on parameters only).
template <class T>
[[gnu::always_inline]] inline void forward_rows(std::int64_t rows, std::int64_t H,
                                                const T* __restrict xw, const T* __restrict hw,
                                                const T* __restrict h_prev_rows,
                                                T* __restrict h_rows, T* __restrict saved) {
    for (std::int64_t b = 0; b < rows; ++b) {
        const T* x = xw + b * 3 * H;
        const T* h = hw + b * 3 * H;
        const T* h_prev = h_prev_rows + b * H;
        T* h_new = h_rows + b * H;
        T* keep = saved + b * 4 * H;
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
[[gnu::always_inline]] inline void backward_rows(std::int64_t rows, std::int64_t H,
                                                 const T* __restrict saved,
                                                 const T* __restrict h_prev_rows,
                                                 T* __restrict dh_rows, T* __restrict d_input_gates,
                                                 T* __restrict d_hidden_gates) {
    for (std::int64_t b = 0; b < rows; ++b) {
        const T* keep = saved + b * 4 * H;
        const T* h_prev = h_prev_rows + b * H;
        T* dh = dh_rows + b * H;
        T* d_input = d_input_gates + b * 3 * H;
        T* d_hidden = d_hidden_gates + b * 3 * H;
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

LUCID_TARGET_CLONES void gru_cell_forward(const ForwardStep<float>& s) {
    forward_rows(s.rows, s.hidden, s.xw, s.hw, s.h_prev, s.h, s.saved);
}
LUCID_TARGET_CLONES void gru_cell_forward(const ForwardStep<double>& s) {
    forward_rows(s.rows, s.hidden, s.xw, s.hw, s.h_prev, s.h, s.saved);
}
LUCID_TARGET_CLONES void gru_cell_backward(const BackwardStep<float>& s) {
    backward_rows(s.rows, s.hidden, s.saved, s.h_prev, s.dh, s.d_input_gates, s.d_hidden_gates);
}
LUCID_TARGET_CLONES void gru_cell_backward(const BackwardStep<double>& s) {
    backward_rows(s.rows, s.hidden, s.saved, s.h_prev, s.dh, s.d_input_gates, s.d_hidden_gates);
}

}  // namespace lucid::kernels
