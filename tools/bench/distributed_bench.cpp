// lucidpp-distributed-bench: times the benchmark's GRU training step (workload.hpp: a GRU stack
// over (T, B, I), a Linear head on the last output, MSE, backward, Adam) run data-parallel. The
// global batch B is fixed; each rank trains its rows of it (training::shard_rows) through
// distributed::DistributedDataParallel, which averages the gradients across ranks during
// backward. Rank 0 prints one JSON line: world size, threads, ms per step (median over repeats),
// samples per second (rows trained by all ranks / step time) and the share of the step spent
// waiting for the gradient all-reduce, and the median forward, backward and optimizer times of rank
// 0. tools/bench/distributed_scaling.py compares rank and thread counts; see docs/distributed.md.
//
//   mpirun -np 2 build/tools/bench/lucidpp-distributed-bench --config medium --threads 1
//   build/tools/bench/lucidpp-distributed-bench --config medium --threads 2   # a world of one
#include <fmt/format.h>
#include <CLI/CLI.hpp>

#include <chrono>
#include <lucidpp/lucid.hpp>
#include <lucidpp/train/batch_shard.hpp>
#include <numeric>
#include <string>
#include <vector>

#include "workload.hpp"

namespace dist = lucid::distributed;
using namespace lucid;

namespace {

struct Flags {
    std::string config = "small";
    int threads = 1;
    bool overlap = true;
    double bucket_mb = 25.0;
    bool deterministic = false;
    // false: the plain step of lucidpp-bench; with several ranks, each steps alone on its rows
    // (no gradient exchange: not training, a measure of the compute alone)
    bool ddp = true;
    int shards = 0;  // train the rows of rank r of this many (0: the world size)
    std::int64_t warmup = 3;
    std::int64_t repeats = 10;
};

// The workload's model as one Module, so that DistributedDataParallel sees every parameter.
struct Net : nn::Module {
    nn::GRU gru;
    nn::Linear head;
    explicit Net(const bench::Config& c) : gru(c.I, c.H, c.layers), head(c.H, 1) {
        register_module("gru", gru);
        register_module("head", head);
    }
    Tensor forward(const Tensor& x) {
        auto r = gru.run(x, Tensor(), Tensor());
        return head(r.output.select(0, -1));
    }
};

// What one rank measured, per timed step: the step and its phases in ms (backward includes the
// wait for the reductions, which ends it), and the share of the step spent waiting.
struct Timings {
    std::vector<double> step_ms, forward_ms, backward_ms, optimizer_ms;
    std::vector<double> wait_share;
    std::int64_t buckets = 0;
    std::int64_t rows = 0;  // trained per step, over all ranks
};

double median(std::vector<double> values) {
    std::sort(values.begin(), values.end());
    return values[values.size() / 2];
}

double mean(const std::vector<double>& values) {
    return std::accumulate(values.begin(), values.end(), 0.0) / static_cast<double>(values.size());
}

// A value from every rank, in rank order: the ranks' wait shares differ when one finishes its
// backward earlier than the other and waits for it.
std::vector<double> per_rank(double value) {
    const Tensor mine = tensor({value}, float64);
    std::vector<double> all;
    for (const Tensor& t : dist::all_gather(mine)) all.push_back(t.to_vector<double>()[0]);
    return all;
}

Timings run(const Flags& flags, const bench::Config& c) {
    manual_seed(0);  // the same model and global batch on every rank
    Net net(c);
    std::unique_ptr<dist::DistributedDataParallel> ddp;
    if (flags.ddp) {
        ddp = std::make_unique<dist::DistributedDataParallel>(
            net, dist::DistributedDataParallelOptions{.bucket_cap_mb = flags.bucket_mb,
                                                      .overlap = flags.overlap,
                                                      .deterministic = flags.deterministic});
    }
    optim::Adam adam(net.parameters(), {.lr = 1e-3});
    const Tensor x_global = randn({c.T, c.B, c.I});
    const Tensor target_global = randn({c.B, 1});
    const int shards = flags.shards > 0 ? flags.shards : dist::world_size();
    const auto [begin, count] = training::shard_rows(c.B, dist::rank(), shards);
    const Tensor x = x_global.narrow(1, begin, count).contiguous();
    const Tensor target = target_global.narrow(0, begin, count).contiguous();
    if (ddp) ddp->set_sample_count(count);

    using Clock = std::chrono::steady_clock;
    auto ms_between = [](Clock::time_point a, Clock::time_point b) {
        return std::chrono::duration<double, std::milli>(b - a).count();
    };
    Timings timings;
    if (ddp) timings.buckets = ddp->bucket_count();
    const std::vector<double> counts = per_rank(static_cast<double>(count));
    timings.rows = static_cast<std::int64_t>(std::accumulate(counts.begin(), counts.end(), 0.0));
    for (std::int64_t i = 0; i < flags.warmup + flags.repeats; ++i) {
        if (i == flags.warmup) dist::barrier();  // every rank starts timing together
        const auto start = Clock::now();
        adam.zero_grad();
        const Tensor loss = nn::functional::mse_loss(net.forward(x), target);
        const auto forward_end = Clock::now();
        loss.backward();
        const auto backward_end = Clock::now();
        adam.step();
        const auto end = Clock::now();
        if (i < flags.warmup) continue;
        const double step_ms = ms_between(start, end);
        timings.step_ms.push_back(step_ms);
        timings.forward_ms.push_back(ms_between(start, forward_end));
        timings.backward_ms.push_back(ms_between(forward_end, backward_end));
        timings.optimizer_ms.push_back(ms_between(backward_end, end));
        timings.wait_share.push_back(ddp ? ddp->last_wait_seconds() * 1e3 / step_ms : 0.0);
    }
    return timings;
}

void print(const Flags& flags, const bench::Config& c, const Timings& timings) {
    const double ms = median(timings.step_ms);
    const std::vector<double> shares = per_rank(mean(timings.wait_share));
    const std::vector<double> rank_ms = per_rank(ms);
    if (dist::rank() != 0) return;
    fmt::print(
        "{{\"config\": \"{}\", \"T\": {}, \"B\": {}, \"I\": {}, \"H\": {}, \"layers\": {}, "
        "\"world_size\": {}, \"threads\": {}, \"ddp\": {}, \"rows\": {}, \"overlap\": {}, "
        "\"bucket_mb\": {}, "
        "\"deterministic\": {}, \"buckets\": {}, \"ms_per_step\": {:.3f}, \"min_ms\": {:.3f}, "
        "\"samples_per_s\": {:.1f}, \"wait_share\": {:.4f}, \"wait_share_per_rank\": [{:.4f}], "
        "\"ms_per_rank\": [{:.3f}], \"forward_ms\": {:.3f}, \"backward_ms\": {:.3f}, "
        "\"optimizer_ms\": {:.3f}}}\n",
        c.name, c.T, c.B, c.I, c.H, c.layers, dist::world_size(), flags.threads, flags.ddp,
        timings.rows, flags.overlap, flags.bucket_mb, flags.deterministic, timings.buckets, ms,
        *std::min_element(timings.step_ms.begin(), timings.step_ms.end()),
        static_cast<double>(timings.rows) / (ms / 1e3), shares[0], fmt::join(shares, ", "),
        fmt::join(rank_ms, ", "), median(timings.forward_ms), median(timings.backward_ms),
        median(timings.optimizer_ms));
}

}  // namespace

