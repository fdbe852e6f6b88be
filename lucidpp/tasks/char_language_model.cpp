// The char_lm task: see char_language_model.hpp for what it is and how it is scored.
#include "lucidpp/tasks/char_language_model.hpp"

#include <fmt/format.h>
#include <fmt/ranges.h>

#include <algorithm>
#include <cmath>
#include <numbers>

#include "lucidpp/tasks/metrics.hpp"
#include "lucidpp/tasks/registry.hpp"
#include "lucidpp/tensor/creation.hpp"
#include "lucidpp/tensor/error.hpp"

namespace lucid::tasks {

namespace {

constexpr std::int64_t min_count = 3;                 // rarer characters become the unknown symbol
constexpr const char* unknown_text = "\xEF\xBF\xBD";  // U+FFFD REPLACEMENT CHARACTER in UTF-8
constexpr double train_fraction = 0.9;
constexpr std::int64_t min_windows = 20;  // the last 10% then holds a window at any offset

// The characters that may stand for themselves: ASCII text (control characters other than
// newline and tab carry no text). Everything else encodes to the unknown symbol.
std::string ascii_text(const std::string& text) {
    std::string kept;
    for (char c : text) {
        const auto byte = static_cast<unsigned char>(c);
        if (byte == '\n' || byte == '\t' || (byte >= 32 && byte < 127)) kept += c;
    }
    return kept;
}

// log p(c) = log((count of c in ids[0, end) + 1) / (end + symbols)): add-one smoothing.
Tensor unigram_log_probabilities(const std::vector<std::int64_t>& ids, std::int64_t end,
                                 std::size_t symbols) {
    std::vector<double> count(symbols, 1.0);
    for (auto id = ids.begin(); id != ids.begin() + end; ++id) {
        count[static_cast<std::size_t>(*id)] += 1.0;
    }
    const double total = static_cast<double>(end) + static_cast<double>(symbols);
    std::vector<double> log_probability;
    for (double c : count) log_probability.push_back(std::log(c / total));
    return tensor(log_probability);
}

}  // namespace

CharLanguageModelTask::CharLanguageModelTask(std::uint64_t seed)
    : CharLanguageModelTask(
          seed, std::string(embedded_corpus()), default_window,
          fmt::format("lucidpp's documentation ({})", fmt::join(embedded_corpus_files(), ", "))) {}

CharLanguageModelTask::CharLanguageModelTask(std::uint64_t seed, const std::string& text,
                                             std::int64_t window, std::string corpus_name)
    : corpus_name_(std::move(corpus_name)),
      window_(window),
      vocabulary_(data::CharVocabulary::from_text(
          ascii_text(text), {.min_count = min_count, .unknown = unknown_text})) {
    check(window > 0, "char_lm: window must be positive, got {}", window);
    text_ = encode(text);
    const auto length = static_cast<std::int64_t>(text_.size());
    check(length >= min_windows * (window + 1),
          "char_lm: the corpus has {} characters, fewer than {} windows of {} (were the docs "
          "found when the build was configured?)",
          length, min_windows, window + 1);
    train_end_ = static_cast<std::int64_t>(train_fraction * static_cast<double>(length));

    Generator generator(seed);
    std::vector<std::int64_t> starts;
    for (std::int64_t start = train_end_ + generator.randint(0, window); start + window < length;
         start += window) {
        starts.push_back(start);
    }
    test_ = windows_at(starts);
    Tensor unigram = unigram_log_probabilities(text_, train_end_, vocabulary_.characters().size());
    baseline_ =
        evaluate(unigram.expand({window, static_cast<std::int64_t>(starts.size()), -1}), test_);
}

std::string CharLanguageModelTask::description() const {
    return fmt::format("predict the next character of {}: {} characters, {} symbols", corpus_name_,
                       text_.size(), vocabulary_.characters().size());
}

std::string CharLanguageModelTask::source() const {
    return "Graves 2013, Generating Sequences With Recurrent Neural Networks; Karpathy's char-rnn";
}

TaskSpec CharLanguageModelTask::spec() const {
    const auto symbols = vocabulary_.size();
    return {.input_size = symbols,
            .output_size = symbols,
            .readout = Readout::every_step,
            .target = Target::classes};
}

Metric CharLanguageModelTask::metric() const {
    return {.name = "bits_per_char",
            .higher_is_better = false,
            .solved_at = 2.5,
            .baseline = baseline_,
            .baseline_rule = "unigram: the training text's character frequencies"};
}

Hyperparameters CharLanguageModelTask::defaults() const {
    // The corpus is small: past ~600 steps the model starts to learn it by heart and the test
    // bits per character rise again.
    return {.model = "gru",
            .hidden = 128,
            .lr = 5e-3,
            .clip = 1.0,
            .steps = 800,
            .batch_size = 32,
            .eval_every = 100};
}

std::vector<std::int64_t> CharLanguageModelTask::encode(const std::string& text) const {
    return vocabulary_.encode_ids(text);
}

std::string CharLanguageModelTask::decode(const std::vector<std::int64_t>& ids) const {
    for (std::int64_t id : ids) {
        check(id >= 0 && id < vocabulary_.size(),
              "char_lm: decode: id {} is out of range for a vocabulary of {} symbols", id,
              vocabulary_.size());
    }
    return vocabulary_.decode(ids);
}

// Inputs are text_[start + t], targets text_[start + t + 1], for t in [0, window).
Batch CharLanguageModelTask::windows_at(const std::vector<std::int64_t>& starts) const {
    const auto batch = static_cast<std::int64_t>(starts.size());
    const auto symbols = vocabulary_.size();
    Batch out{zeros({window_, batch, symbols}), empty({window_, batch}, int64)};
    float* inputs = out.inputs.data_ptr<float>();
    std::int64_t* targets = out.targets.data_ptr<std::int64_t>();
    for (std::int64_t t = 0; t < window_; ++t) {
        for (std::int64_t b = 0; b < batch; ++b) {
            const auto at = static_cast<std::size_t>(starts[static_cast<std::size_t>(b)] + t);
            inputs[(t * batch + b) * symbols + text_[at]] = 1.0f;
            targets[t * batch + b] = text_[at + 1];
        }
    }
    return out;
}

Batch CharLanguageModelTask::train_batch(std::int64_t batch_size, Generator& generator) const {
    check(batch_size > 0, "char_lm: batch_size must be positive, got {}", batch_size);
    std::vector<std::int64_t> starts;
    for (std::int64_t b = 0; b < batch_size; ++b) {
        starts.push_back(generator.randint(0, train_end_ - window_));
    }
    return windows_at(starts);
}

// Mean over the scored targets of -log2 softmax(prediction)[target].
double CharLanguageModelTask::evaluate(const Tensor& prediction, const Batch& batch) const {
    const auto symbols = vocabulary_.size();
    check_class_scores("char_lm", prediction, batch.targets, symbols);
    std::vector<double> logits = prediction.to_vector<double>();
    std::vector<std::int64_t> targets = batch.targets.to_vector<std::int64_t>();
    double nats = 0.0;
    std::int64_t scored = 0;
    for (std::size_t row = 0; row < targets.size(); ++row) {
        if (targets[row] == ignore_index) continue;
        const auto first = logits.begin() + static_cast<std::ptrdiff_t>(row) * symbols;
        const double top = *std::max_element(first, first + symbols);
        double sum = 0.0;
        for (auto it = first; it != first + symbols; ++it) sum += std::exp(*it - top);
        nats += top + std::log(sum) - first[targets[row]];
        ++scored;
    }
    return nats / static_cast<double>(scored) / std::numbers::ln2;
}

Tensor CharLanguageModelTask::one_hot(const std::vector<std::int64_t>& ids) const {
    const auto symbols = vocabulary_.size();
    Tensor out = zeros({static_cast<std::int64_t>(ids.size()), 1, symbols});
    float* data = out.data_ptr<float>();
    for (std::size_t t = 0; t < ids.size(); ++t)
        data[static_cast<std::int64_t>(t) * symbols + ids[t]] = 1.0f;
    return out;
}

std::unique_ptr<Task> make_char_lm_task(std::uint64_t seed) {
    return std::make_unique<CharLanguageModelTask>(seed);
}

}  // namespace lucid::tasks
