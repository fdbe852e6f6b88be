#pragma once
// DistributedDataParallel: one model trained by every rank on its own part of each batch, as
// torch.nn.parallel.DistributedDataParallel. Construction copies rank 0's parameters and
// buffers to every rank; from then on each backward averages the gradients across ranks
// (GradientReducer: buckets, all-reduce overlapped with backward), so that every rank's
// optimizer takes the same step and the replicas stay identical. The optimizer is the usual one,
// on the usual parameters:
//
//   lucid::distributed::ProcessGroupGuard group;
//   Model model;
//   lucid::distributed::DistributedDataParallel ddp(model);
//   lucid::optim::Adam adam(model.parameters(), {.lr = 1e-3});
//   for (auto& [x, y] : loader) {            // the loader reads this rank's shard
//       ddp.set_sample_count(x.size(0));     // when the ranks' shares can differ
//       adam.zero_grad();
//       mse_loss(model(x), y).backward();    // gradients averaged when this returns
//       adam.step();
//   }
//
// Every rank must run backward through the model on every step, even on an empty share (a loss
// of 0 * the model's output will do): a rank that skips it leaves the others waiting for its
// gradients. A backward that fails on one rank during the reduction ends the usefulness of that
// rank's DistributedDataParallel: the next backward throws, and the job should end.
//
// It lives in lucid::distributed rather than lucid::nn because it needs the process group, and
// nn sits below distributed; it wraps a Module by reference instead of being one, so the model
// keeps its own call signature and state_dict names (no "module." prefix).
#include <cstdint>
#include <memory>

#include "lucidpp/distributed/gradient_reducer.hpp"
#include "lucidpp/nn/module.hpp"

namespace lucid::distributed {

struct DistributedDataParallelOptions {
    double bucket_cap_mb = 25.0;  // bucket size, as PyTorch's bucket_cap_mb
    // Start each bucket's all-reduce during backward, as soon as its gradients are final; false
    // sends everything after backward (slower, for measuring what overlap gains).
    bool overlap = true;
    // Sum each bucket over the ranks in rank order (an all_gather, then a local sum), so results
    // do not depend on MPI's choice of algorithm; costs world_size times the memory and traffic.
    bool deterministic = false;
};

class DistributedDataParallel {
public:
    explicit DistributedDataParallel(nn::Module& module,
                                     DistributedDataParallelOptions options = {});

    nn::Module& module() { return module_; }
    // The number of samples in this rank's part of the global batch. Each rank's gradient is
    // weighted by it, which gives the gradient of the mean loss over the global batch when each
    // rank's loss is a mean over its own samples. Without it every rank counts as one (the mean
    // of the ranks' means, PyTorch's behaviour), which differs when the shares differ.
    void set_sample_count(std::int64_t count) { reducer_->set_sample_count(count); }
    std::int64_t bucket_count() const { return reducer_->bucket_count(); }
    // Seconds the last backward spent waiting for reductions after its own work was done.
    double last_wait_seconds() const { return reducer_->last_wait_seconds(); }

private:
    nn::Module& module_;
    std::unique_ptr<GradientReducer> reducer_;
};

}  // namespace lucid::distributed
