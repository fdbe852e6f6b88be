// torch-bench: the lucidpp-bench workload (workload.hpp) run with libtorch, printing the same
// JSON line with "framework": "libtorch". Built only when Debian's libtorch-dev is installed.
//
// Threads: torch::set_num_threads(n) sets libtorch's intra-op (OpenMP) pool; it does not limit
// OpenBLAS, which reads OPENBLAS_NUM_THREADS at load time, so compare.py sets both.
#include <sys/resource.h>
#include <torch/torch.h>

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <string>

#include "workload.hpp"

namespace {

struct Options {
    bench::Config config;
    std::string model = "gru";
    std::string mode = "train";
    int threads = 1;
    int warmup = 3;
    int repeats = 10;
};

[[noreturn]] void usage(const std::string& problem) {
    std::fprintf(stderr, "torch-bench: %s\n(same flags as lucidpp-bench)\n", problem.c_str());
    std::exit(2);
}

Options parse(int argc, char** argv) {
    Options o;
    for (int i = 1; i < argc; ++i) {
        std::string flag = argv[i];
        if (i + 1 >= argc) usage("missing value for " + flag);
        std::string value = argv[++i];
        if (flag == "--model") o.model = value;
        else if (flag == "--mode") o.mode = value;
        else if (flag == "--config") {
            auto configs = bench::named_configs();
            auto found = std::find_if(configs.begin(), configs.end(), [&](auto& c) { return c.name == value; });
            if (found == configs.end()) usage("unknown config " + value);
            o.config = *found;
        } else if (flag == "--T") o.config.T = std::stoll(value), o.config.name = "custom";
        else if (flag == "--B") o.config.B = std::stoll(value), o.config.name = "custom";
        else if (flag == "--I") o.config.I = std::stoll(value), o.config.name = "custom";
        else if (flag == "--H") o.config.H = std::stoll(value), o.config.name = "custom";
        else if (flag == "--layers") o.config.layers = std::stoll(value), o.config.name = "custom";
        else if (flag == "--threads") o.threads = std::stoi(value);
        else if (flag == "--warmup") o.warmup = std::stoi(value);
        else if (flag == "--repeats") o.repeats = std::stoi(value);
        else usage("unknown flag " + flag);
    }
    return o;
}

double peak_rss_mb() {
    rusage usage{};
    getrusage(RUSAGE_SELF, &usage);
    return static_cast<double>(usage.ru_maxrss) / 1024.0;
}

}  // namespace

int main(int argc, char** argv) {
    Options o = parse(argc, argv);
    torch::set_num_threads(o.threads);
    torch::manual_seed(0);
    const auto& c = o.config;

    torch::nn::AnyModule rnn;
    if (o.model == "rnn") rnn = torch::nn::AnyModule(torch::nn::RNN(torch::nn::RNNOptions(c.I, c.H).num_layers(c.layers)));
    else if (o.model == "gru") rnn = torch::nn::AnyModule(torch::nn::GRU(torch::nn::GRUOptions(c.I, c.H).num_layers(c.layers)));
    else rnn = torch::nn::AnyModule(torch::nn::LSTM(torch::nn::LSTMOptions(c.I, c.H).num_layers(c.layers)));
    torch::nn::Linear head(c.H, 1);
    std::vector<torch::Tensor> params = rnn.ptr()->parameters();
    for (auto& p : head->parameters()) params.push_back(p);
    torch::optim::Adam adam(params, torch::optim::AdamOptions(1e-3));
    torch::Tensor x = torch::randn({c.T, c.B, c.I});
    torch::Tensor target = torch::randn({c.B, 1});

    auto last_output = [&]() -> torch::Tensor {
        if (o.model == "lstm") {
            auto out = rnn.forward<std::tuple<torch::Tensor, std::tuple<torch::Tensor, torch::Tensor>>>(x);
            return std::get<0>(out)[-1];
        }
        auto out = rnn.forward<std::tuple<torch::Tensor, torch::Tensor>>(x);
        return std::get<0>(out)[-1];
    };
    auto step = [&] {
        if (o.mode == "forward") {
            torch::NoGradGuard no_grad;
            (void)head(last_output());
            return;
        }
        torch::Tensor loss = torch::mse_loss(head(last_output()), target);
        adam.zero_grad();
        loss.backward();
        adam.step();
    };

    for (int i = 0; i < o.warmup; ++i) step();
    std::vector<double> times;
    for (int i = 0; i < o.repeats; ++i) {
        auto start = std::chrono::steady_clock::now();
        step();
        times.push_back(std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - start).count());
    }
    std::sort(times.begin(), times.end());
    const double median = times[times.size() / 2];
    const double flops = bench::gemm_flops(c, o.model, o.mode == "train");
    std::printf(
        "{\"framework\": \"libtorch\", \"model\": \"%s\", \"config\": \"%s\", \"T\": %ld, \"B\": %ld, "
        "\"I\": %ld, \"H\": %ld, \"layers\": %ld, \"mode\": \"%s\", \"threads\": %d, \"ms_per_step\": %.4f, "
        "\"min_ms\": %.4f, \"gflop_per_step\": %.4f, \"gflops\": %.2f, \"peak_rss_mb\": %.1f}\n",
        o.model.c_str(), c.name.c_str(), c.T, c.B, c.I, c.H, c.layers, o.mode.c_str(), o.threads,
        median, times.front(), flops / 1e9, flops / (median * 1e6), peak_rss_mb());
    return 0;
}
