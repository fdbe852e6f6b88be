#pragma once
// Options of the recurrent layers and cells: aggregates with PyTorch's defaults, fields in
// PyTorch's signature order, for designated initialisers:
//   nn::GRU gru({.input_size = 3, .hidden_size = 5, .num_layers = 2, .dropout = 0.2});
// A module keeps the one copy it was given and hands it out read-only, from options(). Below the
// structs: the cell kind each of them asks for.
#include <cstdint>
#include <string>
#include <type_traits>

#include "lucidpp/ops/recurrent_layer.hpp"

namespace lucid::nn {

struct RNNOptions {
    std::int64_t input_size = 0;
    std::int64_t hidden_size = 0;
    std::int64_t num_layers = 1;
    std::string nonlinearity = "tanh";  // "tanh" or "relu"
    bool bias = true;
    bool batch_first = false;
    double dropout = 0.0;
    bool bidirectional = false;
};

struct GRUOptions {
    std::int64_t input_size = 0;
    std::int64_t hidden_size = 0;
    std::int64_t num_layers = 1;
    bool bias = true;
    bool batch_first = false;
    double dropout = 0.0;
    bool bidirectional = false;
};

struct LSTMOptions {
    std::int64_t input_size = 0;
    std::int64_t hidden_size = 0;
    std::int64_t num_layers = 1;
    bool bias = true;
    bool batch_first = false;
    double dropout = 0.0;
    bool bidirectional = false;
    std::int64_t proj_size = 0;  // > 0: h_t is projected to proj_size features (weight_hr)
};

struct RNNCellOptions {
    std::int64_t input_size = 0;
    std::int64_t hidden_size = 0;
    bool bias = true;
    std::string nonlinearity = "tanh";
};

struct GRUCellOptions {
    std::int64_t input_size = 0;
    std::int64_t hidden_size = 0;
    bool bias = true;
};

struct LSTMCellOptions {
    std::int64_t input_size = 0;
    std::int64_t hidden_size = 0;
    bool bias = true;
};

// The cell kind each options type asks for (the constructors check an RNN's nonlinearity).
template <class Options>
CellKind cell_kind(const Options& o) {
    if constexpr (requires { o.nonlinearity; }) {
        return o.nonlinearity == "relu" ? CellKind::rnn_relu : CellKind::rnn_tanh;
    } else if constexpr (std::is_same_v<Options, GRUOptions> ||
                         std::is_same_v<Options, GRUCellOptions>) {
        return CellKind::gru;
    } else {
        static_assert(std::is_same_v<Options, LSTMOptions> ||
                      std::is_same_v<Options, LSTMCellOptions>);
        return CellKind::lstm;
    }
}

// "RNN", "GRU" or "LSTM": the layer's name, which errors start with before the module is built.
inline const char* layer_name(CellKind kind) {
    switch (kind) {
        case CellKind::rnn_tanh:
        case CellKind::rnn_relu:
            return "RNN";
        case CellKind::gru:
            return "GRU";
        case CellKind::lstm:
            return "LSTM";
    }
    return "RNNBase";
}

}  // namespace lucid::nn
