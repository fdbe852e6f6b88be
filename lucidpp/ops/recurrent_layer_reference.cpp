#include "lucidpp/ops/recurrent_layer_reference.hpp"

#include "lucidpp/ops/recurrent_cells.hpp"
#include "lucidpp/ops/shape.hpp"

namespace lucid {

RecurrentLayerOutput recurrent_layer_reference(CellKind kind, const Tensor& input,
                                               const std::vector<std::int64_t>& batch_sizes,
                                               const Tensor& h0, const Tensor& c0,
                                               const RecurrentWeights& weights, bool reverse) {
    // Step t owns rows [first_row[t], first_row[t] + batch_sizes[t]) of the packed input.
    std::vector<std::int64_t> first_row;
    std::int64_t rows = 0;
    for (std::int64_t size : batch_sizes) {
        first_row.push_back(rows);
        rows += size;
    }
    const std::int64_t batch = h0.size(0);
    const std::size_t steps = batch_sizes.size();
    std::vector<Tensor> outputs(steps);
    Tensor h = h0, c = c0;
    for (std::size_t k = 0; k < steps; ++k) {
        const std::size_t t = reverse ? steps - 1 - k : k;
        const std::int64_t active = batch_sizes[t];  // the first `active` sequences have step t
        Tensor x_t = input.narrow(0, first_row[t], active);
        Tensor h_prev = h.narrow(0, 0, active);
        Tensor h_t, c_t;
        switch (kind) {
            case CellKind::rnn_tanh:
                h_t = rnn_cell(x_t, h_prev, weights, false);
                break;
            case CellKind::rnn_relu:
                h_t = rnn_cell(x_t, h_prev, weights, true);
                break;
            case CellKind::gru:
                h_t = gru_cell(x_t, h_prev, weights);
                break;
            case CellKind::lstm:
                std::tie(h_t, c_t) = lstm_cell(x_t, h_prev, c.narrow(0, 0, active), weights);
                break;
        }
        outputs[t] = h_t;
        // The other sequences have ended (or, in reverse, not started): they keep their state.
        auto with_rest = [&](const Tensor& updated, const Tensor& all) {
            return active < batch ? cat({updated, all.narrow(0, active, batch - active)}) : updated;
        };
        h = with_rest(h_t, h);
        if (kind == CellKind::lstm) c = with_rest(c_t, c);
    }
    return {cat(outputs), h, kind == CellKind::lstm ? c : Tensor()};
}

}  // namespace lucid
