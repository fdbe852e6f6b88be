#pragma once
// The long short-term memory (LSTM) cell: Hochreiter & Schmidhuber, "Long Short-Term Memory",
// Neural Computation 1997, with the forget gate of Gers, Schmidhuber & Cummins, "Learning to
// Forget: Continual Prediction with LSTM", Neural Computation 2000, and the optional output
// projection of Sak, Senior & Beaufays, "Long Short-Term Memory Recurrent Neural Network
// Architectures for Large Scale Acoustic Modeling", Interspeech 2014; as PyTorch computes them.
// This header is the one home of its equations.
//
// Gates in PyTorch's order i, f, g, o. W_ih stacks [W_ii; W_if; W_ig; W_io] as (4H, I), W_hh
// stacks [W_hi; W_hf; W_hg; W_ho] as (4H, H_out), the biases likewise (4H). With
//   a = W_ih x_t + b_ih + W_hh h_{t-1} + b_hh = [a_i, a_f, a_g, a_o]:
//   i_t = sigma(a_i)    f_t = sigma(a_f)    g_t = tanh(a_g)    o_t = sigma(a_o)
//   c_t = f_t * c_{t-1} + i_t * g_t
//   m_t = o_t * tanh(c_t)
//   h_t = m_t, or with proj_size P > 0, h_t = W_hr m_t with W_hr of shape (P, H), H_out = P.
// The projection is a product after the cell: the layer's step loop applies it
// (ops/recurrent_layer.cpp), and the cell below computes m_t.
//
// Backward, from dm_t and the dc_t flowing back from step t + 1:
//   do = dm_t * tanh(c_t)           dc_t += dm_t * o * (1 - tanh(c_t)^2)
//   di = dc_t * g    df = dc_t * c_{t-1}    dg = dc_t * i    dc_{t-1} = dc_t * f
//   pre-activation: di * i(1 - i), df * f(1 - f), dg * (1 - g^2), do * o(1 - o)
// The input and the hidden projection get the same pre-activation gradients.
#include "lucidpp/kernels/cell_step.hpp"

namespace lucid::kernels {

// Forward keeps [i, f, g, o, c_{t-1}, c_t] per row and writes m_t to step.h.
void lstm_cell_forward(const ForwardStep<float>& step);
void lstm_cell_forward(const ForwardStep<double>& step);
// Reads dm_t from step.dh.
void lstm_cell_backward(const BackwardStep<float>& step);
void lstm_cell_backward(const BackwardStep<double>& step);

struct LstmCell {
    static constexpr const char* name = "lstm";
    static constexpr std::int64_t gates = 4;           // i, f, g, o
    static constexpr std::int64_t saved_per_unit = 6;  // i, f, g, o, c_{t-1}, c_t
    static constexpr bool has_cell_state = true;
    static constexpr bool hidden_gates_differ = false;
    static constexpr bool direct_path = false;

    template <class T>
    static void forward(const ForwardStep<T>& step) {
        lstm_cell_forward(step);
    }
    template <class T>
    static void backward(const BackwardStep<T>& step) {
        lstm_cell_backward(step);
    }
};

}  // namespace lucid::kernels
