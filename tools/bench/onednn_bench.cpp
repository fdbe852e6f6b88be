// onednn-bench: the lucidpp-bench workload (workload.hpp) run with oneDNN's RNN primitives,
// printing the same JSON line with "framework": "onednn". Built only when Debian's libdnnl-dev is
// installed; a reference to beat, not a dependency. The model and what the timed step holds:
// onednn_model.hpp and onednn_layer.hpp.
//
// Threads: Debian's libdnnl 2.6 is built with the OpenMP runtime (DNNL_CPU_RUNTIME_OMP, libgomp),
// so --threads n is omp_set_num_threads(n), before the first primitive runs. oneDNN runs its own
// JIT GEMMs, not OpenBLAS.
#include <omp.h>

#include "onednn_model.hpp"
#include "workload.hpp"

int main(int argc, char** argv) {
    const bench::Options o = bench::parse_options(argc, argv, "onednn-bench");
    if (o.mode == "sgemm" || o.mode == "info")
        bench::usage("onednn-bench", "--mode " + o.mode + " is lucidpp-bench's");
    if (o.model == "mlp") bench::usage("onednn-bench", "--model mlp is not timed with oneDNN");
    omp_set_num_threads(static_cast<int>(o.threads));
    const bench::Config& c = o.config;
    const bool train = o.mode == "train";
    bench::onednn::Model model({o.model, c.T, c.B, c.I, c.H, c.layers}, train);

    auto step = [&] {
        if (!train) return model.forward();
        model.forward_backward();
        model.adam_step();
    };
    auto checkpoint = [](std::int64_t i) { bench::print_rss_line(i); };
    bench::print_result("onednn", o, bench::time_steps(o, step, checkpoint));
    return 0;
}
