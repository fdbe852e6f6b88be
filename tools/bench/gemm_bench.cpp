// lucidpp-gemm-bench: the recurrent layer's per-step product on one thread, two ways, timed
// interleaved in one run: kernels::gemm_packed on W_hh packed once, and cblas_sgemm as
// kernels::gemm calls it today (OpenBLAS packs W_hh again at every call). For each benchmark
// config and cell: the forward product h W_hh^T (k = H, n = G H) and the backward d_gates W_hh
// (k = G H, n = H), with m = B rows and B / 2 (the batch split over two threads). Prints GFLOP/s
// (medians), and what packing costs per call once spread over the T steps of a layer call.
#include <cblas.h>
#include <fmt/format.h>

#include <CLI/CLI.hpp>
#include <algorithm>
#include <chrono>
#include <cstdint>
#include <string>
#include <vector>

#include "lucidpp/kernels/gemm.hpp"
#include "lucidpp/kernels/packed_gemm.hpp"

namespace {

using lucid::kernels::MatrixRef;
using lucid::kernels::PackedIsa;
using lucid::kernels::PackedMatrix;

struct Config {
    std::string name;
    std::int64_t T, B, H;
};
struct Cell {
    std::string name;
    std::int64_t gates;
};

struct Shape {
    std::int64_t m, k, n;
    bool transposed;  // op(B) = W_hh^T (forward) or W_hh (backward)
};

double seconds_since(std::chrono::steady_clock::time_point start) {
    return std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
}

// Seconds per call of `f`, over `calls` calls.
template <class F>
double time_per_call(F&& f, std::int64_t calls) {
    const auto start = std::chrono::steady_clock::now();
    for (std::int64_t i = 0; i < calls; ++i) f();
    return seconds_since(start) / static_cast<double>(calls);
}

double median(std::vector<double> v) {
    std::sort(v.begin(), v.end());
    return v[v.size() / 2];
}

struct Result {
    double cblas_s, packed_s, pack_s;
};

Result measure(const Shape& s, int rounds, double sample, PackedIsa isa) {
    // W_hh is stored G H x H: forward reads it transposed (ld H = k), backward as is (ld H = n).
    const std::int64_t ldb = s.transposed ? s.k : s.n;
    std::vector<float> a(static_cast<std::size_t>(s.m * s.k)),
        w(static_cast<std::size_t>(s.k * s.n));
    std::vector<float> c(static_cast<std::size_t>(s.m * s.n), 0.0f);
    for (std::size_t i = 0; i < a.size(); ++i) a[i] = 0.25f - static_cast<float>(i % 7) * 0.0625f;
    for (std::size_t i = 0; i < w.size(); ++i) w[i] = 0.5f - static_cast<float>(i % 5) * 0.25f;
    const MatrixRef layout{s.transposed, ldb};
    PackedMatrix packed(s.k, s.n, w.data(), layout);
    auto with_cblas = [&] {
        lucid::kernels::gemm(s.m, s.n, s.k, 1.0f, a.data(), MatrixRef{false, s.k}, w.data(), layout,
                             1.0f, c.data(), s.n);
    };
    auto with_packed = [&] { gemm_packed(s.m, a.data(), s.k, packed, 1.0f, c.data(), s.n, isa); };
    auto pack = [&] { packed.pack(s.k, s.n, w.data(), layout); };
    // Calls per sample from one warm-up call of each.
    const double once = std::max(
        {time_per_call(with_cblas, 3), time_per_call(with_packed, 3), time_per_call(pack, 1)});
    const auto calls = std::max<std::int64_t>(1, static_cast<std::int64_t>(sample / once));
    std::vector<double> cblas, fast, packing;
    for (int r = 0; r < rounds; ++r) {
        cblas.push_back(time_per_call(with_cblas, calls));
        fast.push_back(time_per_call(with_packed, calls));
        packing.push_back(time_per_call(pack, std::max<std::int64_t>(1, calls / 4)));
    }
    return {median(cblas), median(fast), median(packing)};
}

double gflops(const Shape& s, double seconds) {
    return 2.0 * static_cast<double>(s.m * s.k * s.n) / seconds * 1e-9;
}

}  // namespace

