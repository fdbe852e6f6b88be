#pragma once
// One layer and direction of a recurrent network as ONE tape node, the way cuDNN runs it:
//   1. one GEMM projects the inputs of all time steps:  X W_ih^T + b_ih
//   2. per step, one GEMM projects the hidden state:    h_{t-1} W_hh^T + b_hh
//      and a fused element-wise kernel applies the gates (kernels/rnn_cell.hpp,
//      kernels/gru_cell.hpp, kernels/lstm_cell.hpp hold the equations and the papers);
//   3. backward runs the steps in reverse with the gate kernels' derivatives, then computes
//      the weight gradients as large GEMMs over all steps at once.
// Steps are given in "packed" layout: step t owns rows [offset_t, offset_t + batch_sizes[t])
// of `input`, batch sizes never grow, and a plain (T, B, I) tensor is the case where every
// batch size is B. Rows that have finished keep their last state, so h_n holds each
// sequence's own final state.
#include <cstdint>
#include <vector>

#include "lucidpp/tensor/tensor.hpp"

namespace lucid {

enum class CellKind { rnn_tanh, rnn_relu, gru, lstm };

std::int64_t gate_count(CellKind kind);  // 1, 1, 3, 4

struct RecurrentWeights {
    Tensor w_ih;  // (G*H, I)
    Tensor w_hh;  // (G*H, H_out)
    Tensor b_ih;  // (G*H) or undefined
    Tensor b_hh;  // (G*H) or undefined
    Tensor w_hr;  // (P, H) for an LSTM with projections, else undefined
};

struct RecurrentLayerOutput {
    Tensor output;  // (N, H_out): the hidden state of every row
    Tensor h_n;     // (B, H_out)
    Tensor c_n;     // (B, H) for LSTM, else undefined
};

// input: (N, I) rows; batch_sizes: per step, summing to N; h0: (B, H_out) with B =
// batch_sizes[0]; c0: (B, H) for LSTM. `reverse` runs the steps from last to first.
RecurrentLayerOutput recurrent_layer(CellKind kind, const Tensor& input,
                                     const std::vector<std::int64_t>& batch_sizes, const Tensor& h0,
                                     const Tensor& c0, const RecurrentWeights& weights,
                                     bool reverse);

}  // namespace lucid
