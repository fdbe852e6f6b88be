#include "lucidpp/distributed/gradient_reducer.hpp"

#include <algorithm>
#include <chrono>
#include <utility>

#include "lucidpp/autograd/engine.hpp"
#include "lucidpp/tensor/creation.hpp"

namespace lucid::distributed {

namespace {

std::int64_t byte_size(const Tensor& tensor) {
    return tensor.numel() * static_cast<std::int64_t>(element_size(tensor.dtype()));
}

// Reductions left running by a pass that threw. MPI forbids freeing or cancelling a started
// collective, and the other ranks may never join it, so waiting could hang: the requests and
// their buffers are kept here, unfinished, for the rest of the process (a failure path only).
std::vector<std::pair<std::unique_ptr<backend::Request>, Tensor>>& abandoned() {
    static auto* kept = new std::vector<std::pair<std::unique_ptr<backend::Request>, Tensor>>();
    return *kept;
}

}  // namespace

GradientReducer::GradientReducer(std::vector<Tensor> parameters, ReducerOptions options)
    : options_(options) {
    check(options_.bucket_cap_bytes > 0,
          "DistributedDataParallel: bucket_cap_mb must be positive, got {} bytes",
          options_.bucket_cap_bytes);
    for (Tensor& parameter : parameters) {
        if (parameter.requires_grad())
            slots_.push_back({.parameter = parameter, .bucket = 0, .offset = 0, .flag = 0});
    }
    make_buckets();
    for (std::size_t i = 0; i < slots_.size(); ++i) {
        hooks_.push_back(autograd::register_post_accumulate_grad_hook(
            slots_[i].parameter, [this, i](const Tensor&) { on_gradient(i); }));
    }
}

GradientReducer::~GradientReducer() {
    if (in_pass_) abandon_pass();
}

void GradientReducer::set_sample_count(std::int64_t count) {
    check(count >= 0, "DistributedDataParallel.set_sample_count: expected a count >= 0, got {}",
          count);
    sample_count_ = count;
}

// Reverse registration order, one dtype per bucket, each up to the cap (a parameter larger than
// the cap gets a bucket of its own).
void GradientReducer::make_buckets() {
    std::vector<std::ptrdiff_t> open_bucket(3, -1);  // per dtype
    std::vector<std::int64_t> bytes;
    for (std::size_t i = slots_.size(); i-- > 0;) {
        const Tensor& parameter = slots_[i].parameter;
        auto& open = open_bucket[static_cast<std::size_t>(parameter.dtype())];
        if (open < 0 || bytes[static_cast<std::size_t>(open)] + byte_size(parameter) >
                            options_.bucket_cap_bytes) {
            open = static_cast<std::ptrdiff_t>(buckets_.size());
            buckets_.emplace_back();
            bytes.push_back(0);
        }
        Bucket& bucket = buckets_[static_cast<std::size_t>(open)];
        slots_[i].bucket = static_cast<std::size_t>(open);
        slots_[i].offset = bucket.gradient_numel;
        bucket.slots.push_back(i);
        bucket.gradient_numel += parameter.numel();
        bytes[static_cast<std::size_t>(open)] += byte_size(parameter);
    }
    for (Bucket& bucket : buckets_) {
        const Dtype dtype = slots_[bucket.slots.front()].parameter.dtype();
        const auto flags = static_cast<std::int64_t>(bucket.slots.size());
        for (std::int64_t k = 0; k < flags; ++k) {
            slots_[bucket.slots[static_cast<std::size_t>(k)]].flag = bucket.gradient_numel + k;
        }
        bucket.buffer = zeros({bucket.gradient_numel + flags + 1}, dtype);
        if (options_.deterministic) {
            bucket.gathered = zeros({backend::world_size(), bucket.buffer.numel()}, dtype);
        }
    }
}

void GradientReducer::on_gradient(std::size_t slot) {
    if (!in_pass_) begin_pass();
    if (slots_[slot].ready) return;  // a second gradient in one pass comes with the callback
    put(slot, slots_[slot].parameter.grad(), true);
    if (options_.overlap) launch_ready_buckets();
}

// The end-of-pass callback. If the pass throws, the engine drops it unrun, and its destructor
// then resets the reducer for the next pass.
struct PassEnd {
    explicit PassEnd(GradientReducer* reducer) : reducer(reducer) {}
    PassEnd(const PassEnd&) = delete;
    PassEnd& operator=(const PassEnd&) = delete;
    ~PassEnd() {
        if (!ran) reducer->abandon_pass();
    }
    GradientReducer* reducer;
    bool ran = false;
};

void GradientReducer::begin_pass() {
    check(!out_of_step_,
          "DistributedDataParallel: a backward failed while its gradients were being reduced; "
          "this rank's reductions are no longer in step with the other ranks', so training "
          "cannot go on (end the job)");
    in_pass_ = true;
    next_launch_ = 0;
    for (Slot& slot : slots_) slot.ready = false;
    for (Bucket& bucket : buckets_) bucket.ready = 0;
    auto end = std::make_shared<PassEnd>(this);
    autograd::queue_callback([end] {
        end->reducer->finish_pass();
        end->ran = true;  // a finish that throws is abandoned too
    });
}

// Copies n_r * gradient into the slot's place in its bucket and sets its flag. A parameter this
// rank produced no gradient for still sends its current .grad (identical on every rank after
// the last step), or zeros, so that the sum stays the sum over the ranks that did.
void GradientReducer::put(std::size_t index, const Tensor& gradient, bool produced) {
    Slot& slot = slots_[index];
    Bucket& bucket = buckets_[slot.bucket];
    const std::int64_t numel = slot.parameter.numel();
    dispatch_floating(slot.parameter.dtype(), "DistributedDataParallel", [&]<class T>() {
        T* out = bucket.buffer.data_ptr<T>();
        const auto weight = static_cast<T>(sample_count_);
        // A rank with no samples sends nothing, not 0 x its (NaN) mean over no samples.
        if (gradient.defined() && sample_count_ > 0) {
            const Tensor source = gradient.contiguous();
            const T* in = source.data_ptr<T>();
            for (std::int64_t i = 0; i < numel; ++i) out[slot.offset + i] = weight * in[i];
        } else {
            std::fill_n(out + slot.offset, numel, T(0));
        }
        out[slot.flag] = produced && sample_count_ > 0 ? T(1) : T(0);
        out[bucket.buffer.numel() - 1] = weight;
    });
    slot.produced = produced;
    slot.ready = true;
    ++bucket.ready;
}

void GradientReducer::launch_ready_buckets() {
    while (next_launch_ < buckets_.size() &&
           buckets_[next_launch_].ready == buckets_[next_launch_].slots.size()) {
        launch(buckets_[next_launch_++]);
    }
}

void GradientReducer::launch(Bucket& bucket) {
    void* data = dispatch(bucket.buffer.dtype(),
                          [&]<class T>() -> void* { return bucket.buffer.data_ptr<T>(); });
    if (options_.deterministic) {
        void* gathered = dispatch(bucket.buffer.dtype(), [&]<class T>() -> void* {
            return bucket.gathered.data_ptr<T>();
        });
        bucket.request = backend::all_gather_async(data, gathered, byte_size(bucket.buffer));
    } else {
        bucket.request = backend::all_reduce_async(data, bucket.buffer.numel(),
                                                   bucket.buffer.dtype(), backend::Op::sum);
    }
}

void GradientReducer::finish_pass() {
    for (std::size_t i = 0; i < slots_.size(); ++i) {
        if (!slots_[i].ready) put(i, slots_[i].parameter.grad(), false);
    }
    launch_ready_buckets();
    const auto start = std::chrono::steady_clock::now();
    for (Bucket& bucket : buckets_) {
        bucket.request->wait();
        bucket.request.reset();
    }
    last_wait_seconds_ =
        std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
    for (Bucket& bucket : buckets_) write_back(bucket);
    in_pass_ = false;
}

// grad = sum_r n_r g_r / sum_r n_r, for every parameter some rank produced a gradient for.
// In deterministic mode the sum over ranks is taken here, in rank order.
void GradientReducer::write_back(Bucket& bucket) {
    dispatch_floating(bucket.buffer.dtype(), "DistributedDataParallel", [&]<class T>() {
        T* sum = bucket.buffer.data_ptr<T>();
        const std::int64_t length = bucket.buffer.numel();
        if (options_.deterministic) {
            const T* gathered = bucket.gathered.data_ptr<T>();
            const std::int64_t world = bucket.gathered.size(0);
            for (std::int64_t i = 0; i < length; ++i) {
                T total = gathered[i];
                for (std::int64_t r = 1; r < world; ++r) total += gathered[r * length + i];
                sum[i] = total;
            }
        }
        const T samples = sum[length - 1];
        for (std::size_t index : bucket.slots) {
            const Slot& slot = slots_[index];
            if (sum[slot.flag] == T(0)) continue;  // no rank produced a gradient
            // Into the .grad this backward made, when it can hold the average: no new tensor.
            Tensor grad = slot.parameter.grad();
            const bool in_place = slot.produced && grad.defined() && grad.is_contiguous() &&
                                  grad.dtype() == slot.parameter.dtype();
            Tensor average =
                in_place ? grad : zeros(slot.parameter.shape(), slot.parameter.dtype());
            T* out = average.data_ptr<T>();
            for (std::int64_t i = 0; i < slot.parameter.numel(); ++i) {
                out[i] = sum[slot.offset + i] / samples;
            }
            if (in_place) {
                grad.impl().storage->bump_version();
            } else {
                slot.parameter.set_grad(average);
            }
        }
    });
}

void GradientReducer::abandon_pass() {
    for (Bucket& bucket : buckets_) {
        if (!bucket.request) continue;
        out_of_step_ = backend::world_size() > 1;
        abandoned().emplace_back(std::move(bucket.request), bucket.buffer);
        // The abandoned buffer is still being written: this bucket gets a fresh one.
        bucket.buffer = zeros(bucket.buffer.shape(), bucket.buffer.dtype());
        if (bucket.gathered.defined()) {
            abandoned().emplace_back(nullptr, bucket.gathered);
            bucket.gathered = zeros(bucket.gathered.shape(), bucket.gathered.dtype());
        }
    }
    in_pass_ = false;
}

}  // namespace lucid::distributed
