// The multi-process suite: every rank of `mpirun -np N distributed_tests` runs every test
// case, so the collectives inside them meet. Rank 0 reports in full; the others only report
// failures, each line then naming its rank.
#define DOCTEST_CONFIG_IMPLEMENT
#include <doctest/doctest.h>

#include "lucidpp/distributed/process_group.hpp"

int main(int argc, char** argv) {
    lucid::distributed::ProcessGroupGuard group;
    doctest::Context context(argc, argv);
    if (lucid::distributed::rank() != 0) {
        context.setOption("minimal", true);
        context.setOption("no-version", true);
    }
    const int failed = context.run();
    // Every rank must reach the end before any finalizes, or a failed rank's early exit would
    // leave the others waiting.
    return failed ? 1 : 0;
}
