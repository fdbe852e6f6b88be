// lucidpp-bench: times one training step (or one forward pass) of a recurrent model and prints
// a JSON line: {"framework", "model", "config", "mode", "threads", "ms_per_step", "gflops",
// "peak_rss_mb", ...}. See docs/performance.md; tools/bench/compare.py runs it against
// libtorch side by side, tools/bench/rss.py traces its memory over a long run.
//
// --mode sgemm times OpenBLAS's sgemm instead (the library lucidpp calls): the GEMM-bound rate
// that compare.py holds the recurrent steps against.
#include <cblas.h>
#include <fmt/format.h>

#include <lucidpp/lucid.hpp>
#include <memory>
#include <string>
#include <vector>

#include "workload.hpp"

namespace {

std::unique_ptr<lucid::nn::RNNBase> make_model(const bench::Options& o) {
    const auto& c = o.config;
    if (o.model == "rnn") return std::make_unique<lucid::nn::RNN>(c.I, c.H, c.layers);
    if (o.model == "gru") return std::make_unique<lucid::nn::GRU>(c.I, c.H, c.layers);
    return std::make_unique<lucid::nn::LSTM>(c.I, c.H, c.layers);
}

void run_recurrent(const bench::Options& o) {
    const auto& c = o.config;
    auto rnn = make_model(o);
    lucid::nn::Linear head(c.H, 1);
    std::vector<lucid::Tensor> params = rnn->parameters();
    for (auto& p : head.parameters()) params.push_back(p);
    lucid::optim::Adam adam(params, {.lr = 1e-3});
    lucid::Tensor x = lucid::randn({c.T, c.B, c.I});
    lucid::Tensor target = lucid::randn({c.B, 1});

    auto step = [&] {
        if (o.mode == "forward") {
            lucid::NoGradGuard no_grad;
            auto r = rnn->run(x, lucid::Tensor(), lucid::Tensor());
            (void)head(r.output.select(0, -1));
            return;
        }
        auto r = rnn->run(x, lucid::Tensor(), lucid::Tensor());
        lucid::Tensor loss = lucid::nn::functional::mse_loss(head(r.output.select(0, -1)), target);
        adam.zero_grad();
        loss.backward();
        adam.step();
    };
    auto checkpoint = [](std::int64_t i) {
        const lucid::MemoryStats memory = lucid::memory_stats();
        bench::print_rss_line(i, fmt::format(", \"tensor_bytes\": {}, \"cached_bytes\": {}, "
                                             "\"live_nodes\": {}",
                                             memory.allocated_bytes, memory.cached_bytes,
                                             lucid::autograd::live_node_count()));
    };
    bench::print_result("lucidpp", o, bench::time_steps(o, step, checkpoint));
}

// A square sgemm of side --size on operands that are neither zero nor denormal.
void run_sgemm(const bench::Options& o) {
    const auto n = static_cast<blasint>(o.size);
    std::vector<float> a(static_cast<std::size_t>(n) * n), b(a.size()), c(a.size());
    for (std::size_t i = 0; i < a.size(); ++i) {
        a[i] = 0.5f + static_cast<float>(i % 7) * 0.125f;
        b[i] = 1.0f - static_cast<float>(i % 5) * 0.125f;
    }
    auto step = [&] {
        cblas_sgemm(CblasRowMajor, CblasNoTrans, CblasNoTrans, n, n, n, 1.0f, a.data(), n, b.data(),
                    n, 0.0f, c.data(), n);
    };
    const std::vector<double> ms = bench::time_steps(o, step, [](std::int64_t) {});
    const double median = ms[ms.size() / 2];
    const double flops =
        2.0 * static_cast<double>(n) * static_cast<double>(n) * static_cast<double>(n);
    fmt::print(
        "{{\"framework\": \"openblas\", \"mode\": \"sgemm\", \"M\": {0}, \"N\": {0}, \"K\": {0}, "
        "\"threads\": {1}, \"ms\": {2:.3f}, \"gflops\": {3:.2f}}}\n",
        n, o.threads, median, flops / (median * 1e6));
}

}  // namespace

int main(int argc, char** argv) {
    const bench::Options o = bench::parse_options(argc, argv, "lucidpp-bench");
    lucid::set_num_threads(static_cast<int>(o.threads));
    lucid::manual_seed(0);
    if (o.mode == "sgemm")
        run_sgemm(o);
    else
        run_recurrent(o);
    return 0;
}
