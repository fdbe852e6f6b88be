#pragma once
// --threads N: how many threads the matrix products (OpenBLAS) and lucidpp's own loops use,
// through lucid::set_num_threads. Without the flag OpenBLAS decides (OPENBLAS_NUM_THREADS,
// else one thread per core).
#include <CLI/CLI.hpp>

namespace lucid::cli {

CLI::Option* add_threads_option(CLI::App& app, int& threads);

// 0 leaves the default.
void set_threads(int threads);

}  // namespace lucid::cli
