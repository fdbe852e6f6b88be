#pragma once
// Fused gate kernels of the LSTM cell (PyTorch's gate order i, f, g, o), for `rows` rows of H units.
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

template <class T>
void lstm_cell_forward(std::int64_t rows, std::int64_t hidden, const T* xw, const T* hw,
                       const T* c_prev, T* c_new, T* m, T* saved);

// dc: on entry the gradient of c', on exit the gradient of c (the previous cell state).
template <class T>
void lstm_cell_backward(std::int64_t rows, std::int64_t hidden, const T* dm, T* dc,
                        const T* saved, const T* c_new, const T* c_prev, T* d_gates);

}  // namespace lucid::kernels
