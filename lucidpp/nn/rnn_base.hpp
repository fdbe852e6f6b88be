#pragma once
// RNNBase: what RNN, GRU and LSTM share, as torch.nn.RNNBase.
//
// Parameters, for layer k and direction suffix "" (forward) or "_reverse" (bidirectional):
//   weight_ih_l{k}{suffix}  (G*H, I_k)   I_0 = input_size, I_k = D*H_out for k > 0
//   weight_hh_l{k}{suffix}  (G*H, H_out)
//   bias_ih_l{k}{suffix}    (G*H)        only with bias
//   bias_hh_l{k}{suffix}    (G*H)        only with bias
//   weight_hr_l{k}{suffix}  (P, H)       only LSTM with proj_size P > 0
// where G is the number of gates (RNN 1, GRU 3, LSTM 4), H = hidden_size, D = 2 if
// bidirectional else 1, and H_out = P if proj_size > 0 else H. All are initialised
// U(-1/sqrt(H), 1/sqrt(H)), in the order above, as PyTorch does.
//
// Inputs: a 3-D (T, B, I) tensor ((B, T, I) with batch_first), an unbatched 2-D (T, I)
// tensor, or a PackedSequence. The initial state hx is (num_layers*D, B, H_out), or
// (num_layers*D, H_out) for unbatched input, or omitted for zeros. As in lucid (the Python
// framework), a batched input also accepts a 2-D hx of shape (B, H_out): it is the first layer's
// initial state (forward direction), and every other layer and direction starts at zero.
//
// Each layer and direction runs as one fused tape node (ops/recurrent_layer.hpp). Dropout
// (training only) is applied to the output of every layer except the last.
#include <optional>
#include <string>
#include <tuple>
#include <vector>

#include "lucidpp/nn/module.hpp"
#include "lucidpp/nn/packed_sequence.hpp"
#include "lucidpp/ops/recurrent_layer.hpp"

namespace lucid::nn {

struct RNNBaseOptions {
    CellKind kind = CellKind::gru;
    std::int64_t input_size = 0;
    std::int64_t hidden_size = 0;
    std::int64_t num_layers = 1;
    bool bias = true;
    bool batch_first = false;
    double dropout = 0.0;
    bool bidirectional = false;
    std::int64_t proj_size = 0;
};

class RNNBase : public Module {
public:
    explicit RNNBase(const RNNBaseOptions& options);

    // Re-draws every parameter from U(-1/sqrt(H), 1/sqrt(H)).
    void reset_parameters();

    // The weights of one layer and direction, by reference to the registered parameters.
    RecurrentWeights weights(std::int64_t layer, std::int64_t direction) const;
    // (output, h_n, c_n); c_n is undefined except for LSTM. `hx`/`cx` may be undefined.
    struct Result {
        Tensor output, h_n, c_n;
    };
    Result run(const Tensor& input, const Tensor& hx, const Tensor& cx);
    struct PackedResult {
        PackedSequence output;
        Tensor h_n, c_n;
    };
    PackedResult run(const PackedSequence& input, const Tensor& hx, const Tensor& cx);

    std::string extra_repr() const override;

    // The flat list PyTorch calls _flat_weights_names, in registration order.
    const std::vector<std::string>& flat_weight_names() const { return flat_weight_names_; }

    RNNBaseOptions base_options;

protected:
    std::int64_t num_directions() const { return base_options.bidirectional ? 2 : 1; }
    std::int64_t output_hidden_size() const;
    std::string mode_name() const;

private:
    // Runs all layers over packed rows (N, I) with per-step batch sizes; h0/c0 are
    // (num_layers*D, B, H) in sorted batch order.
    Result run_packed_rows(const Tensor& rows, const std::vector<std::int64_t>& batch_sizes,
                           const Tensor& h0, const Tensor& c0);
    void check_input(const Tensor& input, std::int64_t expected_dims) const;
    Tensor initial_state(const Tensor& given, std::int64_t batch, std::int64_t size,
                         Dtype dtype, const char* which, bool unbatched) const;

    std::vector<std::string> flat_weight_names_;
    std::vector<RecurrentWeights> layer_weights_;  // index: layer * D + direction
};

// Elman RNN: h_t = tanh(W_ih x_t + b_ih + W_hh h_{t-1} + b_hh) (or relu). G = 1.
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

    RNNOptions options;
};

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

// LSTM, gates in PyTorch's order i, f, g, o (G = 4):
//   i_t = sigma(W_ii x_t + b_ii + W_hi h_{t-1} + b_hi)
//   f_t = sigma(W_if x_t + b_if + W_hf h_{t-1} + b_hf)
//   g_t = tanh(W_ig x_t + b_ig + W_hg h_{t-1} + b_hg)
//   o_t = sigma(W_io x_t + b_io + W_ho h_{t-1} + b_ho)
//   c_t = f_t * c_{t-1} + i_t * g_t
//   h_t = o_t * tanh(c_t)            (with proj_size P > 0: h_t = W_hr (o_t * tanh(c_t)))
// State: (h, c) with h of H_out features and c of H features.
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

    LSTMOptions options;
};

}  // namespace lucid::nn
