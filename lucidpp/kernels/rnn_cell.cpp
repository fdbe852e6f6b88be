#include "lucidpp/kernels/rnn_cell.hpp"

#include <algorithm>
#include <cmath>

namespace lucid::kernels {

template <class T>
void rnn_cell_forward(bool relu, std::int64_t rows, std::int64_t hidden, const T* xw, const T* hw,
                      T* h_new) {
    const std::int64_t n = rows * hidden;
    if (relu) {
        for (std::int64_t i = 0; i < n; ++i) h_new[i] = std::max(xw[i] + hw[i], T(0));
    } else {
        for (std::int64_t i = 0; i < n; ++i) h_new[i] = std::tanh(xw[i] + hw[i]);
    }
}

template <class T>
void rnn_cell_backward(bool relu, std::int64_t rows, std::int64_t hidden, const T* h_new,
                       const T* dh, T* d_pre) {
    const std::int64_t n = rows * hidden;
    if (relu) {
        for (std::int64_t i = 0; i < n; ++i) d_pre[i] = h_new[i] > T(0) ? dh[i] : T(0);
    } else {
        for (std::int64_t i = 0; i < n; ++i) d_pre[i] = dh[i] * (T(1) - h_new[i] * h_new[i]);
    }
}

template void rnn_cell_forward<float>(bool, std::int64_t, std::int64_t, const float*, const float*, float*);
template void rnn_cell_forward<double>(bool, std::int64_t, std::int64_t, const double*, const double*, double*);
template void rnn_cell_backward<float>(bool, std::int64_t, std::int64_t, const float*, const float*, float*);
template void rnn_cell_backward<double>(bool, std::int64_t, std::int64_t, const double*, const double*, double*);

}  // namespace lucid::kernels
