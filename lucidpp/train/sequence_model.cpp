#include "lucidpp/train/sequence_model.hpp"

#include "lucidpp/nn/gru.hpp"
#include "lucidpp/nn/lstm.hpp"
#include "lucidpp/nn/rnn.hpp"

namespace lucid::training {

namespace {

std::unique_ptr<nn::RNNBase> make_rnn(const SequenceModelOptions& o) {
    if (o.cell == "rnn") {
        return std::make_unique<nn::RNN>(nn::RNNOptions{.input_size = o.input_size,
                                                        .hidden_size = o.hidden_size,
                                                        .num_layers = o.num_layers,
                                                        .dropout = o.dropout});
    }
    if (o.cell == "gru") {
        return std::make_unique<nn::GRU>(nn::GRUOptions{.input_size = o.input_size,
                                                        .hidden_size = o.hidden_size,
                                                        .num_layers = o.num_layers,
                                                        .dropout = o.dropout});
    }
    check(o.cell == "lstm", "SequenceModel: unknown model '{}'; choose rnn, gru or lstm", o.cell);
    return std::make_unique<nn::LSTM>(nn::LSTMOptions{.input_size = o.input_size,
                                                      .hidden_size = o.hidden_size,
                                                      .num_layers = o.num_layers,
                                                      .dropout = o.dropout});
}

}  // namespace

SequenceModel::SequenceModel(const SequenceModelOptions& options)
    : options_(options), rnn_(make_rnn(options)), head_(options.hidden_size, options.output_size) {
    register_module("rnn", *rnn_);
    register_module("head", head_);
}

std::tuple<Tensor, SequenceModel::State> SequenceModel::forward(const Tensor& inputs,
                                                                const State& state) {
    const bool lstm = options_.cell == "lstm";
    nn::RNNBase::Result r = rnn_->run(inputs, state.empty() ? Tensor() : state[0],
                                      lstm && state.size() > 1 ? state[1] : Tensor());
    State next{r.h_n};
    if (lstm) next.push_back(r.c_n);
    return {head_(r.output), next};
}

Tensor SequenceModel::forward(const Tensor& inputs) {
    nn::RNNBase::Result r = rnn_->run(inputs, Tensor(), Tensor());
    // Only the steps the task reads go through the head.
    Tensor features =
        options_.readout == tasks::Readout::every_step ? r.output : r.output.select(0, -1);
    return head_(features);
}

}  // namespace lucid::training
