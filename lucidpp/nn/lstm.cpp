#include "lucidpp/nn/lstm.hpp"

namespace lucid::nn {

namespace {

void check_state(const LSTM::State& hx) {
    check(std::get<0>(hx).defined() == std::get<1>(hx).defined(),
          "LSTM: give both h_0 and c_0, or neither");
}

}  // namespace

LSTM::LSTM(const LSTMOptions& options) : RNNBase(options) {}

LSTM::LSTM(std::int64_t input_size, std::int64_t hidden_size, std::int64_t num_layers, bool bias,
           bool batch_first, double dropout, bool bidirectional, std::int64_t proj_size)
    : LSTM(LSTMOptions{input_size, hidden_size, num_layers, bias, batch_first, dropout,
                       bidirectional, proj_size}) {}

std::tuple<Tensor, LSTM::State> LSTM::forward(const Tensor& input, const State& hx) {
    check_state(hx);
    Result r = run(input, std::get<0>(hx), std::get<1>(hx));
    return {r.output, State{r.h_n, r.c_n}};
}

std::tuple<PackedSequence, LSTM::State> LSTM::forward(const PackedSequence& input,
                                                      const State& hx) {
    check_state(hx);
    PackedResult r = run(input, std::get<0>(hx), std::get<1>(hx));
    return {r.output, State{r.h_n, r.c_n}};
}

}  // namespace lucid::nn
