// Data-parallel training of your own model: a GRU learns the running-product task (y = sum over
// the sequence of x0 * x1) on several processes, each reading its shard of the data, with the
// gradients averaged during backward. Launch it with mpirun:
//   mpirun -np 2 ./build/examples/distributed_gru              two ranks on this machine
//   mpirun --host a,b -np 2 ./build/examples/distributed_gru   one rank on each of two machines
//   ./build/examples/distributed_gru                           alone: a world of one
//   distributed_gru --short                                    a quick check: fails unless the
//                                                              validation loss falls
// Next to a one-process loop it has three lines more, marked "data parallel": the process group,
// and a sampler that gives each rank its shard. training::fit wraps the model in
// DistributedDataParallel itself; only rank 0 prints and writes (docs/distributed.md).
#include <fmt/format.h>

#include <cstring>

#include <lucidpp/lucid.hpp>

using namespace lucid;
namespace dist = lucid::distributed;

struct SequenceRegressor : nn::Module {
    nn::GRU gru{{.input_size = 2, .hidden_size = 32, .batch_first = true}};
    nn::Linear head{32, 1};
    SequenceRegressor() {
        register_module("gru", gru);
        register_module("head", head);
    }
    Tensor forward(const Tensor& x) {
        auto [output, h_n] = gru(x);
        return head(output.select(1, -1));
    }
};

// The same n sequences on every rank: made from a seed, not read from a rank's own file.
data::TensorDataset make_data(std::int64_t n, std::uint64_t seed) {
    Generator generator(seed);
    Tensor x = rand({n, 10, 2}, float32, &generator);
    Tensor y = (x.select(2, 0) * x.select(2, 1)).sum(1, true);
    return data::TensorDataset({x, y});
}

int main(int argc, char** argv) {
    const bool quick = argc > 1 && std::strcmp(argv[1], "--short") == 0;
    dist::ProcessGroupGuard group;  // data parallel: mpirun's ranks, or a world of one
    const data::TensorDataset train_set = make_data(2048, 0), validation_set = make_data(256, 1);
    auto shard = std::make_shared<data::DistributedSampler>(  // data parallel
        train_set.size(), data::DistributedSamplerOptions{
                              .num_replicas = dist::world_size(), .rank = dist::rank(), .seed = 2});
    data::DataLoader loader(train_set, {.batch_size = 32, .sampler = shard});  // per rank
    data::DataLoader validation(validation_set, {.batch_size = 256});

    manual_seed(0);  // rank 0's weights are copied to every rank anyway
    SequenceRegressor model;
    optim::Adam adam(model.parameters(), {.lr = 1e-2});
    auto loss_of = [&](const std::vector<Tensor>& batch) {
        return nn::functional::mse_loss(model.forward(batch[0]), batch[1]);
    };
    const training::FitHistory history = training::fit(
        model, adam, loader, loss_of,
        {.epochs = quick ? 2 : 10, .progress = !quick, .clip_grad_norm = 1.0, .loss_unit = "MSE"},
        &validation);

    const double first = history.records.front().validation_loss;
    const double last = history.records.back().validation_loss;
    if (dist::rank() == 0) {
        fmt::print("{} rank{}: validation MSE {:.4f} -> {:.4f} in {} steps of {} sequences\n",
                   dist::world_size(), dist::world_size() == 1 ? "" : "s", first, last,
                   history.steps, 32 * dist::world_size());
    }
    return last < 0.5 * first ? 0 : 1;
}
