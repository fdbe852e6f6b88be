// lucidpp-bench: times one training step (or one forward pass) of a recurrent model, or of the
// MLP micro-workload (--model mlp), and prints a JSON line: {"framework", "model", "config",
// "mode", "threads", "ms_per_step", "gflops", "peak_rss_mb", ...}. See docs/performance.md;
// tools/bench/compare.py runs it against libtorch and oneDNN side by side, tools/bench/rss.py
// traces its memory over a long run.
//
// --mode sgemm times OpenBLAS's sgemm instead (the library lucidpp calls): the GEMM-bound rate
// that compare.py holds the recurrent steps against. --mode info prints which OpenBLAS this is:
// its build configuration and the core whose kernels it picked (OPENBLAS_CORETYPE overrides it).
#include <cblas.h>
#include <fmt/format.h>

#include <cstdlib>
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

// Times the forward alone under no-grad (--mode forward), or a training step: MSE of
// forward() against target, backward, one Adam step over params.
template <class Forward>
void time_workload(const bench::Options& o, Forward&& forward,
                   const std::vector<lucid::Tensor>& params, const lucid::Tensor& target) {
    lucid::optim::Adam adam(params, {.lr = 1e-3});
    auto step = [&] {
        if (o.mode == "forward") {
            lucid::NoGradGuard no_grad;
            (void)forward();
            return;
        }
        lucid::Tensor loss = lucid::nn::functional::mse_loss(forward(), target);
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

void run_recurrent(const bench::Options& o) {
    const auto& c = o.config;
    auto rnn = make_model(o);
    lucid::nn::Linear head(c.H, 1);
    std::vector<lucid::Tensor> params = rnn->parameters();
    for (auto& p : head.parameters()) params.push_back(p);
    lucid::Tensor x = lucid::randn({c.T, c.B, c.I});
    lucid::Tensor target = lucid::randn({c.B, 1});
    auto forward = [&] {
        auto r = rnn->run(x, lucid::Tensor(), lucid::Tensor());
        return head(r.output.select(0, -1));
    };
    time_workload(o, forward, params, target);
}

// The generic tape's micro-workload (workload.hpp): layers x (Linear + tanh), a Linear(1) head.
void run_mlp(const bench::Options& o) {
    const auto& c = o.config;
    lucid::nn::Sequential mlp;
    for (std::int64_t layer = 0; layer < c.layers; ++layer) {
        mlp.emplace_back<lucid::nn::Linear>(layer == 0 ? c.I : c.H, c.H);
        mlp.emplace_back<lucid::nn::Tanh>();
    }
    mlp.emplace_back<lucid::nn::Linear>(c.H, 1);
    lucid::Tensor x = lucid::randn({c.B, c.I});
    lucid::Tensor target = lucid::randn({c.B, 1});
    time_workload(
        o, [&] { return mlp(x); }, mlp.parameters(), target);
}

// A square sgemm of side --size on operands that are neither zero nor denormal.
void run_sgemm(const bench::Options& o) {
    const auto n = static_cast<blasint>(o.size);
    std::vector<float> a(static_cast<std::size_t>(n) * n), b(a.size()), c(a.size());
    for (std::size_t i = 0; i < a.size(); ++i) {
        a[i] = 0.5f + static_cast<float>(i % 7) * 0.125f;
        b[i] = 1.0f - static_cast<float>(i % 5) * 0.125f;
    }
    // lucidpp keeps OpenBLAS on one thread (its own team splits products); the reference rate
    // is OpenBLAS's own, on as many threads as asked.
    openblas_set_num_threads(static_cast<int>(o.threads));
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

// Which OpenBLAS runs, as a JSON line: e.g. corename "SkylakeX" or "Haswell".
void print_info(const bench::Options& o) {
    const char* coretype = std::getenv("OPENBLAS_CORETYPE");
    fmt::print(
        "{{\"framework\": \"openblas\", \"mode\": \"info\", \"config\": \"{}\", "
        "\"corename\": \"{}\", \"OPENBLAS_CORETYPE\": \"{}\", \"threads\": {}, "
        "\"openblas_threads\": {}}}\n",
        openblas_get_config(), openblas_get_corename(), coretype ? coretype : "", o.threads,
        openblas_get_num_threads());
}

}  // namespace

int main(int argc, char** argv) {
    const bench::Options o = bench::parse_options(argc, argv, "lucidpp-bench");
    lucid::set_num_threads(static_cast<int>(o.threads));
    lucid::manual_seed(0);
    if (o.mode == "info")
        print_info(o);
    else if (o.mode == "sgemm")
        run_sgemm(o);
    else if (o.model == "mlp")
        run_mlp(o);
    else
        run_recurrent(o);
    return 0;
}
