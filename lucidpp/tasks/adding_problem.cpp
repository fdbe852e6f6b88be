// The adding problem: add the two marked numbers of a long sequence.
//
// Source: Hochreiter & Schmidhuber (1997), "Long Short-Term Memory", experiment 4, in the form
// used since Le, Jaitly & Hinton (2015) and Arjovsky, Shah & Bengio (2016).
//
// Each sequence has T steps of two features:
//   inputs[t, b, 0] = x_t ~ U[0, 1)
//   inputs[t, b, 1] = 1 at exactly two steps, i in [0, T/2) and j in [T/2, T); 0 elsewhere
//   targets[b, 0]   = x_i + x_j
// The model reads its last step and regresses the sum (MSE loss). The default length is
// T = 100, which a GRU of 64 units solves in about 350 steps (T = 50 takes about 300 steps).
//
// Metric: test MSE. Always predicting the mean, 1.0, scores Var(x_i + x_j) = 2/12 = 0.167.
// Solved at MSE < 0.01, which needs both numbers held across up to T-1 steps.
#include <cstdint>
#include <vector>

#include "lucidpp/tasks/registry.hpp"
#include "lucidpp/tensor/creation.hpp"

namespace lucid::tasks {

namespace {

constexpr std::int64_t default_length = 100;
constexpr std::int64_t test_size = 1000;
// Salts the test split's generator, so that it is not the stream a caller seeded with the same
// number draws its training batches from.
constexpr std::uint64_t test_salt = 0xadd1'0000'0000'0001ULL;

class AddingTask : public Task {
public:
    AddingTask(std::uint64_t seed, std::int64_t length) : length_(length) {
        check(length >= 2, "adding: the sequence length must be at least 2, got {}", length);
        Generator generator(seed ^ test_salt);
        test_ = make_batch(test_size, generator);
    }

    std::string name() const override { return "adding"; }
    std::string description() const override {
        return fmt::format(
            "add the two marked numbers in a sequence of {} random numbers in [0, 1)", length_);
    }
    std::string source() const override {
        return "Hochreiter & Schmidhuber (1997), Long Short-Term Memory";
    }
    TaskSpec spec() const override {
        return {.input_size = 2, .output_size = 1, .readout = Readout::last_step,
                .target = Target::regression};
    }
    Metric metric() const override {
        return {.name = "mse", .higher_is_better = false, .solved_at = 0.01,
                .baseline = 2.0 / 12.0, .baseline_rule = "always predict 1.0, the mean sum"};
    }
    Hyperparameters defaults() const override {
        return {.model = "gru", .hidden = 64, .lr = 1e-2, .clip = 1.0, .steps = 2000,
                .batch_size = 32, .eval_every = 50};
    }

    Batch train_batch(std::int64_t batch_size, Generator& generator) const override {
        check(batch_size > 0, "adding: batch_size must be positive, got {}", batch_size);
        return make_batch(batch_size, generator);
    }
    const Batch& test_set() const override { return test_; }

    double evaluate(const Tensor& prediction, const Batch& batch) const override {
        const Shape& expected = batch.targets.shape();
        check(prediction.shape() == expected,
              "adding: prediction of shape {} does not match the targets' shape {}",
              prediction.shape(), expected);
        std::vector<double> p = prediction.to_vector<double>();
        std::vector<double> y = batch.targets.to_vector<double>();
        double squared_error = 0.0;
        for (std::size_t i = 0; i < p.size(); ++i) squared_error += (p[i] - y[i]) * (p[i] - y[i]);
        return squared_error / static_cast<double>(p.size());
    }

private:
    Batch make_batch(std::int64_t batch_size, Generator& generator) const {
        const std::int64_t T = length_, B = batch_size, half = length_ / 2;
        std::vector<double> inputs(static_cast<std::size_t>(T * B * 2), 0.0);
        std::vector<double> targets(static_cast<std::size_t>(B));
        auto at = [&](std::int64_t t, std::int64_t b, std::int64_t feature) -> double& {
            return inputs[static_cast<std::size_t>((t * B + b) * 2 + feature)];
        };
        for (std::int64_t b = 0; b < B; ++b) {
            // Rounded to float32 here, so the target sums exactly the inputs the model sees.
            for (std::int64_t t = 0; t < T; ++t) {
                at(t, b, 0) = static_cast<float>(generator.uniform());
            }
            const std::int64_t i = generator.randint(0, half);
            const std::int64_t j = generator.randint(half, T);
            at(i, b, 1) = 1.0;
            at(j, b, 1) = 1.0;
            targets[static_cast<std::size_t>(b)] = at(i, b, 0) + at(j, b, 0);
        }
        return {tensor(inputs, {T, B, 2}), tensor(targets, {B, 1})};
    }

    std::int64_t length_;
    Batch test_;
};

}  // namespace

std::unique_ptr<Task> make_adding_task(std::uint64_t seed) {
    return std::make_unique<AddingTask>(seed, default_length);
}

}  // namespace lucid::tasks