int main(int argc, char** argv) {
    int rounds = 7;
    double sample_ms = 2.0;
    std::int64_t square = 1024;
    std::string isa_name = "best";
    CLI::App app{"Times the recurrent per-step product: gemm_packed against cblas_sgemm, 1 thread"};
    app.add_option("--rounds", rounds, "interleaved samples per shape (median)")
        ->check(CLI::Range(1, 1000));
    app.add_option("--sample-ms", sample_ms, "length of one sample")
        ->check(CLI::Range(0.01, 1000.0));
    app.add_option("--square", square, "side of the big square product (0: none)")
        ->check(CLI::Range(0, 8192));
    app.add_option("--isa", isa_name, "gemm_packed's micro-kernel")
        ->check(CLI::IsMember({"best", "avx512", "avx2", "portable"}));
    CLI11_PARSE(app, argc, argv);
    openblas_set_num_threads(1);
    PackedIsa isa = lucid::kernels::packed_gemm_best_isa();
    if (isa_name == "avx512") isa = PackedIsa::avx512;
    if (isa_name == "avx2") isa = PackedIsa::avx2;
    if (isa_name == "portable") isa = PackedIsa::portable;
    if (isa > lucid::kernels::packed_gemm_best_isa()) {
        fmt::print(stderr, "this CPU cannot run the {} kernel\n", isa_name);
        return 1;
    }
    const double sample = sample_ms * 1e-3;

    const std::vector<Config> configs{{"tiny", 20, 16, 32},
                                      {"small", 50, 32, 64},
                                      {"medium", 100, 64, 256},
                                      {"large", 100, 64, 512}};
    const std::vector<Cell> cells{{"rnn", 1}, {"gru", 3}, {"lstm", 4}};
    fmt::print("{:<7} {:<5} {:<4} {:>4} {:>5} {:>5} | {:>8} {:>8} {:>6} | {:>8} {:>9}\n", "config",
               "cell", "dir", "m", "k", "n", "cblas", "packed", "ratio", "pack us", "pack/T %");
    fmt::print("{:<7} {:<5} {:<4} {:>4} {:>5} {:>5} | {:>8} {:>8} {:>6} | {:>8} {:>9}\n", "", "",
               "", "", "", "", "GFLOP/s", "GFLOP/s", "", "", "");
    for (const Config& config : configs) {
        for (const Cell& cell : cells) {
            const std::int64_t G = cell.gates * config.H;
            for (const bool forward : {true, false}) {
                for (const std::int64_t m : {config.B, config.B / 2}) {
                    const Shape s =
                        forward ? Shape{m, config.H, G, true} : Shape{m, G, config.H, false};
                    const Result r = measure(s, rounds, sample, isa);
                    // Packing happens once per layer call: its share of the T steps' products.
                    const double share = r.pack_s / (static_cast<double>(config.T) * r.packed_s);
                    fmt::print(
                        "{:<7} {:<5} {:<4} {:>4} {:>5} {:>5} | {:>8.1f} {:>8.1f} {:>6.2f} | "
                        "{:>8.1f} {:>9.1f}\n",
                        config.name, cell.name, forward ? "fwd" : "bwd", s.m, s.k, s.n,
                        gflops(s, r.cblas_s), gflops(s, r.packed_s), r.cblas_s / r.packed_s,
                        r.pack_s * 1e6, 100.0 * share);
                }
            }
        }
    }
    if (square > 0) {
        const Shape s{square, square, square, false};
        const Result r = measure(s, std::max(3, rounds / 2), sample, isa);
        fmt::print("square  {0:>4} x {0} x {0}: cblas {1:.1f} GFLOP/s, packed {2:.1f} GFLOP/s\n",
                   square, gflops(s, r.cblas_s), gflops(s, r.packed_s));
    }
    return 0;
}
