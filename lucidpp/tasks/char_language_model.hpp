#pragma once
// CharLanguageModelTask: a character-level language model of lucidpp's own documentation.
//
// Source: the character-level recurrent language model of Graves (2013, "Generating sequences
// with recurrent neural networks") and Karpathy's char-rnn; the text is docs/*.md and
// docs/nn/*.md of this repository, embedded into the library at build time by
// tools/embed_corpus.py (see embedded_corpus_files() for the pages).
//
// Vocabulary (a data::CharVocabulary): id 0 is the unknown symbol, which stands for every
// non-ASCII character (one id per UTF-8 character), every control character but newline and
// tab, and every character seen fewer than 3 times in the corpus; then the other characters in
// byte order. Inputs are one-hot (T, B, V); the target at every step is
// the next character's id (T, B) (Target::classes, every-step readout, cross-entropy).
// Training windows are drawn anywhere in the first 90% of the text; the test set tiles the last
// 10% with windows of the same length, from an offset fixed by the seed. Every step of a window
// is scored, so early steps, which see little context, count too.
//
// Metric: bits per character, the mean cross-entropy over the test targets in bits (lower is
// better). Baseline: the unigram model, the character frequencies of the training part
// (add-one smoothed), about 5.1 bits on this markdown-and-code text. Solved at 2.5 bits, half
// of that: the model must have learned words, markdown and code layout. A default GRU gets
// there in about 300 steps and bottoms out near 1.9 bits before it overfits the small corpus.
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "lucidpp/data/char_vocabulary.hpp"
#include "lucidpp/tasks/task.hpp"

namespace lucid::tasks {

// The embedded documentation pages, joined; and their paths in the repository. Generated at
// build time.
std::string_view embedded_corpus();
std::vector<std::string> embedded_corpus_files();

class CharLanguageModelTask final : public Task {
public:
    static constexpr std::int64_t unknown_id = 0;
    static constexpr std::int64_t default_window = 100;

    // The task on the embedded documentation.
    explicit CharLanguageModelTask(std::uint64_t seed);
    // The task on any text (tests use small ones). The text must hold at least twenty windows.
    CharLanguageModelTask(std::uint64_t seed, const std::string& text,
                          std::int64_t window = default_window,
                          std::string corpus_name = "a given text");

    std::string name() const override { return "char_lm"; }
    std::string description() const override;
    std::string source() const override;
    TaskSpec spec() const override;
    Metric metric() const override;
    Hyperparameters defaults() const override;

    Batch train_batch(std::int64_t batch_size, Generator& generator) const override;
    const Batch& test_set() const override { return test_; }
    double evaluate(const Tensor& prediction, const Batch& batch) const override;

    // Text to ids and back; an id's text is vocabulary()[id] (the unknown symbol is U+FFFD).
    std::vector<std::int64_t> encode(const std::string& text) const;
    std::string decode(const std::vector<std::int64_t>& ids) const;
    const std::vector<std::string>& vocabulary() const { return vocabulary_.characters(); }
    const data::CharVocabulary& char_vocabulary() const { return vocabulary_; }
    std::int64_t window() const { return window_; }

    // ids -> one-hot inputs (T, 1, V), one sequence of T steps: what a model reads when it
    // writes text one character at a time (train/sample_text.hpp).
    Tensor one_hot(const std::vector<std::int64_t>& ids) const;

private:
    Batch windows_at(const std::vector<std::int64_t>& starts) const;

    std::string corpus_name_;
    std::int64_t window_;
    data::CharVocabulary vocabulary_;
    std::vector<std::int64_t> text_;  // the corpus, encoded
    std::int64_t train_end_ = 0;      // text_[0, train_end_) trains
    Batch test_;
    double baseline_ = 0.0;
};

}  // namespace lucid::tasks
