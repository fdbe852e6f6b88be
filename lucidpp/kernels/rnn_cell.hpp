#pragma once
// Fused gate kernels of the Elman RNN cell, for `rows` rows of H units at a time.
//
//   forward:   h_t = act(xw_t + hw_t)          xw = W_ih x_t + b_ih, hw = W_hh h_{t-1} + b_hh
//   backward:  d pre_t = dh_t * act'(pre_t)    tanh' = 1 - h_t^2,  relu' = [h_t > 0]
// All buffers are contiguous (rows, H) blocks.
#include <cstdint>

namespace lucid::kernels {

void rnn_cell_forward(bool relu, std::int64_t rows, std::int64_t hidden, const float* xw,
                      const float* hw, float* h_new);
void rnn_cell_forward(bool relu, std::int64_t rows, std::int64_t hidden, const double* xw,
                      const double* hw, double* h_new);

void rnn_cell_backward(bool relu, std::int64_t rows, std::int64_t hidden, const float* h_new,
                       const float* dh, float* d_pre);
void rnn_cell_backward(bool relu, std::int64_t rows, std::int64_t hidden, const double* h_new,
                       const double* dh, double* d_pre);

}  // namespace lucid::kernels
