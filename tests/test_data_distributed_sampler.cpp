// DistributedSampler: the shards of every rank, worked out in one process by making the
// sampler of each rank in turn.
#include <doctest/doctest.h>

#include <algorithm>
#include <set>

#include "lucidpp/lucid.hpp"

using namespace lucid;
using data::DistributedSampler;

namespace {

std::vector<std::vector<std::int64_t>> shards(std::int64_t n, std::int64_t world,
                                              data::DistributedSamplerOptions options,
                                              std::int64_t epoch = 0) {
    std::vector<std::vector<std::int64_t>> all;
    for (std::int64_t rank = 0; rank < world; ++rank) {
        options.num_replicas = world;
        options.rank = rank;
        DistributedSampler sampler(n, options);
        sampler.set_epoch(epoch);
        all.push_back(sampler.indices());
        CHECK(static_cast<std::int64_t>(all.back().size()) == sampler.size());
    }
    return all;
}

}  // namespace

TEST_CASE(
    "without shuffle: rank r takes every world-th index from r, the tail padded from the start") {
    // 10 examples, 3 ranks: 4 each, padded with indices 0 and 1, as PyTorch does.
    const auto got = shards(10, 3, {.shuffle = false});
    CHECK(got[0] == std::vector<std::int64_t>{0, 3, 6, 9});
    CHECK(got[1] == std::vector<std::int64_t>{1, 4, 7, 0});
    CHECK(got[2] == std::vector<std::int64_t>{2, 5, 8, 1});

    const auto dropped = shards(10, 3, {.shuffle = false, .drop_last = true});
    CHECK(dropped[0] == std::vector<std::int64_t>{0, 3, 6});
    CHECK(dropped[2] == std::vector<std::int64_t>{2, 5, 8});

    // A dataset smaller than the world wraps around more than once.
    const auto tiny = shards(2, 5, {.shuffle = false});
    CHECK(tiny == std::vector<std::vector<std::int64_t>>{{0}, {1}, {0}, {1}, {0}});
}

TEST_CASE("with shuffle: one permutation per epoch from the seed, split into disjoint shards") {
    const auto epoch0 = shards(12, 3, {.seed = 5});
    std::set<std::int64_t> seen;
    for (const auto& shard : epoch0) {
        CHECK(shard.size() == 4);
        seen.insert(shard.begin(), shard.end());
    }
    CHECK(seen.size() == 12);  // disjoint, and every example once

    CHECK(shards(12, 3, {.seed = 5}) == epoch0);     // the same seed, the same shards
    CHECK(shards(12, 3, {.seed = 5}, 1) != epoch0);  // a new epoch, a new order
    CHECK(shards(12, 3, {.seed = 6}) != epoch0);     // another seed, another order
    CHECK(shards(12, 3, {.seed = 5}, 1) == shards(12, 3, {.seed = 5}, 1));
}

TEST_CASE("a DataLoader over a DistributedSampler: the same number of batches on every rank") {
    data::TensorDataset dataset({arange(0, 11, 1, float32)});
    for (std::int64_t rank = 0; rank < 2; ++rank) {
        auto sampler = std::make_shared<DistributedSampler>(
            dataset.size(), data::DistributedSamplerOptions{.num_replicas = 2, .rank = rank});
        data::DataLoader loader(dataset, {.batch_size = 4, .sampler = sampler});
        CHECK(loader.size() == 2);  // 6 examples each (one padded): batches of 4 and 2
        std::int64_t examples = 0;
        for (auto epoch = 0; epoch < 2; ++epoch) {
            for (const auto& batch : loader) examples += batch[0].size(0);
        }
        CHECK(examples == 12);
        CHECK(sampler->epoch() == 1);  // the loader told it
    }
}

TEST_CASE("DistributedSampler: bad arguments") {
    CHECK_THROWS_WITH_AS(DistributedSampler(4, {.num_replicas = 2, .rank = 2}),
                         "DistributedSampler: Invalid rank 2, rank should be in the interval "
                         "[0, 1]",
                         Error);
    CHECK_THROWS_WITH_AS(DistributedSampler(4, {.num_replicas = 0}),
                         "DistributedSampler: num_replicas must be at least 1, got 0", Error);
    CHECK_THROWS_WITH_AS(DistributedSampler(-1, {}),
                         "DistributedSampler: dataset size must be non-negative, got -1", Error);
}
