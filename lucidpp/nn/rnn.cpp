#include "lucidpp/nn/rnn.hpp"

namespace lucid::nn {

namespace {

RNNBaseOptions base_of(const RNNOptions& o) {
    check(o.nonlinearity == "tanh" || o.nonlinearity == "relu",
          "RNN: Unknown nonlinearity '{}'. Select from 'tanh' or 'relu'.", o.nonlinearity);
    return {o.nonlinearity == "tanh" ? CellKind::rnn_tanh : CellKind::rnn_relu,
            o.input_size, o.hidden_size, o.num_layers, o.bias, o.batch_first, o.dropout,
            o.bidirectional, 0};
}

}  // namespace

RNN::RNN(const RNNOptions& options) : RNNBase(base_of(options)), options(options) {}

RNN::RNN(std::int64_t input_size, std::int64_t hidden_size, std::int64_t num_layers,
         std::string nonlinearity, bool bias, bool batch_first, double dropout, bool bidirectional)
    : RNN(RNNOptions{input_size, hidden_size, num_layers, std::move(nonlinearity), bias,
                     batch_first, dropout, bidirectional}) {}

std::tuple<Tensor, Tensor> RNN::forward(const Tensor& input, const Tensor& hx) {
    Result r = run(input, hx, Tensor());
    return {r.output, r.h_n};
}

std::tuple<PackedSequence, Tensor> RNN::forward(const PackedSequence& input, const Tensor& hx) {
    PackedResult r = run(input, hx, Tensor());
    return {r.output, r.h_n};
}

}  // namespace lucid::nn
