#include "lucidpp/ops/recurrent_cells.hpp"

#include "lucidpp/ops/arithmetic.hpp"
#include "lucidpp/ops/linalg.hpp"
#include "lucidpp/ops/shape.hpp"
#include "lucidpp/ops/unary.hpp"

namespace lucid {

namespace {

// W v + b for a batch of row vectors v.
Tensor affine(const Tensor& v, const Tensor& weight, const Tensor& bias) {
    Tensor out = matmul(v, weight.t());
    return bias.defined() ? out + bias : out;
}

}  // namespace

Tensor rnn_cell(const Tensor& x, const Tensor& h, const RecurrentWeights& w, bool relu) {
    Tensor pre = affine(x, w.w_ih, w.b_ih) + affine(h, w.w_hh, w.b_hh);
    return relu ? lucid::relu(pre) : tanh(pre);
}

Tensor gru_cell(const Tensor& x, const Tensor& h, const RecurrentWeights& w) {
    std::vector<Tensor> xi = chunk(affine(x, w.w_ih, w.b_ih), 3, 1);  // x_r, x_z, x_n
    std::vector<Tensor> hh = chunk(affine(h, w.w_hh, w.b_hh), 3, 1);  // h_r, h_z, h_n
    Tensor r = sigmoid(xi[0] + hh[0]);
    Tensor z = sigmoid(xi[1] + hh[1]);
    Tensor n = tanh(xi[2] + r * hh[2]);
    return (1.0 - z) * n + z * h;
}

std::tuple<Tensor, Tensor> lstm_cell(const Tensor& x, const Tensor& h, const Tensor& c,
                                     const RecurrentWeights& w) {
    std::vector<Tensor> gates = chunk(affine(x, w.w_ih, w.b_ih) + affine(h, w.w_hh, w.b_hh), 4, 1);
    Tensor i = sigmoid(gates[0]);
    Tensor f = sigmoid(gates[1]);
    Tensor g = tanh(gates[2]);
    Tensor o = sigmoid(gates[3]);
    Tensor c_new = f * c + i * g;
    Tensor h_new = o * tanh(c_new);
    if (w.w_hr.defined()) h_new = matmul(h_new, w.w_hr.t());
    return {h_new, c_new};
}

RecurrentLayerOutput recurrent_layer_reference(CellKind kind, const Tensor& input,
                                               const std::vector<std::int64_t>& batch_sizes,
                                               const Tensor& h0, const Tensor& c0,
                                               const RecurrentWeights& weights, bool reverse) {
    std::vector<std::int64_t> offsets;
    std::int64_t offset = 0;
    for (std::int64_t size : batch_sizes) {
        offsets.push_back(offset);
        offset += size;
    }
    const std::int64_t batch = h0.size(0);
    std::vector<Tensor> step_outputs(batch_sizes.size());
    Tensor h = h0, c = c0;
    for (std::size_t k = 0; k < batch_sizes.size(); ++k) {
        std::size_t t = reverse ? batch_sizes.size() - 1 - k : k;
        const std::int64_t bs = batch_sizes[t];
        Tensor x_t = input.narrow(0, offsets[t], bs);
        Tensor h_prev = h.narrow(0, 0, bs);
        Tensor h_new, c_new;
        switch (kind) {
            case CellKind::rnn_tanh: h_new = rnn_cell(x_t, h_prev, weights, false); break;
            case CellKind::rnn_relu: h_new = rnn_cell(x_t, h_prev, weights, true); break;
            case CellKind::gru: h_new = gru_cell(x_t, h_prev, weights); break;
            case CellKind::lstm:
                std::tie(h_new, c_new) = lstm_cell(x_t, h_prev, c.narrow(0, 0, bs), weights);
                break;
        }
        step_outputs[t] = h_new;
        // Rows past bs have finished (or not started): they keep their state.
        h = bs < batch ? cat({h_new, h.narrow(0, bs, batch - bs)}) : h_new;
        if (kind == CellKind::lstm) c = bs < batch ? cat({c_new, c.narrow(0, bs, batch - bs)}) : c_new;
    }
    return {cat(step_outputs), h, kind == CellKind::lstm ? c : Tensor()};
}

}  // namespace lucid
