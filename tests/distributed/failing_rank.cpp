// A job in which rank 1 throws while the others wait in collectives for it. The guard must
// end the whole job with a non-zero exit (check_failing_rank.sh), never leave it hanging. The
// error is printed inside the guard's scope: once the guard aborts, nothing after it runs.
#include <fmt/format.h>

#include "lucidpp/lucid.hpp"

namespace dist = lucid::distributed;

void train() {
    for (int step = 0; step < 1000; ++step) {
        if (dist::rank() == 1 && step == 3) {
            throw lucid::Error("failing_rank: fails on purpose at step 3");
        }
        lucid::Tensor t = lucid::ones({4});
        dist::all_reduce(t);
    }
}

int main() {
    try {
        dist::ProcessGroupGuard group;
        try {
            train();
        } catch (const lucid::Error& error) {
            fmt::print(stderr, "rank {}: {}\n", dist::rank(), error.what());
            throw;  // on to the guard, which aborts the job
        }
    } catch (const lucid::Error&) {
        return 1;  // reached only in a world of one
    }
    return 0;
}
