#pragma once
// Recurrent cells written with primitive ops, one time step each, so that autograd derives
// their gradients. Each reads line by line like the equations in its kernel header
// (kernels/rnn_cell.hpp, kernels/gru_cell.hpp, kernels/lstm_cell.hpp), and they serve RNNCell,
// GRUCell, LSTMCell and the step-by-step reference layer (ops/recurrent_layer_reference.hpp).
// x: (B, I), h: (B, H_out).
#include <tuple>

#include "lucidpp/ops/recurrent_layer.hpp"

namespace lucid {

Tensor rnn_cell(const Tensor& x, const Tensor& h, const RecurrentWeights& w, bool relu);
Tensor gru_cell(const Tensor& x, const Tensor& h, const RecurrentWeights& w);
// Returns (h', c'); with w.w_hr defined, h' = W_hr (o * tanh(c')).
std::tuple<Tensor, Tensor> lstm_cell(const Tensor& x, const Tensor& h, const Tensor& c,
                                     const RecurrentWeights& w);

}  // namespace lucid
