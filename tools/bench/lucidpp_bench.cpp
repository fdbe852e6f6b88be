// lucidpp-bench: times one training step (or one forward pass) of a recurrent model and prints
// a JSON line: {"framework", "model", "config", "mode", "threads", "ms_per_step", "gflops",
// "peak_rss_mb", ...}. See docs/performance.md; tools/bench/compare.py runs it against
// libtorch side by side.
#include <fmt/format.h>
#include <sys/resource.h>

#include <algorithm>
#include <chrono>
#include <cstdlib>
#include <lucidpp/lucid.hpp>
#include <lucidpp/optim/adam.hpp>
#include <memory>
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
    fmt::print(stderr,
               "lucidpp-bench: {}\n"
               "usage: lucidpp-bench [--model rnn|gru|lstm] [--config tiny|small|medium|large]\n"
               "                     [--T n --B n --I n --H n --layers n] [--mode train|forward]\n"
               "                     [--threads n] [--warmup n] [--repeats n]\n",
               problem);
    std::exit(2);
}

Options parse(int argc, char** argv) {
    Options o;
    for (int i = 1; i < argc; ++i) {
        std::string flag = argv[i];
        if (flag == "--help" || flag == "-h") usage("times a recurrent training step");
        if (i + 1 >= argc) usage("missing value for " + flag);
        std::string value = argv[++i];
        auto number = [&] {
            try {
                return std::stoll(value);
            } catch (...) {
                usage(fmt::format("{} expects a number, got '{}'", flag, value));
            }
        };
        if (flag == "--model") o.model = value;
        else if (flag == "--mode") o.mode = value;
        else if (flag == "--config") {
            auto configs = bench::named_configs();
            auto found = std::find_if(configs.begin(), configs.end(), [&](auto& c) { return c.name == value; });
            if (found == configs.end()) usage("unknown config " + value);
            o.config = *found;
        } else if (flag == "--T") o.config.T = number(), o.config.name = "custom";
        else if (flag == "--B") o.config.B = number(), o.config.name = "custom";
        else if (flag == "--I") o.config.I = number(), o.config.name = "custom";
        else if (flag == "--H") o.config.H = number(), o.config.name = "custom";
        else if (flag == "--layers") o.config.layers = number(), o.config.name = "custom";
        else if (flag == "--threads") o.threads = static_cast<int>(number());
        else if (flag == "--warmup") o.warmup = static_cast<int>(number());
        else if (flag == "--repeats") o.repeats = static_cast<int>(number());
        else usage("unknown flag " + flag);
    }
    if (o.model != "rnn" && o.model != "gru" && o.model != "lstm") usage("unknown model " + o.model);
    if (o.mode != "train" && o.mode != "forward") usage("unknown mode " + o.mode);
    return o;
}

std::unique_ptr<lucid::nn::RNNBase> make_model(const Options& o) {
    const auto& c = o.config;
    if (o.model == "rnn") return std::make_unique<lucid::nn::RNN>(c.I, c.H, c.layers);
    if (o.model == "gru") return std::make_unique<lucid::nn::GRU>(c.I, c.H, c.layers);
    return std::make_unique<lucid::nn::LSTM>(c.I, c.H, c.layers);
}

double peak_rss_mb() {
    rusage usage{};
    getrusage(RUSAGE_SELF, &usage);
    return static_cast<double>(usage.ru_maxrss) / 1024.0;
}

}  // namespace

int main(int argc, char** argv) {
    Options o = parse(argc, argv);
    lucid::set_num_threads(o.threads);
    lucid::manual_seed(0);
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
    fmt::print(
        "{{\"framework\": \"lucidpp\", \"model\": \"{}\", \"config\": \"{}\", \"T\": {}, \"B\": {}, "
        "\"I\": {}, \"H\": {}, \"layers\": {}, \"mode\": \"{}\", \"threads\": {}, \"ms_per_step\": {:.4f}, "
        "\"min_ms\": {:.4f}, \"gflop_per_step\": {:.4f}, \"gflops\": {:.2f}, \"peak_rss_mb\": {:.1f}}}\n",
        o.model, c.name, c.T, c.B, c.I, c.H, c.layers, o.mode, o.threads, median, times.front(),
        flops / 1e9, flops / (median * 1e6), peak_rss_mb());
    return 0;
}
