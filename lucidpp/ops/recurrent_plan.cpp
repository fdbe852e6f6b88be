#include "lucidpp/ops/recurrent_plan.hpp"

#include <algorithm>

#include "lucidpp/tensor/error.hpp"

namespace lucid::recurrent {

Plan make_plan(std::int64_t gates, const Tensor& input,
               const std::vector<std::int64_t>& batch_sizes, const RecurrentWeights& w,
               bool reverse) {
    Plan plan{input.size(0),
              batch_sizes.empty() ? 0 : batch_sizes[0],
              input.size(1),
              w.w_hh.size(0) / gates,
              w.w_hh.size(1),
              gates,
              w.w_hr.defined(),
              reverse,
              batch_sizes,
              {},
              {}};
    std::int64_t offset = 0;
    for (std::int64_t size : batch_sizes) {
        plan.offsets.push_back(offset);
        offset += size;
    }
    for (std::size_t t = 0; t < batch_sizes.size(); ++t)
        plan.order.push_back(static_cast<std::int64_t>(t));
    if (reverse) std::reverse(plan.order.begin(), plan.order.end());
    return plan;
}

void validate(const Plan& plan, bool cell_state, const Tensor& input, const Tensor& h0,
              const Tensor& c0, const RecurrentWeights& w) {
    std::int64_t total = 0, previous = plan.batch;
    for (std::int64_t size : plan.sizes) {
        check(size > 0 && size <= previous,
              "recurrent_layer: batch sizes must be positive and non-increasing, got ({})",
              fmt::join(plan.sizes, ", "));
        previous = size;
        total += size;
    }
    check(!plan.sizes.empty() && total == plan.rows,
          "recurrent_layer: batch sizes sum to {}, but input has {} rows", total, plan.rows);
    const std::int64_t G = plan.gate_width();
    check(w.w_ih.shape() == Shape{G, plan.input_size},
          "recurrent_layer: weight_ih has shape {}, expected ({}, {})", w.w_ih.shape(), G,
          plan.input_size);
    check(w.w_hh.shape() == Shape{G, plan.out_hidden} && G % plan.gates == 0,
          "recurrent_layer: weight_hh has shape {}, expected ({}, {})", w.w_hh.shape(), G,
          plan.out_hidden);
    for (const Tensor* bias : {&w.b_ih, &w.b_hh}) {
        if (!bias->defined()) continue;
        check(bias->shape() == Shape{G}, "recurrent_layer: a bias has shape {}, expected ({})",
              bias->shape(), G);
    }
    check(w.b_ih.defined() == w.b_hh.defined(), "recurrent_layer: give both biases or neither");
    check(h0.shape() == Shape{plan.batch, plan.out_hidden},
          "recurrent_layer: h0 has shape {}, expected ({}, {})", h0.shape(), plan.batch,
          plan.out_hidden);
    if (cell_state) {
        check(c0.defined(), "recurrent_layer: an LSTM needs c0");
        check(c0.shape() == Shape{plan.batch, plan.hidden},
              "recurrent_layer: c0 must have shape ({}, {})", plan.batch, plan.hidden);
    }
    if (plan.projected) {
        check(cell_state, "recurrent_layer: only LSTMs have weight_hr");
        check(w.w_hr.shape() == Shape{plan.out_hidden, plan.hidden},
              "recurrent_layer: weight_hr has shape {}, expected ({}, {})", w.w_hr.shape(),
              plan.out_hidden, plan.hidden);
    }
    for (const Tensor* t : {&h0, &w.w_ih, &w.w_hh, &w.b_ih, &w.b_hh, &w.w_hr, &c0}) {
        if (!t->defined()) continue;
        check(t->dtype() == input.dtype(),
              "recurrent_layer: all tensors must have the input's dtype {}, got {}", input.dtype(),
              t->dtype());
    }
    check(input.is_floating_point(), "recurrent_layer: expected a floating point input, got {}",
          input.dtype());
}

std::int64_t input_grain(const Plan& p) {
    constexpr std::int64_t min_macs = std::int64_t{1} << 18;
    const std::int64_t macs_per_row = std::max<std::int64_t>(1, p.gate_width() * p.input_size);
    return (min_macs + macs_per_row - 1) / macs_per_row;
}

// A hand-off costs up to tens of microseconds on a VM, so a thread's share of a layer must hold
// a few million multiply-adds, and enough rows that its per-step products stay efficient.
std::int64_t recurrence_grain(const Plan& p) {
    constexpr std::int64_t min_macs = std::int64_t{1} << 22, min_rows = 8;
    const std::int64_t macs_per_row = std::max<std::int64_t>(
        1, static_cast<std::int64_t>(p.sizes.size()) * p.gate_width() * p.out_hidden);
    return std::max(min_rows, (min_macs + macs_per_row - 1) / macs_per_row);
}

}  // namespace lucid::recurrent
