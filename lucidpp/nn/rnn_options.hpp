#pragma once
// Options of the recurrent layers and cells: aggregates with PyTorch's defaults, fields in
// PyTorch's signature order, for designated initialisers:
//   nn::GRU gru({.input_size = 3, .hidden_size = 5, .num_layers = 2, .dropout = 0.2});
#include <cstdint>
#include <string>

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
    std::int64_t proj_size = 0;  // > 0: h_t = W_hr (o_t * tanh(c_t)) has proj_size features
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

}  // namespace lucid::nn
