#pragma once
// Fused gate kernels of the GRU cell (PyTorch's gate order r, z, n), for `rows` rows of H units.
//
// Forward, with xw = W_ih x + b_ih = [x_r, x_z, x_n] and hw = W_hh h + b_hh = [h_r, h_z, h_n]:
//   r  = sigma(x_r + h_r)
//   z  = sigma(x_z + h_z)
//   n  = tanh(x_n + r * h_n)
//   h' = (1 - z) * n + z * h
// `saved` keeps [r, z, n, h_n] per row (4H) for backward.
//
// Backward, from dh' (the gradient of h'):
//   dn      = dh' * (1 - z)           dz      = dh' * (h - n)         dh (direct) = dh' * z
//   dn_pre  = dn * (1 - n^2)          dz_pre  = dz * z * (1 - z)
//   dr      = dn_pre * h_n            dr_pre  = dr * r * (1 - r)
// The input projection gets [dr_pre, dz_pre, dn_pre]; the hidden projection gets
// [dr_pre, dz_pre, dn_pre * r], because r multiplies h_n after W_hn was applied.
// Buffers: xw, hw, d_input_gates, d_hidden_gates are (rows, 3H); saved (rows, 4H); the rest (rows,
// H).
#include <cstdint>

namespace lucid::kernels {

void gru_cell_forward(std::int64_t rows, std::int64_t hidden, const float* xw, const float* hw,
                      const float* h_prev, float* h_new, float* saved);
void gru_cell_forward(std::int64_t rows, std::int64_t hidden, const double* xw, const double* hw,
                      const double* h_prev, double* h_new, double* saved);

void gru_cell_backward(std::int64_t rows, std::int64_t hidden, const float* dh_new,
                       const float* saved, const float* h_prev, float* d_input_gates,
                       float* d_hidden_gates, float* dh_prev_direct);
void gru_cell_backward(std::int64_t rows, std::int64_t hidden, const double* dh_new,
                       const double* saved, const double* h_prev, double* d_input_gates,
                       double* d_hidden_gates, double* dh_prev_direct);

}  // namespace lucid::kernels
