#pragma once
// DistributedSampler: each rank of a data-parallel job reads its own shard of the dataset, as
// torch.utils.data.distributed.DistributedSampler. Every epoch all ranks draw the same
// permutation (from seed + epoch, so no generator state needs to be shared), pad it by wrapping
// around to a multiple of num_replicas (or cut it, with drop_last), and rank r takes every
// num_replicas-th index from r on. So every rank gets the same number of examples, hence the
// same number of batches, and the shards of one epoch are disjoint apart from the padding.
//
//     data::DistributedSampler sampler(dataset.size(), {.num_replicas = distributed::world_size(),
//                                                       .rank = distributed::rank()});
//
// The DataLoader calls set_epoch() itself at the start of each epoch.
#include <cstdint>
#include <vector>

#include "lucidpp/data/sampler.hpp"

namespace lucid::data {

struct DistributedSamplerOptions {
    std::int64_t num_replicas = 1;  // the world size
    std::int64_t rank = 0;
    bool shuffle = true;
    std::uint64_t seed = 0;  // must be the same on every rank
    bool drop_last = false;  // cut the tail instead of padding it
};

class DistributedSampler final : public Sampler {
public:
    DistributedSampler(std::int64_t dataset_size, const DistributedSamplerOptions& options);
    std::vector<std::int64_t> indices() override;
    std::int64_t size() const override { return num_samples_; }  // per rank

private:
    std::int64_t dataset_size_;
    DistributedSamplerOptions options_;
    std::int64_t num_samples_;
};

}  // namespace lucid::data
