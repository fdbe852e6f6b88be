#pragma once
// Task: a bundled toy sequence problem. Each task is a deterministic generator: the same seed
// gives the same test split, and the same Generator state gives the same training batch.
// A task says what a model for it looks like (TaskSpec), how to score it (Metric, with a
// trivial baseline and a "solved" threshold), and which hyperparameters solve it by default.
//
// Batches are time-major, as the recurrent layers expect:
//   inputs   (T, B, input_size) float32 features (symbols are one-hot)
//   targets  Readout::last_step:  regression (B, output_size) float32, classes (B) int64
//            Readout::every_step: regression (T, B, output_size), classes (T, B) int64 with
//                                 -100 at steps that are not scored, multi_label (T, B,
//                                 output_size) 0/1
#include <cstdint>
#include <string>

#include "lucidpp/tensor/generator.hpp"
#include "lucidpp/tensor/tensor.hpp"

namespace lucid::tasks {

enum class Readout { last_step, every_step };
enum class Target { regression, classes, multi_label };

struct TaskSpec {
    std::int64_t input_size = 0;
    std::int64_t output_size = 0;
    Readout readout = Readout::last_step;
    Target target = Target::regression;
};

struct Metric {
    std::string name;  // e.g. "mse", "accuracy", "bits_per_char"
    bool higher_is_better = false;
    double solved_at = 0.0;     // solved when the test metric reaches this (<= or >=)
    double baseline = 0.0;      // what a trivial predictor scores
    std::string baseline_rule;  // what that trivial predictor is
};

// Defaults that reach "solved" on a 2-core machine.
struct Hyperparameters {
    std::string model = "gru";  // rnn | gru | lstm
    std::int64_t hidden = 64;
    std::int64_t layers = 1;
    double dropout = 0.0;
    std::string optimizer = "adam";  // sgd | adam | adamw
    double lr = 1e-2;
    double clip = 1.0;  // max gradient norm; 0 disables
    std::int64_t steps = 2000;
    std::int64_t batch_size = 32;
    std::int64_t eval_every = 50;
};

struct Batch {
    Tensor inputs;
    Tensor targets;
};

class Task {
public:
    virtual ~Task() = default;

    virtual std::string name() const = 0;
    virtual std::string description() const = 0;
    virtual std::string source() const = 0;  // the paper or origin of the task
    virtual TaskSpec spec() const = 0;
    virtual Metric metric() const = 0;
    virtual Hyperparameters defaults() const = 0;

    virtual Batch train_batch(std::int64_t batch_size, Generator& generator) const = 0;
    virtual const Batch& test_set() const = 0;

    // The training loss for the model's readout: MSE, cross-entropy (ignoring -100) or binary
    // cross-entropy with logits, by spec().target. Tasks may override.
    virtual Tensor loss(const Tensor& prediction, const Batch& batch) const;
    // The metric on a batch (usually the test set), from the model's readout.
    virtual double evaluate(const Tensor& prediction, const Batch& batch) const = 0;

    bool solved(double metric_value) const;
};

}  // namespace lucid::tasks
