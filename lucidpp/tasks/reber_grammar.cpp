// The embedded Reber grammar: predict, at every step of a string, which symbols may come next.
//
// Source: the embedded Reber grammar of Fahlman (1991, "The recurrent cascade-correlation
// architecture") as used in Hochreiter & Schmidhuber (1997, "Long short-term memory", section 5,
// experiment 1). The inner Reber grammar is the finite-state machine
//
//          node 0 --T--> 1     node 0 --P--> 2
//          node 1 --S--> 1     node 1 --X--> 3
//          node 2 --T--> 2     node 2 --V--> 4
//          node 3 --X--> 2     node 3 --S--> 5
//          node 4 --P--> 3     node 4 --V--> 5
//          node 5 --E--> end
//
// read as B, then a walk from node 0 taking each of the two edges with probability 1/2, then E
// (e.g. BTXSE, BPVVE, BTSSXXTVVE). The embedded grammar wraps an inner string in a second
// choice that must be remembered across it:
//
//          B T <inner Reber string> T E     or     B P <inner Reber string> P E
//
// Encoding: the 7 symbols B T P S X V E are one-hot inputs. The input is the string without
// its final E; the target at step t is the multi-hot set of the symbols that may legally follow
// the prefix up to t (Target::multi_label, every-step readout, trained with binary cross-entropy
// on logits). Strings differ in length: a batch is padded to its longest string, and padded
// steps have all-zero inputs and targets and are left out of the loss and the metric.
//
// Metric: the fraction of test strings predicted correctly, where a string is correct when at
// EVERY step the k highest-scored symbols are exactly the k legal ones (Hochreiter &
// Schmidhuber's criterion). Solved at 0.99.
// Baseline: a predictor that knows only the symbols' frequencies gives the same ranking at
// every step; it cannot be right both after the first B ({T, P}) and after the second symbol
// ({B}), so it scores 0.
#include <algorithm>
#include <array>
#include <cmath>
#include <limits>

#include "lucidpp/nn/functional.hpp"
#include "lucidpp/ops/arithmetic.hpp"
#include "lucidpp/ops/reduction.hpp"
#include "lucidpp/tasks/registry.hpp"
#include "lucidpp/tensor/creation.hpp"
#include "lucidpp/tensor/error.hpp"

namespace lucid::tasks {

namespace {

enum Symbol : int { B, T, P, S, X, V, E };
constexpr std::int64_t symbol_count = 7;
constexpr std::int64_t test_strings = 512;

using SymbolSet = unsigned;  // bit s set: symbol s is legal
constexpr SymbolSet only(int symbol) {
    return 1u << symbol;
}

struct Edge {
    int symbol;
    int next;
};
constexpr int final_node = 5;
constexpr std::array<std::array<Edge, 2>, final_node> inner_edges{{
    {{{T, 1}, {P, 2}}},
    {{{S, 1}, {X, 3}}},
    {{{T, 2}, {V, 4}}},
    {{{X, 2}, {S, 5}}},
    {{{P, 3}, {V, 5}}},
}};

// What may follow once the walk stands on `node`.
SymbolSet legal_after(int node) {
    if (node == final_node) return only(E);
    return only(inner_edges[node][0].symbol) | only(inner_edges[node][1].symbol);
}

// A string and, for each of its prefixes, the set of symbols that may come next.
struct ReberString {
    std::vector<int> symbols;
    std::vector<SymbolSet> legal_next;

    void push(int symbol, SymbolSet next) {
        symbols.push_back(symbol);
        legal_next.push_back(next);
    }
};

ReberString embedded_reber_string(Generator& generator) {
    ReberString s;
    const int branch = generator.randint(0, 2) == 0 ? T : P;
    s.push(B, only(T) | only(P));
    s.push(branch, only(B));
    s.push(B, legal_after(0));
    for (int node = 0; node != final_node;) {
        const Edge& edge = inner_edges[node][generator.randint(0, 2)];
        node = edge.next;
        s.push(edge.symbol, legal_after(node));
    }
    s.push(E, only(branch));  // the long-range dependency: the branch taken 2 + inner steps ago
    s.push(branch, only(E));
    s.push(E, 0);
    return s;
}

// Time-major, padded to the longest string; the final E is never an input.
Batch make_batch(const std::vector<ReberString>& strings) {
    std::size_t longest = 0;
    for (const ReberString& s : strings) longest = std::max(longest, s.symbols.size());
    const auto steps = static_cast<std::int64_t>(longest) - 1;
    const auto batch = static_cast<std::int64_t>(strings.size());
    Batch out{zeros({steps, batch, symbol_count}), zeros({steps, batch, symbol_count})};
    float* inputs = out.inputs.data_ptr<float>();
    float* targets = out.targets.data_ptr<float>();
    for (std::int64_t b = 0; b < batch; ++b) {
        const ReberString& s = strings[static_cast<std::size_t>(b)];
        for (std::size_t t = 0; t + 1 < s.symbols.size(); ++t) {
            const std::int64_t row = (static_cast<std::int64_t>(t) * batch + b) * symbol_count;
            inputs[row + s.symbols[t]] = 1.0f;
            for (int symbol = 0; symbol < symbol_count; ++symbol) {
                if (s.legal_next[t] & only(symbol)) targets[row + symbol] = 1.0f;
            }
        }
    }
    return out;
}

std::vector<ReberString> draw_strings(std::int64_t count, Generator& generator) {
    std::vector<ReberString> strings;
    for (std::int64_t i = 0; i < count; ++i) strings.push_back(embedded_reber_string(generator));
    return strings;
}

// True when every legal symbol scores above every illegal one, i.e. the top k are the legal k.
bool legal_set_ranked_first(const float* scores, const float* legal) {
    float lowest_legal = std::numeric_limits<float>::infinity();
    float highest_illegal = -std::numeric_limits<float>::infinity();
    for (int symbol = 0; symbol < symbol_count; ++symbol) {
        if (legal[symbol] > 0.5f) {
            lowest_legal = std::min(lowest_legal, scores[symbol]);
        } else {
            highest_illegal = std::max(highest_illegal, scores[symbol]);
        }
    }
    return lowest_legal > highest_illegal;
}

class ReberTask final : public Task {
public:
    explicit ReberTask(std::uint64_t seed) {
        Generator generator(seed);
        std::vector<ReberString> strings = draw_strings(test_strings, generator);
        test_ = make_batch(strings);
        baseline_ = evaluate(frequency_prediction(strings), test_);
    }

