#include "threads.hpp"

#include "lucidpp/kernels/threads.hpp"
#include "validators.hpp"

namespace lucid::cli {

CLI::Option* add_threads_option(CLI::App& app, int& threads) {
    return app
        .add_option("--threads", threads,
                    "threads for the products and the step loops (default: OMP_NUM_THREADS, else "
                    "one per core)")
        ->check(positive())
        ->type_name("N");
}

void set_threads(int threads) {
    if (threads > 0) lucid::set_num_threads(threads);
}

}  // namespace lucid::cli
