#include "lucidpp/nn/gru.hpp"

namespace lucid::nn {

GRU::GRU(const GRUOptions& options) : RNNBase(options) {}

GRU::GRU(std::int64_t input_size, std::int64_t hidden_size, std::int64_t num_layers, bool bias,
         bool batch_first, double dropout, bool bidirectional)
    : GRU(GRUOptions{input_size, hidden_size, num_layers, bias, batch_first, dropout,
                     bidirectional}) {}

std::tuple<Tensor, Tensor> GRU::forward(const Tensor& input, const Tensor& hx) {
    Result r = run(input, hx, Tensor());
    return {r.output, r.h_n};
}

std::tuple<PackedSequence, Tensor> GRU::forward(const PackedSequence& input, const Tensor& hx) {
    PackedResult r = run(input, hx, Tensor());
    return {r.output, r.h_n};
}

}  // namespace lucid::nn
