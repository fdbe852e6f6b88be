#pragma once
// The gated recurrent unit (GRU) cell: Cho et al., "Learning Phrase Representations using RNN
// Encoder-Decoder for Statistical Machine Translation", EMNLP 2014, in the form PyTorch (and
// cuDNN) compute it. This header is the one home of its equations.
//
// Gates in PyTorch's order r, z, n. W_ih stacks [W_ir; W_iz; W_in] as (3H, I), W_hh stacks
// [W_hr; W_hz; W_hn] as (3H, H), and the biases likewise (3H). With
//   xw = W_ih x_t + b_ih = [x_r, x_z, x_n]    and    hw = W_hh h_{t-1} + b_hh = [h_r, h_z, h_n]:
//   r_t = sigma(x_r + h_r)                       reset gate
//   z_t = sigma(x_z + h_z)                       update gate
//   n_t = tanh(x_n + r_t * h_n)                  candidate state
//   h_t = (1 - z_t) * n_t + z_t * h_{t-1}
// The paper resets the state before the product, tanh(W x + U (r * h)); PyTorch resets it after,
// r * (W_hn h + b_hn), so that the three hidden projections are one GEMM.
//
// Backward, from dh_t:
//   dn = dh_t * (1 - z)       dz = dh_t * (h_{t-1} - n)       dh_{t-1} (direct) = dh_t * z
//   dn_pre = dn * (1 - n^2)   dz_pre = dz * z * (1 - z)       dr_pre = dn_pre * h_n * r * (1 - r)
// The input projection gets [dr_pre, dz_pre, dn_pre]; the hidden projection gets
// [dr_pre, dz_pre, dn_pre * r], because r scales h_n after W_hn was applied.
#include "lucidpp/kernels/cell_step.hpp"

namespace lucid::kernels {

// Forward keeps [r, z, n, h_n] per row; backward leaves dh_t * z in step.dh.
void gru_cell_forward(const ForwardStep<float>& step);
void gru_cell_forward(const ForwardStep<double>& step);
void gru_cell_backward(const BackwardStep<float>& step);
void gru_cell_backward(const BackwardStep<double>& step);

struct GruCell {
    static constexpr const char* name = "gru";
    static constexpr std::int64_t gates = 3;           // r, z, n
    static constexpr std::int64_t saved_per_unit = 4;  // r, z, n, h_n
    static constexpr bool has_cell_state = false;
    static constexpr bool hidden_gates_differ = true;
    static constexpr bool direct_path = true;

    template <class T>
    static void forward(const ForwardStep<T>& step) {
        gru_cell_forward(step);
    }
    template <class T>
    static void backward(const BackwardStep<T>& step) {
        gru_cell_backward(step);
    }
};

}  // namespace lucid::kernels
