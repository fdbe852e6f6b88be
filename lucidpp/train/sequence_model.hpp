#pragma once
// SequenceModel: a recurrent layer (RNN, GRU or LSTM) and a Linear head, the model every
// bundled task trains. The head reads the last step's output, or every step's.
#include <memory>
#include <string>
#include <vector>

#include "lucidpp/nn/linear.hpp"
#include "lucidpp/nn/rnn_base.hpp"
#include "lucidpp/tasks/task.hpp"

namespace lucid::training {

struct SequenceModelOptions {
    std::string cell = "gru";  // rnn | gru | lstm
    std::int64_t input_size = 0;
    std::int64_t hidden_size = 64;
    std::int64_t num_layers = 1;
    double dropout = 0.0;
    std::int64_t output_size = 1;
    tasks::Readout readout = tasks::Readout::last_step;
};

class SequenceModel : public nn::Module {
public:
    // The recurrent state: {h} for RNN and GRU, {h, c} for LSTM; empty means zeros.
    using State = std::vector<Tensor>;

    explicit SequenceModel(const SequenceModelOptions& options);

    // inputs (T, B, input_size) -> prediction (B, output_size) or (T, B, output_size).
    Tensor forward(const Tensor& inputs);
    Tensor operator()(const Tensor& inputs) { return forward(inputs); }
    // The same, carrying the state across calls (for sampling one step at a time). Always
    // returns every step's prediction.
    std::tuple<Tensor, State> forward(const Tensor& inputs, const State& state);

    std::string name() const override { return "SequenceModel"; }
    const SequenceModelOptions& options() const { return options_; }

private:
    SequenceModelOptions options_;
    std::unique_ptr<nn::RNNBase> rnn_;
    nn::Linear head_;
};

}  // namespace lucid::training
