#pragma once
// GRU: the gated recurrent unit network, as torch.nn.GRU. Shapes and parameters: see rnn_base.hpp.
// Equations: kernels/gru_cell.hpp.
#include <tuple>
#include <variant>

#include "lucidpp/nn/rnn_base.hpp"
#include "lucidpp/nn/rnn_options.hpp"

namespace lucid::nn {

// GRU, gates in PyTorch's order r, z, n (G = 3): weight_ih_l{k} stacks [W_ir; W_iz; W_in] as
// (3H, I_k); weight_hh_l{k} stacks [W_hr; W_hz; W_hn].
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

    const GRUOptions& options() const { return std::get<GRUOptions>(stored_options()); }
};

}  // namespace lucid::nn
