#include "lucidpp/train/batch_shard.hpp"

#include <algorithm>

#include "lucidpp/ops/comparison.hpp"
#include "lucidpp/tensor/creation.hpp"

namespace lucid::training {

RowRange shard_rows(std::int64_t size, int rank, int world) {
    check(size >= world,
          "data parallel: a batch of {} rows cannot be shared by {} ranks; use a batch of at "
          "least {}",
          size, world, world);
    const std::int64_t base = size / world, extra = size % world;
    return {.begin = rank * base + std::min<std::int64_t>(rank, extra),
            .count = base + (rank < extra ? 1 : 0)};
}

BatchShard shard_of(const tasks::Batch& global, const tasks::TaskSpec& spec, int rank, int world) {
    const RowRange rows = shard_rows(global.inputs.size(1), rank, world);
    const std::int64_t target_dim = spec.readout == tasks::Readout::every_step ? 1 : 0;
    BatchShard shard{.batch = {global.inputs.narrow(1, rows.begin, rows.count),
                               global.targets.narrow(target_dim, rows.begin, rows.count)},
                     .weight = rows.count};
    if (spec.target == tasks::Target::classes) {
        const Tensor scored = ne(shard.batch.targets, scalar_tensor(-100, int64));
        shard.weight = static_cast<std::int64_t>(scored.to(float64).sum().item<double>());
    }
    return shard;
}

}  // namespace lucid::training
