#pragma once
// --threads N: how many threads lucidpp uses (its products, step loops and other long loops),
// through lucid::set_num_threads. Without the flag, lucid::get_num_threads decides
// (OMP_NUM_THREADS, else one per core).
#include <CLI/CLI.hpp>

namespace lucid::cli {

CLI::Option* add_threads_option(CLI::App& app, int& threads);

// 0 leaves the default.
void set_threads(int threads);

}  // namespace lucid::cli
