#pragma once
// GRU: the gated recurrent unit network, as torch.nn.GRU. Shapes and parameters: see rnn_base.hpp.
#include "lucidpp/nn/rnn_base.hpp"
#include "lucidpp/nn/rnn_options.hpp"

namespace lucid::nn {

// GRU, gates in PyTorch's order r, z, n (G = 3):
//   r_t = sigma(W_ir x_t + b_ir + W_hr h_{t-1} + b_hr)
//   z_t = sigma(W_iz x_t + b_iz + W_hz h_{t-1} + b_hz)
//   n_t = tanh(W_in x_t + b_in + r_t * (W_hn h_{t-1} + b_hn))
//   h_t = (1 - z_t) * n_t + z_t * h_{t-1}
// weight_ih_l{k} stacks [W_ir; W_iz; W_in] as (3H, I_k); weight_hh_l{k} stacks [W_hr; W_hz; W_hn].
class GRU : public RNNBase {
public:
    explicit GRU(const GRUOptions& options);
    GRU(std::int64_t input_size, std::int64_t hidden_size, std::int64_t num_layers = 1,
        bool bias = true, bool batch_first = false, double dropout = 0.0,
        bool bidirectional = false);

    std::tuple<Tensor, Tensor> forward(const Tensor& input, const Tensor& hx = Tensor());
    std::tuple<PackedSequence, Tensor> forward(const PackedSequence& input,
                                               const Tensor& hx = Tensor());
    std::tuple<Tensor, Tensor> operator()(const Tensor& input, const Tensor& hx = Tensor()) {
        return forward(input, hx);
    }
    std::tuple<PackedSequence, Tensor> operator()(const PackedSequence& input,
                                                  const Tensor& hx = Tensor()) {
        return forward(input, hx);
    }
    std::string name() const override { return "GRU"; }

    GRUOptions options;
};

}  // namespace lucid::nn
