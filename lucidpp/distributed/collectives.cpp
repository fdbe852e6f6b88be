#include "lucidpp/distributed/collectives.hpp"

#include <cstring>

#include "lucidpp/distributed/argument_check.hpp"
#include "lucidpp/distributed/backend.hpp"
#include "lucidpp/distributed/process_group.hpp"
#include "lucidpp/tensor/creation.hpp"

namespace lucid::distributed {

namespace {

backend::Op backend_op(ReduceOp op) {
    switch (op) {
        case ReduceOp::sum:
        case ReduceOp::avg:
            return backend::Op::sum;
        case ReduceOp::max:
            return backend::Op::max;
        case ReduceOp::min:
            return backend::Op::min;
    }
    throw Error("all_reduce: unknown op");
}

void* bytes_of(const Tensor& tensor) {
    return dispatch(tensor.dtype(), [&]<class T>() -> void* { return tensor.data_ptr<T>(); });
}

std::int64_t byte_size(const Tensor& tensor) {
    return tensor.numel() * static_cast<std::int64_t>(element_size(tensor.dtype()));
}

void divide(const Tensor& tensor, int world) {
    dispatch_floating(tensor.dtype(), "all_reduce", [&]<class T>() {
        T* data = tensor.data_ptr<T>();
        for (std::int64_t i = 0; i < tensor.numel(); ++i) data[i] /= static_cast<T>(world);
    });
}

}  // namespace

void all_reduce(const Tensor& tensor, ReduceOp op) {
    world_size();  // errors if the group is not initialized
    detail::check_agreement({.name = "all_reduce", .tensor = &tensor, .op = op});
    if (tensor.numel() == 0) return;
    backend::all_reduce(bytes_of(tensor), tensor.numel(), tensor.dtype(), backend_op(op));
    if (op == ReduceOp::avg) divide(tensor, backend::world_size());
    tensor.impl().storage->bump_version();
}

void broadcast(const Tensor& tensor, int src) {
    world_size();
    detail::check_agreement({.name = "broadcast", .tensor = &tensor, .src = src});
    if (tensor.numel() == 0) return;
    backend::broadcast(bytes_of(tensor), byte_size(tensor), src);
    tensor.impl().storage->bump_version();
}

void all_gather(std::vector<Tensor>& tensor_list, const Tensor& tensor) {
    world_size();
    detail::check_agreement({.name = "all_gather", .tensor = &tensor, .outputs = &tensor_list});
    const std::int64_t bytes = byte_size(tensor);
    if (bytes == 0) return;
    std::vector<char> gathered(static_cast<std::size_t>(bytes) * tensor_list.size());
    backend::all_gather(bytes_of(tensor), gathered.data(), bytes);
    for (std::size_t r = 0; r < tensor_list.size(); ++r) {
        std::memcpy(bytes_of(tensor_list[r]), gathered.data() + r * static_cast<std::size_t>(bytes),
                    static_cast<std::size_t>(bytes));
        tensor_list[r].impl().storage->bump_version();
    }
}

std::vector<Tensor> all_gather(const Tensor& tensor) {
    std::vector<Tensor> tensor_list;
    if (tensor.defined()) {
        for (int r = 0; r < world_size(); ++r) {
            tensor_list.push_back(zeros(tensor.shape(), tensor.dtype()));
        }
    }
    all_gather(tensor_list, tensor);
    return tensor_list;
}

void barrier() {
    world_size();
    backend::barrier();
}

}  // namespace lucid::distributed
