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
// Equations: kernels/rnn_cell.hpp, kernels/gru_cell.hpp, kernels/lstm_cell.hpp.
#include <string>
#include <variant>
#include <vector>

#include "lucidpp/nn/module.hpp"
#include "lucidpp/nn/packed_sequence.hpp"
#include "lucidpp/nn/rnn_options.hpp"
#include "lucidpp/ops/recurrent_layer.hpp"

namespace lucid::nn {

// The options of the layer an RNNBase is: an RNN's, a GRU's or an LSTM's.
using RNNBaseOptions = std::variant<RNNOptions, GRUOptions, LSTMOptions>;

class RNNBase : public Module {
public:
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

protected:
    // Validates the options and registers the parameters. The options are stored here and
    // nowhere else: RNN, GRU and LSTM return their own alternative from options().
    explicit RNNBase(RNNBaseOptions options);
    const RNNBaseOptions& stored_options() const { return options_; }

private:
    // What the shared code reads, whichever layer this is: the cell kind and the options all
    // three have (proj_size is 0 except for an LSTM). Computed from options_, not stored.
    struct Common {
        CellKind kind;
        std::int64_t input_size, hidden_size, num_layers;
        bool bias, batch_first;
        double dropout;
        bool bidirectional;
        std::int64_t proj_size;
    };
    Common common() const;
    void validate() const;
    std::int64_t num_directions() const { return common().bidirectional ? 2 : 1; }
    std::int64_t output_hidden_size() const;

    // Runs all layers over packed rows (N, I) with per-step batch sizes; h0/c0 are
    // (num_layers*D, B, H) in sorted batch order.
    Result run_packed_rows(const Tensor& rows, const std::vector<std::int64_t>& batch_sizes,
                           const Tensor& h0, const Tensor& c0);
    void check_dtype(const Tensor& input) const;
    // hx checked and expanded to (num_layers*D, B, size); zeros when undefined.
    Tensor initial_state(const Tensor& given, std::int64_t batch, std::int64_t size, Dtype dtype,
                         const std::string& which, bool unbatched) const;

    RNNBaseOptions options_;
    std::vector<std::string> flat_weight_names_;
    std::vector<RecurrentWeights> layer_weights_;  // index: layer * D + direction
};

}  // namespace lucid::nn