int main(int argc, char** argv) {
    CLI::App app{"Times the GRU training step of the benchmark, data-parallel over MPI ranks"};
    Flags flags;
    app.add_option("--config", flags.config, "workload config (global batch B fixed)")
        ->check(CLI::IsMember({"tiny", "small", "medium", "large"}));
    app.add_option("--threads", flags.threads, "OpenBLAS threads per rank")
        ->check(CLI::Range(1, 256));
    app.add_option("--overlap", flags.overlap, "1: all-reduce buckets during backward");
    app.add_option("--bucket-mb", flags.bucket_mb, "gradient bucket size in MiB");
    app.add_option("--deterministic", flags.deterministic, "1: sum in rank order");
    app.add_option("--ddp", flags.ddp,
                   "0: without DistributedDataParallel (several ranks: no gradient exchange)");
    app.add_option("--shards", flags.shards, "train the rows of rank r of this many (0: world)")
        ->check(CLI::Range(0, 1 << 20));
    app.add_option("--warmup", flags.warmup, "untimed steps")->check(CLI::Range(0, 1000000));
    app.add_option("--repeats", flags.repeats, "timed steps")->check(CLI::Range(1, 1000000));
    CLI11_PARSE(app, argc, argv);

    dist::ProcessGroupGuard group;
    set_num_threads(flags.threads);
    const bench::Config config = bench::named_config("lucidpp-distributed-bench", flags.config);
    print(flags, config, run(flags, config));
    return 0;
}
