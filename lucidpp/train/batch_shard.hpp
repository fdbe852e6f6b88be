#pragma once
// A rank's part of a global batch, for data-parallel training (docs/distributed.md). Every rank
// draws the same global batch from the shared seed and keeps the rows of its shard, so the
// global batch, and so the result, does not depend on how many ranks share it (up to float
// rounding). With B rows and N ranks, rank r keeps B / N rows, one more for the first B % N.
#include <cstdint>

#include "lucidpp/tasks/task.hpp"

namespace lucid::training {

struct BatchShard {
    tasks::Batch batch;
    // What the task's mean loss averages over in this shard: rows, or for class targets the
    // scored targets (not -100). Weighting each rank's gradient by it gives the gradient of the
    // mean loss over the global batch.
    std::int64_t weight = 0;
};

// Rows [begin, begin + count) of `size` rows for `rank` of `world`.
struct RowRange {
    std::int64_t begin = 0;
    std::int64_t count = 0;
};
RowRange shard_rows(std::int64_t size, int rank, int world);

// The batch is time-major (task.hpp): rows are dim 1 of inputs, and of targets scored at every
// step; dim 0 of targets scored at the last step.
BatchShard shard_of(const tasks::Batch& global, const tasks::TaskSpec& spec, int rank, int world);

}  // namespace lucid::training
