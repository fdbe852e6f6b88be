#pragma once
// LSTM: long short-term memory, as torch.nn.LSTM. Shapes and parameters: see rnn_base.hpp.
// Equations: kernels/lstm_cell.hpp.
#include <tuple>
#include <variant>

#include "lucidpp/nn/rnn_base.hpp"
#include "lucidpp/nn/rnn_options.hpp"

namespace lucid::nn {

// LSTM, gates in PyTorch's order i, f, g, o (G = 4); with proj_size P > 0, h_t is projected to
// P features by weight_hr. State: (h, c) with h of H_out features and c of H features.
class LSTM : public RNNBase {
public:
    using State = std::tuple<Tensor, Tensor>;  // (h, c)

    explicit LSTM(const LSTMOptions& options);
    LSTM(std::int64_t input_size, std::int64_t hidden_size, std::int64_t num_layers = 1,
         bool bias = true, bool batch_first = false, double dropout = 0.0,
         bool bidirectional = false, std::int64_t proj_size = 0);

    // auto [output, state] = lstm(x); auto [h_n, c_n] = state;
    std::tuple<Tensor, State> forward(const Tensor& input, const State& hx = State());
    std::tuple<PackedSequence, State> forward(const PackedSequence& input,
                                              const State& hx = State());
    std::tuple<Tensor, State> operator()(const Tensor& input, const State& hx = State()) {
        return forward(input, hx);
    }
    std::tuple<PackedSequence, State> operator()(const PackedSequence& input,
                                                 const State& hx = State()) {
        return forward(input, hx);
    }
    std::string name() const override { return "LSTM"; }

    const LSTMOptions& options() const { return std::get<LSTMOptions>(stored_options()); }
};

}  // namespace lucid::nn
