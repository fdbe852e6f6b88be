#pragma once
// RNN: the Elman recurrent network, as torch.nn.RNN. Shapes and parameters: see rnn_base.hpp.
// Equations: kernels/rnn_cell.hpp.
#include <string>
#include <tuple>
#include <variant>

#include "lucidpp/nn/rnn_base.hpp"
#include "lucidpp/nn/rnn_options.hpp"

namespace lucid::nn {

// Elman RNN, with a tanh or relu nonlinearity (G = 1).
class RNN : public RNNBase {
public:
    explicit RNN(const RNNOptions& options);
    RNN(std::int64_t input_size, std::int64_t hidden_size, std::int64_t num_layers = 1,
        std::string nonlinearity = "tanh", bool bias = true, bool batch_first = false,
        double dropout = 0.0, bool bidirectional = false);

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
    std::string name() const override { return "RNN"; }

    const RNNOptions& options() const { return std::get<RNNOptions>(stored_options()); }
};

}  // namespace lucid::nn
