#include "lucidpp/data/distributed_sampler.hpp"

#include <numeric>

#include "lucidpp/tensor/error.hpp"
#include "lucidpp/tensor/randperm.hpp"

namespace lucid::data {

namespace {

// Per rank, as PyTorch: ceil(n / replicas), or with drop_last the largest count that every
// rank can have without padding.
std::int64_t samples_per_rank(std::int64_t n, const DistributedSamplerOptions& options) {
    const std::int64_t replicas = options.num_replicas;
    if (options.drop_last) return n / replicas;
    return n / replicas + (n % replicas != 0 ? 1 : 0);
}

}  // namespace

DistributedSampler::DistributedSampler(std::int64_t dataset_size,
                                       const DistributedSamplerOptions& options)
    : dataset_size_(dataset_size), options_(options) {
    check(dataset_size >= 0, "DistributedSampler: dataset size must be non-negative, got {}",
          dataset_size);
    check(options.num_replicas >= 1, "DistributedSampler: num_replicas must be at least 1, got {}",
          options.num_replicas);
    check(options.rank >= 0 && options.rank < options.num_replicas,
          "DistributedSampler: Invalid rank {}, rank should be in the interval [0, {}]",
          options.rank, options.num_replicas - 1);
    num_samples_ = samples_per_rank(dataset_size, options);
}

std::vector<std::int64_t> DistributedSampler::indices() {
    std::vector<std::int64_t> order;
    if (options_.shuffle) {
        Generator generator(options_.seed + static_cast<std::uint64_t>(epoch()));
        order = random_permutation(dataset_size_, generator);
    } else {
        order.resize(static_cast<std::size_t>(dataset_size_));
        std::iota(order.begin(), order.end(), std::int64_t{0});
    }
    const std::int64_t total = num_samples_ * options_.num_replicas;
    // Pad by wrapping around (more than once if the dataset is smaller than the world).
    for (std::int64_t i = dataset_size_; i < total && dataset_size_ > 0; ++i) {
        order.push_back(order[static_cast<std::size_t>(i % dataset_size_)]);
    }
    std::vector<std::int64_t> shard;
    shard.reserve(static_cast<std::size_t>(num_samples_));
    for (std::int64_t i = options_.rank; i < total; i += options_.num_replicas) {
        shard.push_back(order[static_cast<std::size_t>(i)]);
    }
    return shard;
}

}  // namespace lucid::data
