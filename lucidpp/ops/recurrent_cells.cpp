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

}  // namespace lucid
