// DistributedDataParallel against one process: every rank trains its slice of each global batch
// with DDP, and also trains a plain copy of the model on the whole batch alone; the two must
// agree (float64, 1e-10 relative), whatever the rank count and however unevenly 32 samples split.
#include <doctest/doctest.h>

#include <algorithm>
#include <cmath>
#include <memory>

#include "lucidpp/lucid.hpp"

namespace dist = lucid::distributed;
using namespace lucid;

namespace {

constexpr std::int64_t global_batch = 32;
constexpr std::int64_t steps = 20;

// A GRU over a short sequence, a head on its last output, and an extra head used only on every
// third step, so that on the other steps one parameter gets no gradient at all.
struct Model : nn::Module {
    nn::GRU gru{{.input_size = 3, .hidden_size = 8, .batch_first = true}};
    nn::Linear head{8, 2};
    nn::Linear extra{8, 2};
    Model() {
        register_module("gru", gru);
        register_module("head", head);
        register_module("extra", extra);
        to(float64);
    }
    Tensor forward(const Tensor& x, std::int64_t step) {
        auto [output, h_n] = gru(x);
        Tensor last = output.select(1, -1);
        Tensor y = head(last);
        return step % 3 == 0 ? y + extra(last) : y;
    }
};

struct Batch {
    Tensor x, y;
};

// The global batch of a step: the same on every rank, from a seed.
Batch global_batch_at(std::int64_t step) {
    Generator generator(1000 + static_cast<std::uint64_t>(step));
    return {randn({global_batch, 5, 3}, float64, &generator),
            randn({global_batch, 2}, float64, &generator)};
}

// Rank r's rows: an even split, the first `global_batch % world` ranks one row longer.
std::pair<std::int64_t, std::int64_t> shard(std::int64_t rank, std::int64_t world) {
    const std::int64_t base = global_batch / world, extra = global_batch % world;
    const std::int64_t begin = rank * base + std::min(rank, extra);
    return {begin, base + (rank < extra ? 1 : 0)};
}

void train_step(Model& model, optim::Adam& adam, const Tensor& x, const Tensor& y,
                std::int64_t step) {
    adam.zero_grad();
    nn::functional::mse_loss(model.forward(x, step), y).backward();
    optim::clip_grad_norm_(model.parameters(), 0.5);
    adam.step();
}

double max_relative_difference(const nn::Module& a, const nn::Module& b) {
    double worst = 0;
    const auto left = a.state_dict(), right = b.state_dict();
    for (std::size_t i = 0; i < left.size(); ++i) {
        const auto p = left[i].second.to_vector<double>(), q = right[i].second.to_vector<double>();
        for (std::size_t k = 0; k < p.size(); ++k) {
            worst = std::max(worst, std::abs(p[k] - q[k]) / std::max(1e-3, std::abs(q[k])));
        }
    }
    return worst;
}

// Trains `steps` steps with DDP and alone; returns the DDP model and the largest deviation.
std::pair<std::unique_ptr<Model>, double> train_side_by_side(
    dist::DistributedDataParallelOptions options, bool weighted = true) {
    manual_seed(7 + static_cast<std::uint64_t>(dist::rank()));  // ranks start different
    auto model = std::make_unique<Model>();
    dist::DistributedDataParallel ddp(*model, options);  // ... until rank 0's state is copied
    Model alone;
    alone.load_state_dict(model->state_dict());

    optim::Adam adam(model->parameters(), {.lr = 0.01});
    optim::Adam adam_alone(alone.parameters(), {.lr = 0.01});
    const auto [begin, count] = shard(dist::rank(), dist::world_size());
    for (std::int64_t step = 0; step < steps; ++step) {
        const Batch batch = global_batch_at(step);
        if (weighted) ddp.set_sample_count(count);
        train_step(*model, adam, batch.x.narrow(0, begin, count), batch.y.narrow(0, begin, count),
                   step);
        train_step(alone, adam_alone, batch.x, batch.y, step);
    }
    const double deviation = max_relative_difference(*model, alone);
    return {std::move(model), deviation};
}

std::unique_ptr<Model> train_both(dist::DistributedDataParallelOptions options) {
    auto [model, deviation] = train_side_by_side(options);
    MESSAGE(fmt::format("{} ranks: largest relative deviation from one process {:.3g}",
                        dist::world_size(), deviation));
    CHECK(deviation < 1e-10);
    return std::move(model);
}

}  // namespace

