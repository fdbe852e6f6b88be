#include "lucidpp/data/next_token_dataset.hpp"

#include "lucidpp/tensor/error.hpp"
#include "lucidpp/tensor/shape.hpp"

namespace lucid::data {

NextTokenDataset::NextTokenDataset(Tensor tokens, std::int64_t window, std::int64_t stride)
    : tokens_(std::move(tokens)), window_(window), stride_(stride) {
    check(tokens_.defined() && tokens_.dim() == 1,
          "NextTokenDataset: tokens must be 1-D, got shape {}",
          tokens_.defined() ? tokens_.shape() : Shape{});
    check(window > 0, "NextTokenDataset: window must be positive, got {}", window);
    check(stride > 0, "NextTokenDataset: stride must be positive, got {}", stride);
    check(tokens_.size(0) > window,
          "NextTokenDataset: {} tokens hold no window of {} with its next token", tokens_.size(0),
          window);
}

// Windows start at 0, stride, 2 * stride, ... while the window and its next token fit.
std::int64_t NextTokenDataset::size() const {
    return (tokens_.size(0) - window_ - 1) / stride_ + 1;
}

std::pair<Tensor, Tensor> NextTokenDataset::get(std::int64_t index) const {
    check(index >= 0 && index < size(),
          "NextTokenDataset: index {} is out of range for a dataset of {} windows", index, size());
    const std::int64_t start = index * stride_;
    return {tokens_.narrow(0, start, window_), tokens_.narrow(0, start + 1, window_)};
}

}  // namespace lucid::data
