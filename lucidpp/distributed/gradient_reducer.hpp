#pragma once
// GradientReducer: averages a model's gradients across ranks during backward, for
// DistributedDataParallel. The parameters are split into buckets (flat buffers of one dtype,
// up to a size cap, in reverse registration order, roughly the order backward finishes them).
// A post-accumulate-grad hook (autograd/hooks.hpp) copies each gradient into its bucket as soon
// as it is final; when a bucket is full its all-reduce starts, non-blocking, while backward goes
// on. At the end of the pass (autograd::queue_callback) the buckets still waiting, those with a
// parameter that got no gradient, are sent, every reduction is waited for, and the averages are
// written back to .grad, so optimizer.step() sees them.
//
// Buckets start strictly in index order on every rank, as MPI needs collectives in the same
// order everywhere. Each bucket also carries, per parameter, whether this rank produced a
// gradient, and this rank's sample count n_r, so that
//     grad = sum_r n_r g_r / sum_r n_r
// the gradient of the global mean loss when rank r's loss is a mean over its n_r samples, even
// when the ranks' shares differ; a parameter no rank produced a gradient for keeps its .grad.
#include <cstdint>
#include <memory>
#include <vector>

#include "lucidpp/autograd/hooks.hpp"
#include "lucidpp/distributed/backend.hpp"
#include "lucidpp/tensor/tensor.hpp"

namespace lucid::distributed {

struct ReducerOptions {
    std::int64_t bucket_cap_bytes = 25 * 1024 * 1024;  // PyTorch's bucket_cap_mb=25
    bool overlap = true;         // start buckets during backward (false: all at the end)
    bool deterministic = false;  // sum in rank order (all_gather), not MPI's own order
};

class GradientReducer {
public:
    GradientReducer(std::vector<Tensor> parameters, ReducerOptions options);
    ~GradientReducer();
    GradientReducer(const GradientReducer&) = delete;
    GradientReducer& operator=(const GradientReducer&) = delete;

    // This rank's share of the global batch on the coming steps (1 by default: a plain mean).
    void set_sample_count(std::int64_t count);
    std::int64_t bucket_count() const { return static_cast<std::int64_t>(buckets_.size()); }
    // Seconds spent waiting for reductions at the end of the last pass.
    double last_wait_seconds() const { return last_wait_seconds_; }

private:
    friend struct PassEnd;
    struct Slot {
        Tensor parameter;
        std::size_t bucket;
        std::int64_t offset;  // into the bucket's buffer, in elements
        std::int64_t flag;    // where its "this rank produced a gradient" flag sits
        bool ready = false;
        bool produced = false;  // this rank made a gradient for it in this pass
    };
    struct Bucket {
        std::vector<std::size_t> slots;
        Tensor buffer;    // gradients, then one flag per slot, then n_r
        Tensor gathered;  // deterministic mode: every rank's buffer
        std::int64_t gradient_numel = 0;
        std::size_t ready = 0;
        std::unique_ptr<backend::Request> request;
    };

    void make_buckets();
    void on_gradient(std::size_t slot);
    void begin_pass();
    void finish_pass();
    void put(std::size_t slot, const Tensor& gradient, bool produced);
    void launch_ready_buckets();
    void launch(Bucket& bucket);
    void write_back(Bucket& bucket);
    void abandon_pass();

    ReducerOptions options_;
    std::vector<Slot> slots_;
    std::vector<Bucket> buckets_;
    std::vector<autograd::RemovableHandle> hooks_;
    std::int64_t sample_count_ = 1;
    std::size_t next_launch_ = 0;
    bool in_pass_ = false;
    // A pass was abandoned with reductions under way: MPI matches collectives by their order,
    // so this rank can no longer take part in any.
    bool out_of_step_ = false;
    double last_wait_seconds_ = 0;
};

}  // namespace lucid::distributed
