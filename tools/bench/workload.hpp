#pragma once
// The benchmark workload, shared by the lucidpp, libtorch and oneDNN programs so all run exactly
// the same thing: a recurrent layer stack over (T, B, I), a Linear head on the last output, MSE
// against a fixed target, backward, and one Adam step ("train"); or the forward alone under
// no-grad ("forward"). Also their flags, timing loop and JSON lines, so these cannot drift
// apart. Compiles as C++17 (torch-bench) and C++20 (lucidpp-bench, onednn-bench), without fmt.
//
// --model mlp (lucidpp-bench and torch-bench) is the generic tape's micro-workload instead: an
// input (B, I), `layers` times Linear(H) + tanh, a Linear(1) head, MSE, backward, Adam. Its
// config "mlp" is B = 32, I = H = 64, 3 layers (T unused); it is the default for --model mlp.
#include <malloc.h>
#include <sys/resource.h>
#include <unistd.h>

#include <algorithm>
#include <chrono>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <string>
#include <utility>
#include <vector>

namespace bench {

struct Config {
    std::string name = "custom";
    std::int64_t T = 20, B = 16, I = 8, H = 32, layers = 1;
};

// The configs of the reference table, and the MLP's.
inline std::vector<Config> named_configs() {
    return {{"tiny", 20, 16, 8, 32, 1},
            {"small", 50, 32, 32, 64, 1},
            {"medium", 100, 64, 128, 256, 2},
            {"large", 100, 64, 256, 512, 1},
            {"mlp", 1, 32, 64, 64, 3}};
}

inline std::int64_t gates_of(const std::string& model) {
    return model == "lstm" ? 4 : model == "gru" ? 3 : 1;
}

// Multiply-adds of the GEMMs, counted as 2 FLOP each: the input and hidden projections of every
// step and layer in forward; in backward, their weight gradients and input gradients, except the
// input gradient of layer 0, which nothing needs because the benchmark input does not require
// grad (libtorch skips it too). This is the count: 25.2 GFLOP per medium GRU step, 40.3
// per large. Gate arithmetic and the head are left out: they are small next to the GEMMs.
//
// For the MLP: its B x in x out products, the head's included, forward; in backward the weight
// gradient of each and the input gradient of each but the first.
inline double mlp_gemm_flops(const Config& c, bool train) {
    const double B = static_cast<double>(c.B), H = static_cast<double>(c.H);
    const double first = 2.0 * B * static_cast<double>(c.I) * H;
    const double forward =
        first + 2.0 * B * H * H * static_cast<double>(c.layers - 1) + 2.0 * B * H;
    return train ? 3.0 * forward - first : forward;
}

inline double gemm_flops(const Config& c, const std::string& model, bool train) {
    if (model == "mlp") return mlp_gemm_flops(c, train);
    const double G = static_cast<double>(gates_of(model)) * static_cast<double>(c.H);
    const double rows = static_cast<double>(c.T * c.B);
    double forward = 0;
    for (std::int64_t layer = 0; layer < c.layers; ++layer) {
        const double in = layer == 0 ? static_cast<double>(c.I) : static_cast<double>(c.H);
        forward += 2.0 * rows * G * (in + static_cast<double>(c.H));
    }
    const double input_grad_of_layer0 = 2.0 * rows * G * static_cast<double>(c.I);
    return train ? 3.0 * forward - input_grad_of_layer0 : forward;
}

struct Options {
    Config config;
    std::string model = "gru";
    std::string mode = "train";  // train, forward, or sgemm and info (lucidpp-bench only)
    std::int64_t threads = 1;
    std::int64_t warmup = 3;
    std::int64_t repeats = 10;
    std::int64_t rss_every = 0;  // print the current RSS every this many timed steps; 0: never
    std::int64_t size = 2048;    // sgemm mode: M = N = K
};

[[noreturn]] inline void usage(const char* program, const std::string& message, int status = 2) {
    std::fprintf(
        status == 0 ? stdout : stderr,
        "%s: %s\n"
        "usage: %s [--model rnn|gru|lstm|mlp] [--config tiny|small|medium|large|mlp]\n"
        "          [--T n --B n --I n --H n --layers n] [--mode train|forward|sgemm|info]\n"
        "          [--threads n] [--warmup n] [--repeats n] [--rss-every k] [--size n]\n",
        program, message.c_str(), program);
    std::exit(status);
}

inline Config named_config(const char* program, const std::string& name) {
    for (const Config& c : named_configs())
        if (c.name == name) return c;
    usage(program, "unknown config " + name);
}

inline Options parse_options(int argc, char** argv, const char* program) {
    Options o;
    bool config_named = false;
    std::vector<std::pair<std::int64_t Config::*, std::int64_t>> dimensions;  // applied last
    for (int i = 1; i < argc; ++i) {
        const std::string flag = argv[i];
        if (flag == "--help" || flag == "-h") usage(program, "times a recurrent training step", 0);
        if (i + 1 >= argc) usage(program, "missing value for " + flag);
        const std::string value = argv[++i];
        auto number = [&]() -> std::int64_t {
            try {
                return std::stoll(value);
            } catch (...) {
                usage(program, flag + " expects a number, got '" + value + "'");
            }
        };
        auto dimension = [&](std::int64_t Config::*field) {
            dimensions.emplace_back(field, number());
        };
        if (flag == "--model")
            o.model = value;
        else if (flag == "--mode")
            o.mode = value;
        else if (flag == "--config")
            o.config = named_config(program, value), config_named = true;
        else if (flag == "--T")
            dimension(&Config::T);
        else if (flag == "--B")
            dimension(&Config::B);
        else if (flag == "--I")
            dimension(&Config::I);
        else if (flag == "--H")
            dimension(&Config::H);
        else if (flag == "--layers")
            dimension(&Config::layers);
        else if (flag == "--threads")
            o.threads = number();
        else if (flag == "--warmup")
            o.warmup = number();
        else if (flag == "--repeats")
            o.repeats = number();
        else if (flag == "--rss-every")
            o.rss_every = number();
        else if (flag == "--size")
            o.size = number();
        else
            usage(program, "unknown flag " + flag);
    }
    if (o.model != "rnn" && o.model != "gru" && o.model != "lstm" && o.model != "mlp")
        usage(program, "unknown model " + o.model);
    if (o.model == "mlp" && !config_named) o.config = named_config(program, "mlp");
    for (const auto& [field, value] : dimensions) o.config.*field = value, o.config.name = "custom";
    if (o.mode != "train" && o.mode != "forward" && o.mode != "sgemm" && o.mode != "info")
        usage(program, "unknown mode " + o.mode);
    if (o.repeats < 1 || o.threads < 1)
        usage(program, "--repeats and --threads must be at least 1");
    return o;
}

inline double peak_rss_mb() {
    rusage usage{};
    getrusage(RUSAGE_SELF, &usage);
    return static_cast<double>(usage.ru_maxrss) / 1024.0;
}

// The resident set now, not its peak: the second field of /proc/self/statm, in pages.
inline double current_rss_mb() {
    long size = 0, resident = 0;
    if (std::FILE* statm = std::fopen("/proc/self/statm", "r")) {
        if (std::fscanf(statm, "%ld %ld", &size, &resident) != 2) resident = 0;
        std::fclose(statm);
    }
    return static_cast<double>(resident) * static_cast<double>(sysconf(_SC_PAGESIZE)) / 1048576.0;
}

// One line of the --rss-every trace. live_bytes is what malloc has handed out and not got back
// (a framework's own cache of freed blocks included): it tells a leak (grows) from the allocator
// keeping freed pages (RSS grows, live_bytes flat). extra_json adds the framework's own counters.
inline void print_rss_line(std::int64_t step, const std::string& extra_json = "") {
    const struct mallinfo2 heap = mallinfo2();
    std::printf("{\"step\": %lld, \"rss_mb\": %.2f, \"live_bytes\": %zu%s}\n",
                static_cast<long long>(step), current_rss_mb(), heap.uordblks + heap.hblkhd,
                extra_json.c_str());
    std::fflush(stdout);
}

// Runs step() warmup times, then times it repeats times; after every rss_every-th timed step,
// outside the timing, calls checkpoint(step number). Returns the times in ms, sorted.
template <class Step, class Checkpoint>
std::vector<double> time_steps(const Options& o, Step&& step, Checkpoint&& checkpoint) {
    for (std::int64_t i = 0; i < o.warmup; ++i) step();
    std::vector<double> ms;
    ms.reserve(static_cast<std::size_t>(o.repeats));  // so that it does not show in the RSS trace
    for (std::int64_t i = 1; i <= o.repeats; ++i) {
        const auto start = std::chrono::steady_clock::now();
        step();
        const auto elapsed = std::chrono::steady_clock::now() - start;
        ms.push_back(std::chrono::duration<double, std::milli>(elapsed).count());
        if (o.rss_every > 0 && i % o.rss_every == 0) checkpoint(i);
    }
    std::sort(ms.begin(), ms.end());
    return ms;
}

// The result line both programs print, from the sorted step times of time_steps.
inline void print_result(const char* framework, const Options& o, const std::vector<double>& ms) {
    const Config& c = o.config;
    const double median = ms[ms.size() / 2];
    const double flops = gemm_flops(c, o.model, o.mode == "train");
    std::printf(
        "{\"framework\": \"%s\", \"model\": \"%s\", \"config\": \"%s\", \"T\": %lld, "
        "\"B\": %lld, \"I\": %lld, \"H\": %lld, \"layers\": %lld, \"mode\": \"%s\", "
        "\"threads\": %lld, \"ms_per_step\": %.4f, \"min_ms\": %.4f, \"gflop_per_step\": %.4f, "
        "\"gflops\": %.2f, \"peak_rss_mb\": %.1f, \"rss_mb\": %.1f}\n",
        framework, o.model.c_str(), c.name.c_str(), static_cast<long long>(c.T),
        static_cast<long long>(c.B), static_cast<long long>(c.I), static_cast<long long>(c.H),
        static_cast<long long>(c.layers), o.mode.c_str(), static_cast<long long>(o.threads), median,
        ms.front(), flops / 1e9, flops / (median * 1e6), peak_rss_mb(), current_rss_mb());
}

}  // namespace bench
