#include "lucidpp/kernels/lstm_cell.hpp"

#include "lucidpp/kernels/fast_math.hpp"

namespace lucid::kernels {

namespace {

// The pointers are parameters, not struct members, so that __restrict lets the compiler
// vectorise the loops (GCC honours it on parameters only).
template <class T>
[[gnu::always_inline]] inline void forward_rows(std::int64_t rows, std::int64_t H,
                                                const T* __restrict xw, const T* __restrict hw,
                                                T* __restrict c_rows, T* __restrict m_rows,
                                                T* __restrict saved) {
    for (std::int64_t b = 0; b < rows; ++b) {
        const T* x = xw + b * 4 * H;
        const T* h = hw + b * 4 * H;
        T* c = c_rows + b * H;
        T* m = m_rows + b * H;
        T* keep = saved + b * 6 * H;
        T* keep_c_prev = keep + 4 * H;
        T* keep_c = keep + 5 * H;
        LUCID_NO_LOOP_CARRIED_DEPENDENCE
        for (std::int64_t j = 0; j < H; ++j) {
            T i = sigmoid_fast(x[j] + h[j]);
            T f = sigmoid_fast(x[H + j] + h[H + j]);
            T g = tanh_fast(x[2 * H + j] + h[2 * H + j]);
            T o = sigmoid_fast(x[3 * H + j] + h[3 * H + j]);
            T c_prev = c[j];
            T c_new = f * c_prev + i * g;
            m[j] = o * tanh_fast(c_new);
            keep[j] = i;
            keep[H + j] = f;
            keep[2 * H + j] = g;
            keep[3 * H + j] = o;
            keep_c_prev[j] = c_prev;
            keep_c[j] = c_new;
            c[j] = c_new;
        }
    }
}

template <class T>
[[gnu::always_inline]] inline void backward_rows(std::int64_t rows, std::int64_t H,
                                                 const T* __restrict saved,
                                                 const T* __restrict dm_rows, T* __restrict dc_rows,
                                                 T* __restrict d_gates) {
    for (std::int64_t b = 0; b < rows; ++b) {
        const T* keep = saved + b * 6 * H;
        const T* dm = dm_rows + b * H;
        T* dc = dc_rows + b * H;
        T* d = d_gates + b * 4 * H;
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

LUCID_TARGET_CLONES void lstm_cell_forward(const ForwardStep<float>& s) {
    forward_rows(s.rows, s.hidden, s.xw, s.hw, s.c, s.h, s.saved);
}
LUCID_TARGET_CLONES void lstm_cell_forward(const ForwardStep<double>& s) {
    forward_rows(s.rows, s.hidden, s.xw, s.hw, s.c, s.h, s.saved);
}
LUCID_TARGET_CLONES void lstm_cell_backward(const BackwardStep<float>& s) {
    backward_rows(s.rows, s.hidden, s.saved, s.dh, s.dc, s.d_input_gates);
}
LUCID_TARGET_CLONES void lstm_cell_backward(const BackwardStep<double>& s) {
    backward_rows(s.rows, s.hidden, s.saved, s.dh, s.dc, s.d_input_gates);
}

}  // namespace lucid::kernels
