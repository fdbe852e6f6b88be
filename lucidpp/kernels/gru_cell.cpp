#include "lucidpp/kernels/gru_cell.hpp"

#include <cmath>

namespace lucid::kernels {

namespace {
template <class T>
T sigmoid(T v) {
    return T(1) / (T(1) + std::exp(-v));
}
}  // namespace

template <class T>
void gru_cell_forward(std::int64_t rows, std::int64_t hidden, const T* xw, const T* hw,
                      const T* h_prev, T* h_new, T* saved) {
    const std::int64_t H = hidden;
    for (std::int64_t b = 0; b < rows; ++b) {
        const T* x = xw + b * 3 * H;
        const T* h = hw + b * 3 * H;
        const T* prev = h_prev + b * H;
        T* out = h_new + b * H;
        T* keep = saved + b * 4 * H;
        for (std::int64_t j = 0; j < H; ++j) {
            T r = sigmoid(x[j] + h[j]);
            T z = sigmoid(x[H + j] + h[H + j]);
            T n = std::tanh(x[2 * H + j] + r * h[2 * H + j]);
            out[j] = (T(1) - z) * n + z * prev[j];
            keep[j] = r;
            keep[H + j] = z;
            keep[2 * H + j] = n;
            keep[3 * H + j] = h[2 * H + j];
        }
    }
}

template <class T>
void gru_cell_backward(std::int64_t rows, std::int64_t hidden, const T* dh_new, const T* saved,
                       const T* h_prev, T* d_input_gates, T* d_hidden_gates, T* dh_prev_direct) {
    const std::int64_t H = hidden;
    for (std::int64_t b = 0; b < rows; ++b) {
        const T* keep = saved + b * 4 * H;
        const T* dh = dh_new + b * H;
        const T* prev = h_prev + b * H;
        T* di = d_input_gates + b * 3 * H;
        T* dhg = d_hidden_gates + b * 3 * H;
        T* direct = dh_prev_direct + b * H;
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

template void gru_cell_forward<float>(std::int64_t, std::int64_t, const float*, const float*, const float*, float*, float*);
template void gru_cell_forward<double>(std::int64_t, std::int64_t, const double*, const double*, const double*, double*, double*);
template void gru_cell_backward<float>(std::int64_t, std::int64_t, const float*, const float*, const float*, float*, float*, float*);
template void gru_cell_backward<double>(std::int64_t, std::int64_t, const double*, const double*, const double*, double*, double*, double*);

}  // namespace lucid::kernels
