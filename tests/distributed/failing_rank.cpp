// A job in which rank 1 fails while the others wait in collectives for it: `failing_rank throw`
// throws (the guard must end the whole job), `failing_rank die` is killed by a signal (mpirun
// must end it). Either way the job exits non-zero (check_failing_rank.sh), never hangs. The
// error is printed inside the guard's scope: once the guard aborts, nothing after it runs.
#include <csignal>
#include <cstring>

#include <fmt/format.h>

#include "lucidpp/lucid.hpp"

namespace dist = lucid::distributed;

void train(bool die) {
    for (int step = 0; step < 1000; ++step) {
        if (dist::rank() == 1 && step == 3) {
            if (die) std::raise(SIGKILL);
            throw lucid::Error("failing_rank: fails on purpose at step 3");
        }
        lucid::Tensor t = lucid::ones({4});
        dist::all_reduce(t);
    }
}

int main(int argc, char** argv) {
    const bool die = argc > 1 && std::strcmp(argv[1], "die") == 0;
    try {
        dist::ProcessGroupGuard group;
        try {
            train(die);
        } catch (const lucid::Error& error) {
            fmt::print(stderr, "rank {}: {}\n", dist::rank(), error.what());
            throw;  // on to the guard, which aborts the job
        }
    } catch (const lucid::Error&) {
        return 1;  // reached only in a world of one
    }
    return 0;
}
