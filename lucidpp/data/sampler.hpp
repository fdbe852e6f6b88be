#pragma once
// Samplers: the order in which a DataLoader reads a dataset's examples, as torch.utils.data.
//
// A Sampler gives the indices of one epoch each time indices() is called; size() is how many
// that is (len(sampler)). The DataLoader calls set_epoch(e) before it asks for epoch e's
// indices, so a sampler whose order is a function of a seed and the epoch (a distributed
// sampler: every rank its own shard, reshuffled per epoch from a shared seed) needs nothing
// else from the loader. PyTorch leaves that call to the user; here the loader makes it.
#include <cstdint>
#include <vector>

#include "lucidpp/tensor/generator.hpp"

namespace lucid::data {

class Sampler {
public:
    virtual ~Sampler() = default;

    // The indices of the next epoch, in the order they are to be read.
    virtual std::vector<std::int64_t> indices() = 0;
    // How many indices one epoch has.
    virtual std::int64_t size() const = 0;
    // The epoch about to begin (0, 1, ...). Samplers that draw from a generator ignore it.
    virtual void set_epoch(std::int64_t epoch) { epoch_ = epoch; }
    std::int64_t epoch() const { return epoch_; }

private:
    std::int64_t epoch_ = 0;
};

// 0, 1, ..., size - 1, every epoch.
class SequentialSampler final : public Sampler {
public:
    explicit SequentialSampler(std::int64_t size);
    std::vector<std::int64_t> indices() override;
    std::int64_t size() const override { return size_; }

private:
    std::int64_t size_;
};

// A new random permutation of 0..size-1 every epoch (a randperm drawn from `generator`, or from
// the default generator). The generator is not owned and must outlive the sampler. Epochs are
// reproducible: the same seed gives the same sequence of permutations.
class RandomSampler final : public Sampler {
public:
    explicit RandomSampler(std::int64_t size, Generator* generator = nullptr);
    std::vector<std::int64_t> indices() override;
    std::int64_t size() const override { return size_; }

private:
    std::int64_t size_;
    Generator* generator_;
};

}  // namespace lucid::data
