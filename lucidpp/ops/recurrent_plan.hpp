#pragma once
// The sizes of one call of a recurrent layer (ops/recurrent_layer.cpp), its checks, and how
// its work splits over lucidpp's threads.
#include <cstdint>
#include <vector>

#include "lucidpp/ops/recurrent_layer.hpp"

namespace lucid::recurrent {

// The sizes of one layer, and where each step's rows sit.
struct Plan {
    std::int64_t rows, batch, input_size, hidden, out_hidden, gates;
    bool projected, reverse;
    std::vector<std::int64_t> sizes, offsets;  // per time step
    std::vector<std::int64_t> order;           // the order forward visits the steps

    std::int64_t gate_width() const { return gates * hidden; }
};

Plan make_plan(std::int64_t gates, const Tensor& input,
               const std::vector<std::int64_t>& batch_sizes, const RecurrentWeights& w,
               bool reverse);

// Checks every shape and dtype against the plan; throws lucid::Error naming what differs.
void validate(const Plan& plan, bool cell_state, const Tensor& input, const Tensor& h0,
              const Tensor& c0, const RecurrentWeights& w);

// The fewest rows worth a thread in the products with W_ih over all steps' rows.
std::int64_t input_grain(const Plan& p);

// The fewest batch rows worth a thread of their own in the step loops.
std::int64_t recurrence_grain(const Plan& p);

}  // namespace lucid::recurrent
