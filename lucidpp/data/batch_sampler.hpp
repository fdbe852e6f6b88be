#pragma once
// BatchSampler: groups a sampler's indices into batches, as torch.utils.data.BatchSampler.
#include <cstdint>
#include <memory>
#include <vector>

#include "lucidpp/data/sampler.hpp"

namespace lucid::data {

class BatchSampler {
public:
    // batch_size > 0. With drop_last the last batch is dropped when it would be smaller than
    // batch_size; otherwise it is kept, smaller.
    BatchSampler(std::shared_ptr<Sampler> sampler, std::int64_t batch_size, bool drop_last);

    // The next epoch's batches: tells the sampler the epoch, then cuts its indices.
    std::vector<std::vector<std::int64_t>> batches(std::int64_t epoch);
    // Batches per epoch: size / batch_size, rounded down with drop_last, else up.
    std::int64_t size() const;

    Sampler& sampler() { return *sampler_; }
    std::int64_t batch_size() const { return batch_size_; }
    bool drop_last() const { return drop_last_; }

private:
    std::shared_ptr<Sampler> sampler_;
    std::int64_t batch_size_;
    bool drop_last_;
};

}  // namespace lucid::data
