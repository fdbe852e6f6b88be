#pragma once
// NextTokenDataset: windows of a token sequence and the same windows one token later, the
// examples of a language model (a character model reads the ids of CharVocabulary::encode).
//
// Example i is (tokens[s, s + window), tokens[s + 1, s + window + 1)) with s = i * stride: at
// every step the target is the token that comes next. Both are int64 (window) views; a loader's
// default collate stacks them into (B, window), a batch_first layout (an nn::Embedding reads
// it, then a recurrent layer with batch_first, or transpose(0, 1) for (T, B)).
#include <cstdint>
#include <utility>

#include "lucidpp/data/dataset.hpp"
#include "lucidpp/tensor/tensor.hpp"

namespace lucid::data {

class NextTokenDataset final : public Dataset<std::pair<Tensor, Tensor>> {
public:
    // tokens: 1-D, at least window + 1 long. stride 1 gives every window; stride = window gives
    // windows that do not overlap, as char-rnn reads its text.
    NextTokenDataset(Tensor tokens, std::int64_t window, std::int64_t stride = 1);

    std::int64_t size() const override;
    std::pair<Tensor, Tensor> get(std::int64_t index) const override;

    std::int64_t window() const { return window_; }
    std::int64_t stride() const { return stride_; }

private:
    Tensor tokens_;
    std::int64_t window_;
    std::int64_t stride_;
};

}  // namespace lucid::data
