#pragma once
// nn::summary(model, inputs...): a table of a model's layers, the shape of what each returns for
// an example input, and its parameter count, as Keras' model.summary() and torchinfo's
// summary(model, input_data=...) show:
//
//   Layer (type)          Output shape                Param #
//   =========================================================
//   SequenceModel         (16, 1)                          --
//   ├─ rnn (GRU)          (30, 16, 64), (1, 16, 64)    12,864
//   └─ head (Linear)      (16, 1)                          65
//   =========================================================
//   Total params: 12,929 (50.5 KiB)
//   Trainable params: 12,929
//   Non-trainable params: 0
//
// It runs the model once on the inputs, in eval mode and without gradients, and then restores
// every module's training flag; no random numbers are drawn unless the model draws in eval mode.
// A layer reports its outputs from its call operator (forward_hook.hpp): the built-in layers,
// any UnaryModule, and the model itself. A module that was not called, or whose own class has
// no such operator, shows "--". A layer called several times shows its first outputs and
// "x N". Param # counts a module's own parameters; the totals count a tied tensor once.
#include <functional>
#include <string>
#include <tuple>
#include <vector>

#include "lucidpp/nn/module.hpp"
#include "lucidpp/nn/packed_sequence.hpp"

namespace lucid::nn {

namespace detail {

inline void collect_outputs(const Tensor& output, std::vector<Tensor>& out) {
    out.push_back(output);
}
inline void collect_outputs(const PackedSequence& output, std::vector<Tensor>& out) {
    out.push_back(output.data);
}
inline void collect_outputs(const std::vector<Tensor>& outputs, std::vector<Tensor>& out) {
    out.insert(out.end(), outputs.begin(), outputs.end());
}
template <class... Outputs>
void collect_outputs(const std::tuple<Outputs...>& outputs, std::vector<Tensor>& out) {
    std::apply([&](const auto&... output) { (collect_outputs(output, out), ...); }, outputs);
}

// The table, from one run of the model that returns the model's own outputs.
std::string summary_table(Module& model, const std::function<std::vector<Tensor>()>& run);

}  // namespace detail

// Calls model(inputs...), or model.forward(inputs...) when the class has no call operator.
template <class Model, class... Inputs>
std::string summary(Model& model, const Inputs&... inputs) {
    return detail::summary_table(model, [&] {
        std::vector<Tensor> outputs;
        if constexpr (requires { model(inputs...); }) {
            detail::collect_outputs(model(inputs...), outputs);
        } else {
            detail::collect_outputs(model.forward(inputs...), outputs);
        }
        return outputs;
    });
}

}  // namespace lucid::nn
