#include "lucidpp/data/sampler.hpp"

#include <numeric>

#include "lucidpp/tensor/error.hpp"
#include "lucidpp/tensor/randperm.hpp"

namespace lucid::data {

SequentialSampler::SequentialSampler(std::int64_t size) : size_(size) {
    check(size >= 0, "SequentialSampler: size must be non-negative, got {}", size);
}

std::vector<std::int64_t> SequentialSampler::indices() {
    std::vector<std::int64_t> order(static_cast<std::size_t>(size_));
    std::iota(order.begin(), order.end(), std::int64_t{0});
    return order;
}

// PyTorch refuses an empty dataset here (and so does a DataLoader with shuffle), with this text.
RandomSampler::RandomSampler(std::int64_t size, Generator* generator)
    : size_(size), generator_(generator) {
    check(size > 0,
          "RandomSampler: num_samples should be a positive integer value, but got "
          "num_samples={}",
          size);
}

std::vector<std::int64_t> RandomSampler::indices() {
    return random_permutation(size_, generator_ != nullptr ? *generator_ : default_generator());
}

}  // namespace lucid::data
