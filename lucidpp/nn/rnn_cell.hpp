#pragma once
// RNNCell, GRUCell and LSTMCell: one time step, as torch.nn.RNNCell, GRUCell and LSTMCell,
// computed with primitive ops (ops/recurrent_cells.hpp).
// Equations: kernels/rnn_cell.hpp, kernels/gru_cell.hpp, kernels/lstm_cell.hpp.
// Parameters, all U(-1/sqrt(H), 1/sqrt(H)):
//   weight_ih (G*H, input_size), weight_hh (G*H, H), bias_ih (G*H), bias_hh (G*H)
// Input: (B, input_size) or unbatched (input_size). hx: (B, H) or (H), or omitted for zeros.
#include <tuple>
#include <variant>

#include "lucidpp/nn/module.hpp"
#include "lucidpp/nn/rnn_options.hpp"
#include "lucidpp/ops/recurrent_layer.hpp"

namespace lucid::nn {

// The options of the cell an RNNCellBase is: an RNNCell's, a GRUCell's or an LSTMCell's.
using RNNCellBaseOptions = std::variant<RNNCellOptions, GRUCellOptions, LSTMCellOptions>;

// Shared by the three cells: parameters, validation, and the batching of inputs.
class RNNCellBase : public Module {
public:
    void reset_parameters();
    std::string extra_repr() const override;

    Tensor weight_ih, weight_hh, bias_ih, bias_hh;

protected:
    // Validates the options and registers the parameters. The options are stored here and
    // nowhere else: each cell returns its own alternative from options().
    explicit RNNCellBase(RNNCellBaseOptions options);
    const RNNCellBaseOptions& stored_options() const { return options_; }

    RecurrentWeights weights() const { return {weight_ih, weight_hh, bias_ih, bias_hh, Tensor()}; }
    // The input as (B, I) and a state as (B, H) (zeros when undefined); `unbatched` is set for 1-D
    // input.
    Tensor batched_input(const Tensor& input, bool& unbatched) const;
    Tensor batched_state(const Tensor& state, const Tensor& input, bool unbatched,
                         const char* which) const;

private:
    // What the shared code reads, whichever cell this is. Computed from options_, not stored.
    struct Common {
        CellKind kind;
        std::int64_t input_size, hidden_size;
        bool bias;
    };
    Common common() const;

    RNNCellBaseOptions options_;
};

class RNNCell : public RNNCellBase {
public:
    explicit RNNCell(const RNNCellOptions& options);
    RNNCell(std::int64_t input_size, std::int64_t hidden_size, bool bias = true,
            std::string nonlinearity = "tanh")
        : RNNCell(RNNCellOptions{input_size, hidden_size, bias, std::move(nonlinearity)}) {}
    Tensor forward(const Tensor& input, const Tensor& hx = Tensor());
    Tensor operator()(const Tensor& input, const Tensor& hx = Tensor()) {
        Tensor h = forward(input, hx);
        if (forward_hook_set()) report_forward(*this, {h});
        return h;
    }
    std::string name() const override { return "RNNCell"; }
    const RNNCellOptions& options() const { return std::get<RNNCellOptions>(stored_options()); }
};

class GRUCell : public RNNCellBase {
public:
    explicit GRUCell(const GRUCellOptions& options);
    GRUCell(std::int64_t input_size, std::int64_t hidden_size, bool bias = true)
        : GRUCell(GRUCellOptions{input_size, hidden_size, bias}) {}
    Tensor forward(const Tensor& input, const Tensor& hx = Tensor());
    Tensor operator()(const Tensor& input, const Tensor& hx = Tensor()) {
        Tensor h = forward(input, hx);
        if (forward_hook_set()) report_forward(*this, {h});
        return h;
    }
    std::string name() const override { return "GRUCell"; }
    const GRUCellOptions& options() const { return std::get<GRUCellOptions>(stored_options()); }
};

class LSTMCell : public RNNCellBase {
public:
    using State = std::tuple<Tensor, Tensor>;  // (h, c)
    explicit LSTMCell(const LSTMCellOptions& options);
    LSTMCell(std::int64_t input_size, std::int64_t hidden_size, bool bias = true)
        : LSTMCell(LSTMCellOptions{input_size, hidden_size, bias}) {}
    // Returns (h', c').
    State forward(const Tensor& input, const State& hx = State());
    State operator()(const Tensor& input, const State& hx = State()) {
        State state = forward(input, hx);
        if (forward_hook_set()) report_forward(*this, {std::get<0>(state), std::get<1>(state)});
        return state;
    }
    std::string name() const override { return "LSTMCell"; }
    const LSTMCellOptions& options() const { return std::get<LSTMCellOptions>(stored_options()); }
};

}  // namespace lucid::nn
