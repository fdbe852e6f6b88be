#include "lucidpp/kernels/lstm_cell.hpp"

#include <cmath>

namespace lucid::kernels {

namespace {
template <class T>
T sigmoid(T v) {
    return T(1) / (T(1) + std::exp(-v));
}
}  // namespace

template <class T>
void lstm_cell_forward(std::int64_t rows, std::int64_t hidden, const T* xw, const T* hw,
                       const T* c_prev, T* c_new, T* m, T* saved) {
    const std::int64_t H = hidden;
    for (std::int64_t b = 0; b < rows; ++b) {
        const T* x = xw + b * 4 * H;
        const T* h = hw + b * 4 * H;
        T* keep = saved + b * 4 * H;
        for (std::int64_t j = 0; j < H; ++j) {
            T i = sigmoid(x[j] + h[j]);
            T f = sigmoid(x[H + j] + h[H + j]);
            T g = std::tanh(x[2 * H + j] + h[2 * H + j]);
            T o = sigmoid(x[3 * H + j] + h[3 * H + j]);
            T c = f * c_prev[b * H + j] + i * g;
            c_new[b * H + j] = c;
            m[b * H + j] = o * std::tanh(c);
            keep[j] = i;
            keep[H + j] = f;
            keep[2 * H + j] = g;
            keep[3 * H + j] = o;
        }
    }
}

template <class T>
void lstm_cell_backward(std::int64_t rows, std::int64_t hidden, const T* dm, T* dc,
                        const T* saved, const T* c_new, const T* c_prev, T* d_gates) {
    const std::int64_t H = hidden;
    for (std::int64_t b = 0; b < rows; ++b) {
        const T* keep = saved + b * 4 * H;
        T* d = d_gates + b * 4 * H;
        for (std::int64_t j = 0; j < H; ++j) {
            const std::int64_t at = b * H + j;
            const T i = keep[j], f = keep[H + j], g = keep[2 * H + j], o = keep[3 * H + j];
            const T tc = std::tanh(c_new[at]);
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

template void lstm_cell_forward<float>(std::int64_t, std::int64_t, const float*, const float*, const float*, float*, float*, float*);
template void lstm_cell_forward<double>(std::int64_t, std::int64_t, const double*, const double*, const double*, double*, double*, double*);
template void lstm_cell_backward<float>(std::int64_t, std::int64_t, const float*, float*, const float*, const float*, const float*, float*);
template void lstm_cell_backward<double>(std::int64_t, std::int64_t, const double*, double*, const double*, const double*, const double*, double*);

}  // namespace lucid::kernels
