#pragma once
// The Elman recurrent cell: Elman, "Finding Structure in Time", Cognitive Science 1990, as
// torch.nn.RNN computes it. This header is the one home of its equations.
//
// W_ih is (H, I), W_hh is (H, H), the biases (H). With act = tanh or relu:
//   h_t = act(W_ih x_t + b_ih + W_hh h_{t-1} + b_hh)
// Backward, from dh_t:
//   d pre_t = dh_t * act'(pre_t)     tanh' = 1 - h_t^2,   relu' = [h_t > 0]
// and both projections get d pre_t.
#include "lucidpp/kernels/cell_step.hpp"

namespace lucid::kernels {

void rnn_cell_forward(bool relu, const ForwardStep<float>& step);
void rnn_cell_forward(bool relu, const ForwardStep<double>& step);
void rnn_cell_backward(bool relu, const BackwardStep<float>& step);
void rnn_cell_backward(bool relu, const BackwardStep<double>& step);

template <bool Relu>
struct RnnCell {
    static constexpr const char* name = "rnn";
    static constexpr std::int64_t gates = 1;
    static constexpr std::int64_t saved_per_unit = 0;  // backward reads h_t
    static constexpr bool has_cell_state = false;
    static constexpr bool hidden_gates_differ = false;
    static constexpr bool direct_path = false;

    template <class T>
    static void forward(const ForwardStep<T>& step) {
        rnn_cell_forward(Relu, step);
    }
    template <class T>
    static void backward(const BackwardStep<T>& step) {
        rnn_cell_backward(Relu, step);
    }
};

using RnnTanhCell = RnnCell<false>;
using RnnReluCell = RnnCell<true>;

}  // namespace lucid::kernels
