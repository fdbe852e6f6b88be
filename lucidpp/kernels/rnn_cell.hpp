#pragma once
// Fused gate kernels of the Elman RNN cell, for `rows` rows of H units at a time.
//
//   forward:   h_t = act(xw_t + hw_t)          xw = W_ih x_t + b_ih, hw = W_hh h_{t-1} + b_hh
//   backward:  d pre_t = dh_t * act'(pre_t)    tanh' = 1 - h_t^2,  relu' = [h_t > 0]
// All buffers are contiguous (rows, H) blocks.
#include <cstdint>

namespace lucid::kernels {

template <class T>
void rnn_cell_forward(bool relu, std::int64_t rows, std::int64_t hidden, const T* xw, const T* hw,
                      T* h_new);

template <class T>
void rnn_cell_backward(bool relu, std::int64_t rows, std::int64_t hidden, const T* h_new,
                       const T* dh, T* d_pre);

}  // namespace lucid::kernels
