#include "lucidpp/distributed/distributed_data_parallel.hpp"

#include "lucidpp/autograd/grad_mode.hpp"
#include "lucidpp/distributed/collectives.hpp"
#include "lucidpp/distributed/process_group.hpp"

namespace lucid::distributed {

namespace {

// Every rank starts from rank 0's parameters and buffers. broadcast() checks that each tensor
// has the same shape and dtype on every rank, so two ranks that built different models get an
// error naming the rank instead of a silent mix.
void broadcast_state(const nn::Module& module) {
    NoGradGuard no_grad;
    for (const auto& [name, tensor] : module.state_dict()) {
        try {
            broadcast(tensor, 0);
        } catch (const Error& error) {
            throw Error(fmt::format("DistributedDataParallel: parameter or buffer '{}': {}", name,
                                    error.what()));
        }
    }
}

ReducerOptions reducer_options(const DistributedDataParallelOptions& options) {
    check(options.bucket_cap_mb > 0 && options.bucket_cap_mb < 1e6,
          "DistributedDataParallel: bucket_cap_mb must be in (0, 1e6), got {}",
          options.bucket_cap_mb);
    return {.bucket_cap_bytes = static_cast<std::int64_t>(options.bucket_cap_mb * 1024 * 1024),
            .overlap = options.overlap,
            .deterministic = options.deterministic};
}

}  // namespace

DistributedDataParallel::DistributedDataParallel(nn::Module& module,
                                                 DistributedDataParallelOptions options)
    : module_(module) {
    world_size();  // errors if the group is not initialized
    broadcast_state(module_);
    reducer_ = std::make_unique<GradientReducer>(module_.parameters(), reducer_options(options));
}

}  // namespace lucid::distributed
