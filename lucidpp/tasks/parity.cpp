// Sequential parity: is the number of ones in a bit string odd?
//
// Source: the parity problem of Minsky & Papert (1969), posed sequentially to recurrent networks
// by Hochreiter & Schmidhuber (1997), "Long Short-Term Memory", and Bengio, Simard & Frasconi
// (1994), "Learning long-term dependencies with gradient descent is difficult".
//
// Each sequence is L uniformly random bits b_1 ... b_L (L = 100 by default), one-hot over {0, 1}:
//   inputs[t, b, :] = (1, 0) for a 0 bit, (0, 1) for a 1 bit
//   targets[t, b]   = b_1 xor ... xor b_t, the running parity, a class in {0, 1}
// The model answers at every step (cross-entropy over the two classes at every step). Every bit
// flips the answer, so the model has to carry one bit of state through all L steps.
//
// Why running targets: with a target only at the last step, nothing short of the whole
// L-input xor correlates with the label, so gradient descent sits on a plateau at chance for a
// random, often long, time (a GRU on 8 bits escaped within a minute in 16 of 20 seeds, on 6 bits
// in none of 8). Per-step targets teach the same flip-flop in a few hundred steps, reliably.
//
// Metric: accuracy of the answer at the last step, the parity of the whole string. Guessing (or
// any constant answer) scores 0.5; solved at 0.99.
#include <cstdint>
#include <vector>

#include "lucidpp/tasks/metrics.hpp"
#include "lucidpp/tasks/registry.hpp"
#include "lucidpp/tensor/creation.hpp"

namespace lucid::tasks {

namespace {

constexpr std::int64_t default_length = 100;
constexpr std::int64_t test_size = 1000;
// Salts the test split's generator, so that it is not the stream a caller seeded with the same
// number draws its training batches from.
constexpr std::uint64_t test_salt = 0x9a81'0000'0000'0003ULL;

class ParityTask : public Task {
public:
    ParityTask(std::uint64_t seed, std::int64_t length) : length_(length) {
        check(length >= 1, "parity: the sequence length must be at least 1, got {}", length);
        Generator generator(seed ^ test_salt);
        test_ = make_batch(test_size, generator);
    }

    std::string name() const override { return "parity"; }
    std::string description() const override {
        return fmt::format("the running parity (xor) of {} random bits", length_);
    }
    std::string source() const override {
        return "Minsky & Papert (1969); as a sequence task, Hochreiter & Schmidhuber (1997)";
    }
    TaskSpec spec() const override {
        return {.input_size = 2, .output_size = 2, .readout = Readout::every_step,
                .target = Target::classes};
    }
    Metric metric() const override {
        return {.name = "accuracy", .higher_is_better = true, .solved_at = 0.99,
                .baseline = 0.5, .baseline_rule = "always answer 0 (or guess)"};
    }
    Hyperparameters defaults() const override {
        return {.model = "gru", .hidden = 64, .lr = 1e-2, .clip = 1.0, .steps = 1500,
                .batch_size = 32, .eval_every = 50};
    }

    Batch train_batch(std::int64_t batch_size, Generator& generator) const override {
        check(batch_size > 0, "parity: batch_size must be positive, got {}", batch_size);
        return make_batch(batch_size, generator);
    }
    const Batch& test_set() const override { return test_; }

    double evaluate(const Tensor& prediction, const Batch& batch) const override {
        check_class_scores("parity", prediction, batch.targets, 2);
        return accuracy(prediction.select(0, -1), batch.targets.select(0, -1));
    }

private:
    Batch make_batch(std::int64_t batch_size, Generator& generator) const {
        const std::int64_t T = length_, B = batch_size;
        std::vector<double> inputs(static_cast<std::size_t>(T * B * 2), 0.0);
        std::vector<double> targets(static_cast<std::size_t>(T * B));
        for (std::int64_t b = 0; b < B; ++b) {
            std::int64_t parity = 0;
            for (std::int64_t t = 0; t < T; ++t) {
                const std::int64_t bit = generator.randint(0, 2);
                inputs[static_cast<std::size_t>((t * B + b) * 2 + bit)] = 1.0;
                parity ^= bit;
                targets[static_cast<std::size_t>(t * B + b)] = static_cast<double>(parity);
            }
        }
        return {tensor(inputs, {T, B, 2}), tensor(targets, {T, B}, int64)};
    }

    std::int64_t length_;
    Batch test_;
};

}  // namespace

std::unique_ptr<Task> make_parity_task(std::uint64_t seed) {
    return std::make_unique<ParityTask>(seed, default_length);
}

}  // namespace lucid::tasks