    std::string name() const override { return "reber"; }
    std::string description() const override {
        return "embedded Reber grammar: predict the set of legal next symbols at every step";
    }
    std::string source() const override {
        return "Fahlman 1991 (recurrent cascade-correlation); Hochreiter & Schmidhuber 1997, "
               "Long Short-Term Memory, experiment 1";
    }
    TaskSpec spec() const override {
        return {.input_size = symbol_count,
                .output_size = symbol_count,
                .readout = Readout::every_step,
                .target = Target::multi_label};
    }
    Metric metric() const override {
        return {.name = "strings_correct",
                .higher_is_better = true,
                .solved_at = 0.99,
                .baseline = baseline_,
                .baseline_rule =
                    "rank the symbols by their frequency in the test strings, the "
                    "same ranking at every step"};
    }
    Hyperparameters defaults() const override {
        return {.model = "gru",
                .hidden = 64,
                .lr = 1e-2,
                .clip = 1.0,
                .steps = 2000,
                .batch_size = 32,
                .eval_every = 50};
    }

    Batch train_batch(std::int64_t batch_size, Generator& generator) const override {
        check(batch_size > 0, "reber: batch_size must be positive, got {}", batch_size);
        return make_batch(draw_strings(batch_size, generator));
    }
    const Batch& test_set() const override { return test_; }

    // Binary cross-entropy over the real steps only: a padded step has an all-zero input.
    Tensor loss(const Tensor& prediction, const Batch& batch) const override {
        namespace F = nn::functional;
        check(prediction.shape() == batch.targets.shape(),
              "reber: prediction of shape {} does not match targets of shape {}",
              prediction.shape(), batch.targets.shape());
        Tensor real_step = batch.inputs.sum(-1, true);  // (T, B, 1): 1, or 0 on padding
        Tensor per_element =
            F::binary_cross_entropy_with_logits(prediction, batch.targets, F::Reduction::none);
        return (per_element * real_step).sum() / (real_step.sum().item() * symbol_count);
    }

    double evaluate(const Tensor& prediction, const Batch& batch) const override {
        check(prediction.shape() == batch.targets.shape(),
              "reber: prediction of shape {} does not match targets of shape {}",
              prediction.shape(), batch.targets.shape());
        const std::int64_t steps = batch.inputs.size(0);
        const std::int64_t strings = batch.inputs.size(1);
        std::vector<float> scores = prediction.to_vector<float>();
        std::vector<float> inputs = batch.inputs.to_vector<float>();
        std::vector<float> legal = batch.targets.to_vector<float>();
        std::int64_t correct = 0;
        for (std::int64_t b = 0; b < strings; ++b) {
            bool all_steps = true;
            for (std::int64_t t = 0; t < steps && all_steps; ++t) {
                const auto row = static_cast<std::size_t>((t * strings + b) * symbol_count);
                const bool padding =
                    std::all_of(inputs.begin() + static_cast<std::ptrdiff_t>(row),
                                inputs.begin() + static_cast<std::ptrdiff_t>(row) + symbol_count,
                                [](float x) { return x == 0.0f; });
                if (!padding) all_steps = legal_set_ranked_first(&scores[row], &legal[row]);
            }
            correct += all_steps ? 1 : 0;
        }
        return static_cast<double>(correct) / static_cast<double>(strings);
    }

private:
    // The baseline's scores: log-frequency of each symbol, identical at every step.
    Tensor frequency_prediction(const std::vector<ReberString>& strings) const {
        std::array<double, symbol_count> count{};
        for (const ReberString& s : strings) {
            for (int symbol : s.symbols) count[static_cast<std::size_t>(symbol)] += 1.0;
        }
        std::vector<double> log_frequency;
        for (double c : count) log_frequency.push_back(std::log(c + 1.0));
        return tensor(log_frequency).expand(test_.targets.shape());
    }

    Batch test_;
    double baseline_ = 0.0;
};

}  // namespace

std::unique_ptr<Task> make_reber_task(std::uint64_t seed) {
    return std::make_unique<ReberTask>(seed);
}

}  // namespace lucid::tasks
