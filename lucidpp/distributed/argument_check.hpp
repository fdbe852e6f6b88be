#pragma once
// The agreement check that the collectives run before moving data (collectives.hpp): each
// rank describes its arguments in a fixed-size record, all ranks gather every record, and all
// of them reach the same verdict, so either every rank throws the same lucid::Error or none.
#include <string_view>

#include "lucidpp/distributed/collectives.hpp"

namespace lucid::distributed::detail {

struct CollectiveCall {
    std::string_view name;  // "all_reduce", ...
    const Tensor* tensor;
    ReduceOp op = ReduceOp::sum;
    int src = 0;                                   // broadcast
    const std::vector<Tensor>* outputs = nullptr;  // all_gather's list
};

void check_agreement(const CollectiveCall& call);

}  // namespace lucid::distributed::detail
