#pragma once
// Fused gate kernels of the LSTM cell (PyTorch's gate order i, f, g, o), for `rows` rows of H
// units.
//
// Forward, with gates = W_ih x + b_ih + W_hh h + b_hh = [a_i, a_f, a_g, a_o]:
//   i = sigma(a_i)   f = sigma(a_f)   g = tanh(a_g)   o = sigma(a_o)
//   c' = f * c + i * g
//   m  = o * tanh(c')          (h' = m, or h' = W_hr m with projections)
// `saved` keeps [i, f, g, o] per row (4H) for backward.
//
// Backward, from dm and the gradient dc' flowing back from the next step:
//   do  = dm * tanh(c')
//   dc' = dc' + dm * o * (1 - tanh(c')^2)
//   di  = dc' * g    df = dc' * c    dg = dc' * i    dc (to the previous step) = dc' * f
//   pre-activation: di * i(1-i), df * f(1-f), dg * (1-g^2), do * o(1-o)
// Input and hidden projections get the same pre-activation gradients.
// Buffers: xw, hw, d_gates (rows, 4H); saved (rows, 4H); the rest (rows, H).
#include <cstdint>

namespace lucid::kernels {

void lstm_cell_forward(std::int64_t rows, std::int64_t hidden, const float* xw, const float* hw,
                       const float* c_prev, float* c_new, float* m, float* saved);
void lstm_cell_forward(std::int64_t rows, std::int64_t hidden, const double* xw, const double* hw,
                       const double* c_prev, double* c_new, double* m, double* saved);

// dc: on entry the gradient of c', on exit the gradient of c (the previous cell state).
void lstm_cell_backward(std::int64_t rows, std::int64_t hidden, const float* dm, float* dc,
                        const float* saved, const float* c_new, const float* c_prev,
                        float* d_gates);
void lstm_cell_backward(std::int64_t rows, std::int64_t hidden, const double* dm, double* dc,
                        const double* saved, const double* c_new, const double* c_prev,
                        double* d_gates);

}  // namespace lucid::kernels
