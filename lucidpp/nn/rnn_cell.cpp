#include "lucidpp/nn/rnn_cell.hpp"

#include <cmath>
#include <optional>
#include <string>
#include <utility>

#include "lucidpp/nn/init.hpp"
#include "lucidpp/ops/recurrent_cells.hpp"
#include "lucidpp/tensor/creation.hpp"

namespace lucid::nn {

RNNCellBase::Common RNNCellBase::common() const {
    return std::visit(
        [](const auto& o) {
            return Common{cell_kind(o), o.input_size, o.hidden_size, o.bias};
        },
        options_);
}

RNNCellBase::RNNCellBase(RNNCellBaseOptions options) : options_(std::move(options)) {
    if (const auto* rnn = std::get_if<RNNCellOptions>(&options_)) {
        check(rnn->nonlinearity == "tanh" || rnn->nonlinearity == "relu",
              "RNNCell: Unknown nonlinearity '{}'. Select from 'tanh' or 'relu'.",
              rnn->nonlinearity);
    }
    const Common o = common();
    check(o.input_size > 0 && o.hidden_size > 0,
          "{}Cell: input_size and hidden_size must be greater than zero, got {} and {}",
          layer_name(o.kind), o.input_size, o.hidden_size);
    const std::string name = fmt::format("{}Cell", layer_name(o.kind));
    const std::optional<std::int64_t> G = try_mul(gate_count(o.kind), o.hidden_size);
    check(G.has_value(), "{}: hidden_size {} is too large: {} * hidden_size overflows int64", name,
          o.hidden_size, gate_count(o.kind));
    weight_ih = register_parameter("weight_ih", empty({*G, o.input_size}, float32, name));
    weight_hh = register_parameter("weight_hh", empty({*G, o.hidden_size}, float32, name));
    if (o.bias) {
        bias_ih = register_parameter("bias_ih", empty({*G}, float32, name));
        bias_hh = register_parameter("bias_hh", empty({*G}, float32, name));
    }
    reset_parameters();
}

void RNNCellBase::reset_parameters() {
    const double bound = 1.0 / std::sqrt(static_cast<double>(common().hidden_size));
    for (Tensor& weight : parameters()) init::uniform_(weight, -bound, bound);
}

std::string RNNCellBase::extra_repr() const {
    const Common o = common();
    std::string text = fmt::format("{}, {}", o.input_size, o.hidden_size);
    if (!o.bias) text += ", bias=False";
    if (o.kind == CellKind::rnn_relu) text += ", nonlinearity='relu'";
    return text;
}

Tensor RNNCellBase::batched_input(const Tensor& input, bool& unbatched) const {
    const std::int64_t input_size = common().input_size;
    check(input.dim() == 1 || input.dim() == 2,
          "{}: Expected input to be 1D or 2D, got {}D instead (shape {})", name(), input.dim(),
          input.shape());
    check(input.size(-1) == input_size,
          "{}: input.size(-1) must be equal to input_size. Expected {}, got {}", name(), input_size,
          input.size(-1));
    check(input.dtype() == weight_ih.dtype(),
          "{}: input and parameters must have the same dtype, got {} and {} (convert the module "
          "with to({}))",
          name(), input.dtype(), weight_ih.dtype(), input.dtype());
    unbatched = input.dim() == 1;
    return unbatched ? input.unsqueeze(0) : input;
}

Tensor RNNCellBase::batched_state(const Tensor& state, const Tensor& input, bool unbatched,
                                  const char* which) const {
    const std::int64_t batch = input.size(0), hidden_size = common().hidden_size;
    if (!state.defined()) return zeros({batch, hidden_size}, input.dtype());
    check(state.dtype() == input.dtype(),
          "{}: input and {} must have the same dtype, got {} and {}", name(), which, input.dtype(),
          state.dtype());
    Tensor h = unbatched ? state.unsqueeze(0) : state;
    check(h.dim() == 2 && h.shape() == Shape{batch, hidden_size}, "{}: Expected {} size {}, got {}",
          name(), which, unbatched ? Shape{hidden_size} : Shape{batch, hidden_size}, state.shape());
    return h;
}

RNNCell::RNNCell(const RNNCellOptions& options) : RNNCellBase(options) {}

Tensor RNNCell::forward(const Tensor& input, const Tensor& hx) {
    bool unbatched = false;
    Tensor x = batched_input(input, unbatched);
    Tensor h = rnn_cell(x, batched_state(hx, x, unbatched, "hidden"), weights(),
                        options().nonlinearity == "relu");
    return unbatched ? h.squeeze(0) : h;
}

GRUCell::GRUCell(const GRUCellOptions& options) : RNNCellBase(options) {}

Tensor GRUCell::forward(const Tensor& input, const Tensor& hx) {
    bool unbatched = false;
    Tensor x = batched_input(input, unbatched);
    Tensor h = gru_cell(x, batched_state(hx, x, unbatched, "hidden"), weights());
    return unbatched ? h.squeeze(0) : h;
}

LSTMCell::LSTMCell(const LSTMCellOptions& options) : RNNCellBase(options) {}

LSTMCell::State LSTMCell::forward(const Tensor& input, const State& hx) {
    check(std::get<0>(hx).defined() == std::get<1>(hx).defined(),
          "LSTMCell: give both h_0 and c_0, or neither");
    bool unbatched = false;
    Tensor x = batched_input(input, unbatched);
    auto [h, c] = lstm_cell(x, batched_state(std::get<0>(hx), x, unbatched, "hidden[0]"),
                            batched_state(std::get<1>(hx), x, unbatched, "hidden[1]"), weights());
    if (unbatched) return {h.squeeze(0), c.squeeze(0)};
    return {h, c};
}

}  // namespace lucid::nn
