#include "lucidpp/nn/rnn.hpp"

#include <utility>

namespace lucid::nn {

RNN::RNN(const RNNOptions& options) : RNNBase(options) {}

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