TEST_CASE("data-parallel training equals one process on the global batch") {
    SUBCASE("overlapped, small buckets") {
        train_both({.bucket_cap_mb = 0.001});
    }
    SUBCASE("after backward, one bucket") {
        train_both({.overlap = false});
    }
    SUBCASE("rank-order reduction") {
        train_both({.bucket_cap_mb = 0.001, .deterministic = true});
    }
}

TEST_CASE("uneven shards need the sample counts: a mean of the ranks' means is another answer") {
    if (global_batch % dist::world_size() == 0) return;  // even shards: the two agree
    const double deviation = train_side_by_side({}, false).second;
    MESSAGE(fmt::format("unweighted: deviation {:.3g}", deviation));
    CHECK(deviation > 1e-6);
}

TEST_CASE("the extra head, unused on two steps of three, is updated only on the third") {
    manual_seed(3);
    Model model;
    dist::DistributedDataParallel ddp(model, {.bucket_cap_mb = 0.001});
    const Batch batch = global_batch_at(0);
    for (std::int64_t step : {1, 0}) {
        model.zero_grad();
        nn::functional::mse_loss(model.forward(batch.x, step), batch.y).backward();
        CHECK(model.head.weight.grad().defined());
        CHECK(model.extra.weight.grad().defined() == (step == 0));
    }
}

TEST_CASE("the same rank-order run twice gives bit-identical parameters") {
    const auto first = train_both({.deterministic = true});
    const auto second = train_both({.deterministic = true});
    const auto a = first->state_dict(), b = second->state_dict();
    for (std::size_t i = 0; i < a.size(); ++i) {
        CAPTURE(a[i].first);
        CHECK(a[i].second.to_vector<double>() == b[i].second.to_vector<double>());
    }
}

TEST_CASE("every rank's replica stays identical") {
    const auto model = train_both({});
    for (const auto& entry : model->state_dict()) {
        CAPTURE(entry.first);
        Tensor low = entry.second.clone(), high = entry.second.clone();
        dist::all_reduce(low, dist::ReduceOp::min);
        dist::all_reduce(high, dist::ReduceOp::max);
        CHECK(low.to_vector<double>() == high.to_vector<double>());
    }
}

TEST_CASE("models that differ between ranks are an error naming the tensor") {
    const bool culprit = dist::rank() == dist::world_size() - 1 && dist::world_size() > 1;
    nn::Linear linear(4, culprit ? 3 : 2);
    auto wrap = [&] { dist::DistributedDataParallel ddp(linear); };
    if (dist::world_size() == 1) {
        CHECK_NOTHROW(wrap());
        return;
    }
    CHECK_THROWS_WITH_AS(wrap(),
                         doctest::Contains("DistributedDataParallel: parameter or buffer 'weight': "
                                           "broadcast: the tensors differ between ranks"),
                         Error);
}

TEST_CASE("a rank with no samples adds nothing, not its NaN mean over none") {
    const bool empty = dist::rank() == dist::world_size() - 1 && dist::world_size() > 1;
    manual_seed(5);
    Model model;
    dist::DistributedDataParallel ddp(model);
    const Batch batch = global_batch_at(0);
    // An empty share's mean loss is 0/0, and so are its gradients (a class task's shard with
    // every target -100): made here by scaling a real loss by NaN.
    ddp.set_sample_count(empty ? 0 : 8);
    Tensor loss = nn::functional::mse_loss(model.forward(batch.x.narrow(0, 0, 8), 1),
                                           batch.y.narrow(0, 0, 8));
    (empty ? loss * std::nan("") : loss).backward();
    // The others' rows are the same 8, so the average is their gradient, finite on every rank.
    Model alone;
    alone.load_state_dict(model.state_dict());
    nn::functional::mse_loss(alone.forward(batch.x.narrow(0, 0, 8), 1), batch.y.narrow(0, 0, 8))
        .backward();
    const auto got = model.head.weight.grad().to_vector<double>();
    const auto want = alone.head.weight.grad().to_vector<double>();
    for (std::size_t i = 0; i < got.size(); ++i) {
        CHECK(std::isfinite(got[i]));
        CHECK(got[i] == doctest::Approx(want[i]).epsilon(1e-12));
    }
}
