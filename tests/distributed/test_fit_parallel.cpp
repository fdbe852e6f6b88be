// training::fit under a process group of several ranks: with a DistributedSampler it trains
// data-parallel and follows the one-process run over the same global batches; with any other
// sampler it refuses to start.
#include <doctest/doctest.h>

#include <cmath>

#include "lucidpp/lucid.hpp"
#include "lucidpp/train/fit.hpp"

namespace dist = lucid::distributed;
using namespace lucid;

namespace {

constexpr std::int64_t global_batch = 24, examples = 96;

struct Net : nn::Module {
    nn::Linear hidden{3, 8};
    nn::Linear out{8, 1};
    Net() {
        register_module("hidden", hidden);
        register_module("out", out);
        to(float64);
    }
    Tensor forward(const Tensor& x) { return out(tanh(hidden(x))); }
};

data::TensorDataset make_data() {
    Generator generator(4);
    Tensor x = randn({examples, 3}, float64, &generator);
    return data::TensorDataset({x, tanh(x.sum(1, true) * 2.0)});
}

std::vector<double> flat(const nn::Module& model) {
    std::vector<double> all;
    for (const auto& [name, t] : model.state_dict()) {
        const auto values = t.to_vector<double>();
        all.insert(all.end(), values.begin(), values.end());
    }
    return all;
}

}  // namespace

TEST_CASE("fit with a DistributedSampler follows the one-process run on the global batches") {
    const data::TensorDataset dataset = make_data();
    const std::int64_t world = dist::world_size();
    // Without shuffling, rank r reads examples r, r + world, ...: batch k of all ranks together
    // is examples [24k, 24k + 24), the one-process run's batch k.
    auto shard = std::make_shared<data::DistributedSampler>(
        dataset.size(), data::DistributedSamplerOptions{
                            .num_replicas = world, .rank = dist::rank(), .shuffle = false});
    data::DataLoader sharded(dataset, {.batch_size = global_batch / world, .sampler = shard});
    manual_seed(1);
    Net model;
    optim::Adam adam(model.parameters(), {.lr = 0.05});
    training::fit(model, adam, sharded,
                  [&](const std::vector<Tensor>& b) {
                      return nn::functional::mse_loss(model.forward(b[0]), b[1]);
                  },
                  {.epochs = 3, .progress = false, .clip_grad_norm = 0.5});

    // The one-process run, made on every rank without the process group's help.
    manual_seed(1);
    Net alone;
    optim::Adam adam_alone(alone.parameters(), {.lr = 0.05});
    data::DataLoader whole(dataset, {.batch_size = global_batch});
    for (int epoch = 0; epoch < 3; ++epoch) {
        for (const auto& batch : whole) {
            adam_alone.zero_grad();
            nn::functional::mse_loss(alone.forward(batch[0]), batch[1]).backward();
            optim::clip_grad_norm_(alone.parameters(), 0.5);
            adam_alone.step();
        }
    }
    const auto a = flat(model), b = flat(alone);
    double worst = 0;
    for (std::size_t i = 0; i < a.size(); ++i) {
        worst = std::max(worst, std::abs(a[i] - b[i]) / std::max(1e-3, std::abs(b[i])));
    }
    MESSAGE(fmt::format("fit on {} ranks: largest relative deviation {:.3g}", world, worst));
    CHECK(worst < 1e-10);
}

TEST_CASE("fit on several ranks refuses a loader that is not sharded") {
    if (dist::world_size() == 1) return;
    const data::TensorDataset dataset = make_data();
    data::DataLoader loader(dataset, {.batch_size = 8});
    Net model;
    optim::SGD sgd(model.parameters(), {.lr = 0.1});
    CHECK_THROWS_WITH_AS(training::fit(model, sgd, loader,
                                       [&](const std::vector<Tensor>& b) {
                                           return nn::functional::mse_loss(model.forward(b[0]),
                                                                           b[1]);
                                       },
                                       {.progress = false}),
                         doctest::Contains("needs a loader that reads one shard per rank"), Error);
}
