#pragma once
// How many threads lucidpp's matrix products (OpenBLAS) may use. lucidpp's own loops (the gate
// kernels, the optimizers) run on the calling thread: docs/performance.md says why.
namespace lucid {

// Sets OpenBLAS's thread count, for the whole process; n >= 1.
void set_num_threads(int n);
int get_num_threads();

}  // namespace lucid
