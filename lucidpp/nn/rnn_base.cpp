#include "lucidpp/nn/rnn_base.hpp"

#include <spdlog/spdlog.h>

#include <algorithm>
#include <cmath>
#include <utility>
#include <variant>

#include "lucidpp/nn/functional.hpp"
#include "lucidpp/nn/init.hpp"
#include "lucidpp/ops/arithmetic.hpp"
#include "lucidpp/ops/shape.hpp"
#include "lucidpp/tensor/creation.hpp"

namespace lucid::nn {

namespace {

// Absurd sizes must be an error, not a wrapped weight shape: the weights have gates * H rows,
// later layers read 2 * H inputs when bidirectional, and all of them, over num_layers layers,
// must be countable in int64 (counted in double, which cannot overflow). empty() names the
// module when the memory is what is missing.
template <class Common>
void check_countable(const Common& o, const char* name) {
    check(try_mul(gate_count(o.kind), o.hidden_size) && try_mul(2, o.hidden_size),
          "{}: hidden_size {} is too large: {} * hidden_size overflows int64", name, o.hidden_size,
          std::max<std::int64_t>(gate_count(o.kind), 2));
    auto real = [](std::int64_t n) { return static_cast<double>(n); };
    const double H = real(o.hidden_size), H_out = o.proj_size > 0 ? real(o.proj_size) : H;
    const double dirs = o.bidirectional ? 2.0 : 1.0, rows = real(gate_count(o.kind)) * H;
    const double extra = (o.bias ? 2.0 * rows : 0.0) + (o.proj_size > 0 ? H_out * H : 0.0);
    const double first = rows * (real(o.input_size) + H_out) + extra;
    const double later = rows * (dirs * H_out + H_out) + extra;
    check(dirs * (first + real(o.num_layers - 1) * later) < 0x1p63,
          "{}: too many weights to count in int64 (input_size {}, hidden_size {}, num_layers {})",
          name, o.input_size, o.hidden_size, o.num_layers);
}

}  // namespace

RNNBase::Common RNNBase::common() const {
    return std::visit(
        [](const auto& o) {
            std::int64_t proj_size = 0;
            if constexpr (requires { o.proj_size; }) proj_size = o.proj_size;
            return Common{cell_kind(o),  o.input_size, o.hidden_size,   o.num_layers, o.bias,
                          o.batch_first, o.dropout,    o.bidirectional, proj_size};
        },
        options_);
}

void RNNBase::validate() const {
    if (const auto* rnn = std::get_if<RNNOptions>(&options_)) {
        check(rnn->nonlinearity == "tanh" || rnn->nonlinearity == "relu",
              "RNN: Unknown nonlinearity '{}'. Select from 'tanh' or 'relu'.", rnn->nonlinearity);
    }
    const Common o = common();
    const char* name = layer_name(o.kind);
    check(o.input_size > 0, "{}: input_size must be greater than zero, got {}", name, o.input_size);
    check(o.hidden_size > 0, "{}: hidden_size must be greater than zero, got {}", name,
          o.hidden_size);
    check(o.num_layers > 0, "{}: num_layers must be greater than zero, got {}", name, o.num_layers);
    check(o.dropout >= 0.0 && o.dropout <= 1.0,
          "{}: dropout should be a number in range [0, 1] representing the probability of an "
          "element being zeroed, got {}",
          name, o.dropout);
    check(o.proj_size >= 0,
          "{}: proj_size should be a positive integer or zero to disable projections, got {}", name,
          o.proj_size);
    check(o.proj_size < o.hidden_size,
          "{}: proj_size has to be smaller than hidden_size, got {} and {}", name, o.proj_size,
          o.hidden_size);
    check_countable(o, name);
    if (o.dropout > 0.0 && o.num_layers == 1) {
        spdlog::warn(
            "{}: dropout option adds dropout after all but last recurrent layer, so non-zero "
            "dropout expects num_layers greater than 1, but got dropout={} and num_layers={}",
            name, o.dropout, o.num_layers);
    }
}

RNNBase::RNNBase(RNNBaseOptions options) : options_(std::move(options)) {
    validate();
    const Common o = common();
    const std::int64_t G = gate_count(o.kind), H = o.hidden_size;
    const std::int64_t H_out = output_hidden_size();
    for (std::int64_t layer = 0; layer < o.num_layers; ++layer) {
        for (std::int64_t direction = 0; direction < num_directions(); ++direction) {
            const std::string suffix =
                fmt::format("_l{}{}", layer, direction == 1 ? "_reverse" : "");
            const std::int64_t in = layer == 0 ? o.input_size : H_out * num_directions();
            auto add = [&](const std::string& prefix, const Shape& shape) {
                flat_weight_names_.push_back(prefix + suffix);
                return register_parameter(prefix + suffix,
                                          empty(shape, float32, layer_name(o.kind)));
            };
            RecurrentWeights w;
            w.w_ih = add("weight_ih", {G * H, in});
            w.w_hh = add("weight_hh", {G * H, H_out});
            if (o.bias) {
                w.b_ih = add("bias_ih", {G * H});
                w.b_hh = add("bias_hh", {G * H});
            }
            if (o.proj_size > 0) w.w_hr = add("weight_hr", {H_out, H});
            layer_weights_.push_back(w);
        }
    }
    reset_parameters();
}

void RNNBase::reset_parameters() {
    const double bound = 1.0 / std::sqrt(static_cast<double>(common().hidden_size));
    for (Tensor& weight : parameters()) init::uniform_(weight, -bound, bound);
}

std::int64_t RNNBase::output_hidden_size() const {
    const Common o = common();
    return o.proj_size > 0 ? o.proj_size : o.hidden_size;
}

RecurrentWeights RNNBase::weights(std::int64_t layer, std::int64_t direction) const {
    check(
        layer >= 0 && layer < common().num_layers && direction >= 0 && direction < num_directions(),
        "{}: no weights for layer {} direction {}", name(), layer, direction);
    return layer_weights_[static_cast<std::size_t>(layer * num_directions() + direction)];
}

Tensor RNNBase::initial_state(const Tensor& given, std::int64_t batch, std::int64_t size,
                              Dtype dtype, const std::string& which, bool unbatched) const {
    const std::int64_t layers = common().num_layers * num_directions();
    const Shape expected{layers, batch, size};
    if (!given.defined()) return zeros(expected, dtype);
    check(given.dtype() == dtype, "{}: input and {} must have the same dtype, got {} and {}",
          name(), which, dtype, given.dtype());
    if (unbatched) {
        check(given.dim() == 2,
              "{}: For unbatched 2-D input, hx should also be 2-D but got {}-D tensor", name(),
              given.dim());
        check(given.shape() == Shape{layers, size}, "Expected {} size {}, got {}", which,
              Shape{layers, size}, given.shape());
        return given.unsqueeze(1);
    }
    if (given.dim() == 2) {
        // lucid's convention: a (B, H) state is the first layer's; the others start at zero.
        check(given.shape() == Shape{batch, size}, "Expected {} size {} or {}, got {}", which,
              Shape{batch, size}, expected, given.shape());
        if (layers == 1) return given.unsqueeze(0);
        return cat({given.unsqueeze(0), zeros({layers - 1, batch, size}, dtype)}, 0);
    }
    check(given.dim() == 3,
          "{}: For batched 3-D input, hx should also be 3-D (or 2-D) but got {}-D tensor", name(),
          given.dim());
    check(given.shape() == expected, "Expected {} size {}, got {}", which, expected, given.shape());
    return given;
}

void RNNBase::check_dtype(const Tensor& input) const {
    const Dtype own = layer_weights_.front().w_ih.dtype();
    check(input.dtype() == own,
          "{}: input and parameters must have the same dtype, got {} and {} (convert the module "
          "with to({}))",
          name(), input.dtype(), own, input.dtype());
}

RNNBase::Result RNNBase::run_packed_rows(const Tensor& rows,
                                         const std::vector<std::int64_t>& batch_sizes,
                                         const Tensor& h0, const Tensor& c0) {
    const Common o = common();
    const bool lstm = o.kind == CellKind::lstm;
    Tensor layer_input = rows;
    std::vector<Tensor> h_n, c_n;
    for (std::int64_t layer = 0; layer < o.num_layers; ++layer) {
        std::vector<Tensor> outputs;
        for (std::int64_t direction = 0; direction < num_directions(); ++direction) {
            const std::int64_t index = layer * num_directions() + direction;
            RecurrentLayerOutput out = recurrent_layer(
                o.kind, layer_input, batch_sizes, h0.select(0, index),
                lstm ? c0.select(0, index) : Tensor(), weights(layer, direction), direction == 1);
            outputs.push_back(out.output);
            h_n.push_back(out.h_n);
            if (lstm) c_n.push_back(out.c_n);
        }
        layer_input = outputs.size() == 1 ? outputs[0] : cat(outputs, 1);
        const bool last = layer + 1 == o.num_layers;
        if (!last && o.dropout > 0.0 && is_training()) {
            layer_input = functional::dropout(layer_input, o.dropout, true);
        }
    }
    return {layer_input, stack(h_n, 0), lstm ? stack(c_n, 0) : Tensor()};
}

RNNBase::Result RNNBase::run(const Tensor& input, const Tensor& hx, const Tensor& cx) {
    check(input.dim() == 2 || input.dim() == 3,
          "{}: Expected input to be 2D or 3D, got {}D instead (shape {})", name(), input.dim(),
          input.shape());
    check(input.is_floating_point(), "{}: expected a floating point input, got {}", name(),
          input.dtype());
    check_dtype(input);
    const Common o = common();
    const bool unbatched = input.dim() == 2;
    Tensor x = unbatched ? input.unsqueeze(1) : (o.batch_first ? input.transpose(0, 1) : input);
    check(x.size(-1) == o.input_size,
          "{}: input.size(-1) must be equal to input_size. Expected {}, got {}", name(),
          o.input_size, x.size(-1));
    const std::int64_t steps = x.size(0), batch = x.size(1);
    check(steps > 0 && batch > 0, "{}: expected a non-empty input, got shape {}", name(),
          input.shape());

    const bool lstm = o.kind == CellKind::lstm;
    Tensor h0 = initial_state(hx, batch, output_hidden_size(), input.dtype(),
                              lstm ? "hidden[0]" : "hidden", unbatched);
    Tensor c0 = lstm
                    ? initial_state(cx, batch, o.hidden_size, input.dtype(), "hidden[1]", unbatched)
                    : Tensor();
    Result r =
        run_packed_rows(x.reshape({steps * batch, o.input_size}),
                        std::vector<std::int64_t>(static_cast<std::size_t>(steps), batch), h0, c0);

    Tensor output = r.output.view({steps, batch, r.output.size(1)});
    if (unbatched) {
        output = output.squeeze(1);
        r.h_n = r.h_n.squeeze(1);
        if (lstm) r.c_n = r.c_n.squeeze(1);
    } else if (o.batch_first) {
        output = output.transpose(0, 1);
    }
    if (forward_hook_set()) report_forward(*this, {output, r.h_n, r.c_n});
    return {output, r.h_n, r.c_n};
}

RNNBase::PackedResult RNNBase::run(const PackedSequence& input, const Tensor& hx,
                                   const Tensor& cx) {
    const Tensor& data = input.data;
    check(data.dim() == 2, "{}: packed data must be 2-D (sum of lengths, input_size), got {}",
          name(), data.shape());
    const Common o = common();
    check(data.size(-1) == o.input_size,
          "{}: input.size(-1) must be equal to input_size. Expected {}, got {}", name(),
          o.input_size, data.size(-1));
    check_dtype(data);
    std::vector<std::int64_t> batch_sizes = input.batch_size_list();
    check(!batch_sizes.empty(), "{}: empty PackedSequence", name());
    const std::int64_t batch = batch_sizes[0];

    const bool lstm = o.kind == CellKind::lstm;
    // States arrive, and leave, in the caller's batch order; the packed rows are sorted.
    auto to_sorted = [&](const Tensor& state) {
        return input.sorted_indices.defined() ? index_select(state, 1, input.sorted_indices)
                                              : state;
    };
    auto to_caller = [&](const Tensor& state) {
        return input.unsorted_indices.defined() ? index_select(state, 1, input.unsorted_indices)
                                                : state;
    };
    Tensor h0 = to_sorted(initial_state(hx, batch, output_hidden_size(), data.dtype(),
                                        lstm ? "hidden[0]" : "hidden", false));
    Tensor c0 =
        lstm ? to_sorted(initial_state(cx, batch, o.hidden_size, data.dtype(), "hidden[1]", false))
             : Tensor();
    Result r = run_packed_rows(data, batch_sizes, h0, c0);
    PackedSequence output{r.output, input.batch_sizes, input.sorted_indices,
                          input.unsorted_indices};
    PackedResult result{output, to_caller(r.h_n), lstm ? to_caller(r.c_n) : Tensor()};
    if (forward_hook_set()) report_forward(*this, {result.output.data, result.h_n, result.c_n});
    return result;
}

std::string RNNBase::extra_repr() const {
    const Common o = common();
    std::string text = fmt::format("{}, {}", o.input_size, o.hidden_size);
    if (o.proj_size != 0) text += fmt::format(", proj_size={}", o.proj_size);
    if (o.num_layers != 1) text += fmt::format(", num_layers={}", o.num_layers);
    if (o.kind == CellKind::rnn_relu) text += ", nonlinearity='relu'";
    if (!o.bias) text += ", bias=False";
    if (o.batch_first) text += ", batch_first=True";
    if (o.dropout != 0.0) text += fmt::format(", dropout={}", o.dropout);
    if (o.bidirectional) text += ", bidirectional=True";
    return text;
}

}  // namespace lucid::nn
