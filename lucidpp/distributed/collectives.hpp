#pragma once
// Collectives: every rank calls the same one with a tensor of the same shape and dtype, and
// each gets the combined result in place, as in torch.distributed.
//
//   all_reduce(t, ReduceOp::sum)   t = t_0 + t_1 + ... + t_{N-1} on every rank
//   broadcast(t, 0)                t = t_0 on every rank
//   all_gather(list, t)            list[r] = t_r on every rank
//
// Tensors must be contiguous; float32, float64 and int64 are supported (int64 not with avg).
// Before moving any data, the ranks exchange a short description of their arguments (dtype,
// shape, contiguity, src, op; one small all_gather), so a mistake on any rank, including a
// shape that differs between ranks, is a lucid::Error on every rank, naming the rank, instead
// of a hang or a silent wrong sum. That exchange costs one extra small message round per call;
// DistributedDataParallel, which builds identical buffers on every rank, skips it.
#include <vector>

#include "lucidpp/tensor/tensor.hpp"

namespace lucid::distributed {

// avg is sum divided by the world size (torch's ReduceOp.AVG).
enum class ReduceOp { sum, avg, max, min };

void all_reduce(const Tensor& tensor, ReduceOp op = ReduceOp::sum);
void broadcast(const Tensor& tensor, int src);
// tensor_list holds world_size() tensors of tensor's shape and dtype; rank r's tensor is copied
// into tensor_list[r].
void all_gather(std::vector<Tensor>& tensor_list, const Tensor& tensor);
// The same, with the list made for you.
std::vector<Tensor> all_gather(const Tensor& tensor);
void barrier();

}  // namespace lucid::distributed

template <>
struct fmt::formatter<lucid::distributed::ReduceOp> : fmt::formatter<std::string_view> {
    auto format(lucid::distributed::ReduceOp op, format_context& ctx) const {
        constexpr std::string_view names[] = {"sum", "avg", "max", "min"};
        return fmt::formatter<std::string_view>::format(names[static_cast<int>(op)], ctx);
    }
};
