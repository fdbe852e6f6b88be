#include "lucidpp/distributed/argument_check.hpp"

#include <algorithm>
#include <array>
#include <cstdint>
#include <functional>
#include <string>
#include <vector>

#include <fmt/ranges.h>

#include "lucidpp/distributed/backend.hpp"

namespace lucid::distributed::detail {

namespace {

enum class Problem : std::int64_t {
    none,
    undefined,
    not_contiguous,
    avg_of_integers,
    src_out_of_range,
    list_size,
    list_element,
};

constexpr std::size_t max_dims = 8;  // shapes with more dims are compared by their hash

// One rank's arguments, in a form that can cross MPI as plain bytes.
struct Record {
    std::uint64_t collective = 0;  // which one was called, as a hash of its name
    Problem problem = Problem::none;
    std::int64_t dtype = 0;
    std::int64_t ndim = 0;
    std::array<std::int64_t, max_dims> dims{};
    std::uint64_t shape_hash = 0;
    std::int64_t op = 0;
    std::int64_t src = 0;
    std::int64_t list_size = 0;
    std::int64_t bad_element = 0;
};

std::uint64_t hash_shape(const Shape& shape) {
    std::uint64_t hash = 1469598103934665603ULL;  // FNV-1a over the sizes
    for (std::int64_t size : shape) {
        hash = (hash ^ static_cast<std::uint64_t>(size)) * 1099511628211ULL;
    }
    return hash;
}

Problem local_problem(const CollectiveCall& call, int world, std::int64_t& bad_element) {
    const Tensor& tensor = *call.tensor;
    if (!tensor.defined()) return Problem::undefined;
    if (!tensor.is_contiguous()) return Problem::not_contiguous;
    if (call.op == ReduceOp::avg && !tensor.is_floating_point()) return Problem::avg_of_integers;
    if (call.src < 0 || call.src >= world) return Problem::src_out_of_range;
    if (call.outputs) {
        if (static_cast<int>(call.outputs->size()) != world) return Problem::list_size;
        for (std::size_t i = 0; i < call.outputs->size(); ++i) {
            const Tensor& out = (*call.outputs)[i];
            if (!out.defined() || out.shape() != tensor.shape() || out.dtype() != tensor.dtype() ||
                !out.is_contiguous()) {
                bad_element = static_cast<std::int64_t>(i);
                return Problem::list_element;
            }
        }
    }
    return Problem::none;
}

Record describe(const CollectiveCall& call, int world) {
    Record record;
    record.collective = std::hash<std::string_view>{}(call.name);
    record.problem = local_problem(call, world, record.bad_element);
    record.op = static_cast<std::int64_t>(call.op);
    record.src = call.src;
    record.list_size = call.outputs ? static_cast<std::int64_t>(call.outputs->size()) : 0;
    if (record.problem == Problem::undefined) return record;
    const Tensor& tensor = *call.tensor;
    record.dtype = static_cast<std::int64_t>(tensor.dtype());
    record.ndim = tensor.dim();
    std::copy_n(tensor.shape().begin(), std::min<std::size_t>(max_dims, tensor.shape().size()),
                record.dims.begin());
    record.shape_hash = hash_shape(tensor.shape());
    return record;
}

std::string shape_text(const Record& record) {
    if (record.ndim > static_cast<std::int64_t>(max_dims)) {
        return fmt::format("a {}-dim shape", record.ndim);
    }
    return fmt::format("[{}]",
                       fmt::join(record.dims.begin(), record.dims.begin() + record.ndim, ", "));
}

std::string tensor_text(const Record& record) {
    return fmt::format("{} {}", shape_text(record), dtype_name(static_cast<Dtype>(record.dtype)));
}

std::string problem_text(const Record& record, int world) {
    switch (record.problem) {
        case Problem::none:
            break;
        case Problem::undefined:
            return "its tensor is undefined";
        case Problem::not_contiguous:
            return fmt::format(
                "its tensor ({}) is not contiguous; pass a contiguous one "
                "(tensor.contiguous()) and copy the result back",
                tensor_text(record));
        case Problem::avg_of_integers:
            return fmt::format("avg needs a floating point tensor, got {}", tensor_text(record));
        case Problem::src_out_of_range:
            return fmt::format("src {} is out of range for a world of {} ranks", record.src, world);
        case Problem::list_size:
            return fmt::format("tensor_list has {} tensors, expected one per rank ({})",
                               record.list_size, world);
        case Problem::list_element:
            return fmt::format("tensor_list[{}] is not a contiguous {} tensor like the input",
                               record.bad_element, tensor_text(record));
    }
    return "no problem";
}

bool same_tensor(const Record& a, const Record& b) {
    return a.dtype == b.dtype && a.ndim == b.ndim && a.dims == b.dims &&
           a.shape_hash == b.shape_hash;
}

// The same verdict on every rank: the first rank with a problem, else the first that differs
// from rank 0.
void judge(std::string_view name, const std::vector<Record>& records) {
    const int world = static_cast<int>(records.size());
    for (int r = 1; r < world; ++r) {
        check(records[r].collective == records[0].collective,
              "{}: rank {} called another collective than rank 0 at the same point; every rank "
              "must make the same collective calls in the same order",
              name, r);
    }
    for (int r = 0; r < world; ++r) {
        check(records[r].problem == Problem::none, "{}: rank {}: {}", name, r,
              problem_text(records[r], world));
    }
    const Record& first = records[0];
    for (int r = 1; r < world; ++r) {
        const Record& other = records[r];
        check(same_tensor(first, other),
              "{}: the tensors differ between ranks: rank 0 has {}, rank {} has {}; every rank "
              "must pass the same shape and dtype",
              name, tensor_text(first), r, tensor_text(other));
        check(first.op == other.op, "{}: rank 0 asks for op {}, rank {} for {}", name,
              static_cast<ReduceOp>(first.op), r, static_cast<ReduceOp>(other.op));
        check(first.src == other.src, "{}: rank 0 names src {}, rank {} names src {}", name,
              first.src, r, other.src);
    }
}

}  // namespace

void check_agreement(const CollectiveCall& call) {
    const int world = backend::world_size();
    const Record mine = describe(call, world);
    std::vector<Record> records(static_cast<std::size_t>(world));
    backend::all_gather(&mine, records.data(), sizeof(Record));
    judge(call.name, records);
}

}  // namespace lucid::distributed::detail
