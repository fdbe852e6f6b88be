#pragma once
// How many threads lucidpp uses: its own team (kernels/parallel_for.hpp) splits the matrix
// products, the recurrent layers' step loops (over the batch rows) and other long loops.
// OpenBLAS itself always runs on one thread, the one that calls it (docs/performance.md).
namespace lucid {

// Sets the team's size, for the whole process; n >= 1. Not while a parallel_for runs.
void set_num_threads(int n);
// The team's size: set_num_threads's, else OMP_NUM_THREADS (as PyTorch reads it), else the
// number of cores this process may run on.
int get_num_threads();

}  // namespace lucid
