// The copy memory task: read a few symbols, wait through a delay, then write them back.
//
// Source: Arjovsky, Shah & Bengio (2016), "Unitary Evolution Recurrent Neural Networks", after
// Hochreiter & Schmidhuber (1997), experiment 2.
//
// With S symbols drawn uniformly from an alphabet of A and a delay of D blanks, a sequence has
// T = S + D + 1 + S steps:
//   input   s_1 ... s_S  blank x D  delimiter  blank x S
//   target  -100 ...............................  s_1 ... s_S
// Inputs are one-hot over A + 2 tokens: 0 is the blank, 1..A the symbols, A + 1 the delimiter.
// Targets are per-step classes in [0, A) (the symbol minus one), and -100 on every step but the
// S recall steps after the delimiter, so only the recall is scored (cross-entropy there).
//
// Defaults: S = 5 symbols of A = 8, delay D = 30, so T = 41; a GRU of 64 units solves it in
// about 2,000 steps. (Delay 50 took 2,000 to 4,900 steps; at delay 100 it stayed at chance.)
//
// Metric: symbol accuracy over the recall steps. Guessing at random scores 1/A = 0.125; solved
// at 0.99.
#include <cstdint>
#include <vector>

#include "lucidpp/tasks/metrics.hpp"
#include "lucidpp/tasks/registry.hpp"
#include "lucidpp/tensor/creation.hpp"

namespace lucid::tasks {

namespace {

struct CopyMemoryOptions {
    std::int64_t symbols = 5;    // S: how many symbols to remember
    std::int64_t alphabet = 8;   // A: how many different symbols there are
    std::int64_t delay = 30;     // D: blanks between the last symbol and the delimiter
};

constexpr std::int64_t test_size = 1000;
// Salts the test split's generator, so that it is not the stream a caller seeded with the same
// number draws its training batches from.
constexpr std::uint64_t test_salt = 0xc0b1'0000'0000'0002ULL;

class CopyMemoryTask : public Task {
public:
    CopyMemoryTask(std::uint64_t seed, const CopyMemoryOptions& options) : o_(options) {
        check(o_.symbols >= 1 && o_.alphabet >= 2 && o_.delay >= 0,
              "copy_memory: expected symbols >= 1, alphabet >= 2 and delay >= 0, got {}, {} and {}",
              o_.symbols, o_.alphabet, o_.delay);
        Generator generator(seed ^ test_salt);
        test_ = make_batch(test_size, generator);
    }

    std::string name() const override { return "copy_memory"; }
    std::string description() const override {
        return fmt::format("recall {} symbols (of {}) after a delay of {} blanks", o_.symbols,
                           o_.alphabet, o_.delay);
    }
    std::string source() const override {
        return "Arjovsky, Shah & Bengio (2016), Unitary Evolution Recurrent Neural Networks";
    }
    TaskSpec spec() const override {
        return {.input_size = o_.alphabet + 2, .output_size = o_.alphabet,
                .readout = Readout::every_step, .target = Target::classes};
    }
    Metric metric() const override {
        return {.name = "accuracy", .higher_is_better = true, .solved_at = 0.99,
                .baseline = 1.0 / static_cast<double>(o_.alphabet),
                .baseline_rule = "guess a symbol at random"};
    }
    Hyperparameters defaults() const override {
        return {.model = "gru", .hidden = 64, .lr = 1e-2, .clip = 1.0, .steps = 6000,
                .batch_size = 32, .eval_every = 50};
    }

    Batch train_batch(std::int64_t batch_size, Generator& generator) const override {
        check(batch_size > 0, "copy_memory: batch_size must be positive, got {}", batch_size);
        return make_batch(batch_size, generator);
    }
    const Batch& test_set() const override { return test_; }

    double evaluate(const Tensor& prediction, const Batch& batch) const override {
        check_class_scores("copy_memory", prediction, batch.targets, o_.alphabet);
        return accuracy(prediction, batch.targets);
    }

private:
    std::int64_t length() const { return 2 * o_.symbols + o_.delay + 1; }

    Batch make_batch(std::int64_t batch_size, Generator& generator) const {
        const std::int64_t T = length(), B = batch_size, tokens = o_.alphabet + 2;
        const std::int64_t blank = 0, delimiter = o_.alphabet + 1;
        const std::int64_t recall_start = T - o_.symbols;
        std::vector<double> inputs(static_cast<std::size_t>(T * B * tokens), 0.0);
        std::vector<double> targets(static_cast<std::size_t>(T * B),
                                    static_cast<double>(ignore_index));
        auto put = [&](std::int64_t t, std::int64_t b, std::int64_t token) {
            inputs[static_cast<std::size_t>((t * B + b) * tokens + token)] = 1.0;
        };
        for (std::int64_t b = 0; b < B; ++b) {
            for (std::int64_t t = 0; t < T; ++t) {
                if (t < o_.symbols) {
                    const std::int64_t symbol = generator.randint(0, o_.alphabet);
                    put(t, b, 1 + symbol);
                    targets[static_cast<std::size_t>((recall_start + t) * B + b)] =
                        static_cast<double>(symbol);
                } else {
                    put(t, b, t == recall_start - 1 ? delimiter : blank);
                }
            }
        }
        return {tensor(inputs, {T, B, tokens}), tensor(targets, {T, B}, int64)};
    }

    CopyMemoryOptions o_;
    Batch test_;
};

}  // namespace

std::unique_ptr<Task> make_copy_memory_task(std::uint64_t seed) {
    return std::make_unique<CopyMemoryTask>(seed, CopyMemoryOptions{});
}

}  // namespace lucid::tasks
