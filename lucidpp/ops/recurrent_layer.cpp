// The fused recurrent layer: forward over all steps, and its hand-written backward, as one
// tape node. The gate equations live in kernels/{rnn,gru,lstm}_cell.hpp; this file is the
// loop around them and the GEMMs.
#include "lucidpp/ops/recurrent_layer.hpp"

#include <algorithm>
#include <cstring>

#include "lucidpp/autograd/function.hpp"
#include "lucidpp/kernels/gemm.hpp"
#include "lucidpp/kernels/gru_cell.hpp"
#include "lucidpp/kernels/lstm_cell.hpp"
#include "lucidpp/kernels/rnn_cell.hpp"
#include "lucidpp/tensor/creation.hpp"

namespace lucid {

std::int64_t gate_count(CellKind kind) {
    switch (kind) {
        case CellKind::rnn_tanh:
        case CellKind::rnn_relu: return 1;
        case CellKind::gru: return 3;
        case CellKind::lstm: return 4;
    }
    return 0;
}

namespace {

using kernels::MatrixRef;

// The sizes of one layer, and where each step's rows sit.
struct Plan {
    CellKind kind;
    std::int64_t rows, batch, input_size, hidden, out_hidden, gates;
    bool projected, reverse;
    std::vector<std::int64_t> sizes, offsets;  // per time step
    std::vector<std::int64_t> order;           // the order forward visits the steps

    std::int64_t gate_width() const { return gates * hidden; }
};

Plan make_plan(CellKind kind, const Tensor& input, const std::vector<std::int64_t>& batch_sizes,
               const RecurrentWeights& w, bool reverse) {
    Plan plan{kind, input.size(0), batch_sizes.empty() ? 0 : batch_sizes[0], input.size(1),
              w.w_hh.size(0) / gate_count(kind), w.w_hh.size(1), gate_count(kind),
              w.w_hr.defined(), reverse, batch_sizes, {}, {}};
    std::int64_t offset = 0;
    for (std::int64_t size : batch_sizes) {
        plan.offsets.push_back(offset);
        offset += size;
    }
    for (std::size_t t = 0; t < batch_sizes.size(); ++t) plan.order.push_back(static_cast<std::int64_t>(t));
    if (reverse) std::reverse(plan.order.begin(), plan.order.end());
    return plan;
}

void validate(const Plan& plan, const Tensor& input, const Tensor& h0, const Tensor& c0,
              const RecurrentWeights& w) {
    check(input.dim() == 2, "recurrent_layer: expected input rows of shape (N, I), got {}",
          input.shape());
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
        check(bias->shape() == Shape{G},
              "recurrent_layer: a bias has shape {}, expected ({})", bias->shape(), G);
    }
    check(w.b_ih.defined() == w.b_hh.defined(), "recurrent_layer: give both biases or neither");
    check(h0.shape() == Shape{plan.batch, plan.out_hidden},
          "recurrent_layer: h0 has shape {}, expected ({}, {})", h0.shape(), plan.batch,
          plan.out_hidden);
    if (plan.kind == CellKind::lstm) {
        check(c0.defined(), "recurrent_layer: an LSTM needs c0");
        check(c0.shape() == Shape{plan.batch, plan.hidden},
              "recurrent_layer: c0 must have shape ({}, {})", plan.batch, plan.hidden);
    }
    if (plan.projected) {
        check(plan.kind == CellKind::lstm, "recurrent_layer: only LSTMs have weight_hr");
        check(w.w_hr.shape() == Shape{plan.out_hidden, plan.hidden},
              "recurrent_layer: weight_hr has shape {}, expected ({}, {})", w.w_hr.shape(),
              plan.out_hidden, plan.hidden);
    }
    for (const Tensor* t : {&h0, &w.w_ih, &w.w_hh, &w.b_ih, &w.b_hh, &w.w_hr, &c0}) {
        if (!t->defined()) continue;
        check(t->dtype() == input.dtype(),
              "recurrent_layer: all tensors must have the input's dtype {}, got {}",
              input.dtype(), t->dtype());
    }
    check(input.is_floating_point(), "recurrent_layer: expected a floating point input, got {}",
          input.dtype());
}

template <class T>
const T* ptr(const Tensor& t) {
    return t.defined() ? t.data_ptr<T>() : nullptr;
}

template <class T>
void copy_rows(T* dst, const T* src, std::int64_t rows, std::int64_t width) {
    std::memcpy(dst, src, static_cast<std::size_t>(rows * width) * sizeof(T));
}

// Sets each of `rows` rows of `out` (width = bias length) to the bias, or to zero without one.
template <class T>
void fill_rows(T* out, const T* bias, std::int64_t rows, std::int64_t width) {
    for (std::int64_t r = 0; r < rows; ++r) {
        if (bias) {
            std::copy(bias, bias + width, out + r * width);
        } else {
            std::fill(out + r * width, out + (r + 1) * width, T(0));
        }
    }
}

// What forward keeps for backward, besides the inputs.
struct Activations {
    Tensor h_prev;   // (N, H_out): the state each row started its step from
    Tensor gates;    // (N, 4H): GRU [r, z, n, h_n] or LSTM [i, f, g, o]
    Tensor c_new;    // (N, H): LSTM cell state after each step
    Tensor c_prev;   // (N, H): LSTM cell state before each step
    Tensor m;        // (N, H): LSTM o * tanh(c) before the projection
};

template <class T>
RecurrentLayerOutput forward_steps(const Plan& p, const Tensor& x, const Tensor& h0,
                                   const Tensor& c0, const RecurrentWeights& w, Activations& a,
                                   bool keep) {
    const std::int64_t N = p.rows, G = p.gate_width(), H = p.hidden, Hout = p.out_hidden;
    const bool lstm = p.kind == CellKind::lstm;
    Dtype dtype = x.dtype();

    // 1. The input projection of every step at once: xw = X W_ih^T + b_ih.
    Tensor xw = empty({N, G}, dtype);
    fill_rows<T>(xw.data_ptr<T>(), ptr<T>(w.b_ih), N, G);
    kernels::gemm(N, G, p.input_size, T(1), x.data_ptr<T>(), MatrixRef{false, p.input_size},
                  w.w_ih.data_ptr<T>(), MatrixRef{true, p.input_size}, T(1), xw.data_ptr<T>(), G);

    // Backward needs every step's activations; without a tape node to feed (no-grad, or
    // nothing requires grad), one step's rows are enough, overwritten at the next step.
    const std::int64_t kept = keep ? N : p.batch;
    RecurrentLayerOutput out;
    out.output = empty({N, Hout}, dtype);
    out.h_n = h0.contiguous().clone();
    a.h_prev = empty({kept, Hout}, dtype);
    if (p.kind == CellKind::gru || lstm) a.gates = empty({kept, 4 * H}, dtype);
    if (lstm) {
        out.c_n = c0.contiguous().clone();
        a.c_new = empty({kept, H}, dtype);
        a.c_prev = empty({kept, H}, dtype);
        if (p.projected) a.m = empty({kept, H}, dtype);
    }
    Tensor hw = empty({p.batch, G}, dtype);

    T* h = out.h_n.data_ptr<T>();
    T* c = lstm ? out.c_n.data_ptr<T>() : nullptr;
    T* output = out.output.data_ptr<T>();
    T* h_prev = a.h_prev.data_ptr<T>();
    for (std::int64_t t : p.order) {
        const std::int64_t bs = p.sizes[t], row = p.offsets[t];
        const std::int64_t at = keep ? row : 0;  // this step's rows in the activations
        copy_rows(h_prev + at * Hout, h, bs, Hout);
        // 2. The hidden projection of this step: hw = h W_hh^T + b_hh.
        fill_rows<T>(hw.data_ptr<T>(), ptr<T>(w.b_hh), bs, G);
        kernels::gemm(bs, G, Hout, T(1), h, MatrixRef{false, Hout}, w.w_hh.data_ptr<T>(),
                      MatrixRef{true, Hout}, T(1), hw.data_ptr<T>(), G);
        const T* xw_t = xw.data_ptr<T>() + row * G;
        T* out_t = output + row * Hout;
        switch (p.kind) {
            case CellKind::rnn_tanh:
            case CellKind::rnn_relu:
                kernels::rnn_cell_forward(p.kind == CellKind::rnn_relu, bs, H, xw_t,
                                          hw.data_ptr<T>(), out_t);
                break;
            case CellKind::gru:
                kernels::gru_cell_forward(bs, H, xw_t, hw.data_ptr<T>(), h_prev + at * H, out_t,
                                          a.gates.data_ptr<T>() + at * 4 * H);
                break;
            case CellKind::lstm: {
                T* c_prev_t = a.c_prev.data_ptr<T>() + at * H;
                T* c_new_t = a.c_new.data_ptr<T>() + at * H;
                T* m_t = p.projected ? a.m.data_ptr<T>() + at * H : out_t;
                copy_rows(c_prev_t, c, bs, H);
                kernels::lstm_cell_forward(bs, H, xw_t, hw.data_ptr<T>(), c_prev_t, c_new_t, m_t,
                                           a.gates.data_ptr<T>() + at * 4 * H);
                copy_rows(c, c_new_t, bs, H);
                if (p.projected) {  // h = m W_hr^T
                    kernels::gemm(bs, Hout, H, T(1), m_t, MatrixRef{false, H},
                                  w.w_hr.data_ptr<T>(), MatrixRef{true, H}, T(0), out_t, Hout);
                }
                break;
            }
        }
        copy_rows(h, out_t, bs, Hout);
    }
    return out;
}

template <class T>
void column_sums(const T* matrix, std::int64_t rows, std::int64_t cols, T* out) {
    std::fill(out, out + cols, T(0));
    for (std::int64_t r = 0; r < rows; ++r) {
        for (std::int64_t j = 0; j < cols; ++j) out[j] += matrix[r * cols + j];
    }
}

// Gradients in the order of the node's inputs: input, h0, c0, w_ih, w_hh, b_ih, b_hh, w_hr.
template <class T>
autograd::Gradients backward_steps(const Plan& p, const Tensor& x, const Tensor& w_ih,
                                   const Tensor& w_hh, const Tensor& w_hr, bool has_bias,
                                   bool input_needs_grad, const Tensor& output,
                                   const Activations& a, const std::vector<Tensor>& grads) {
    const std::int64_t N = p.rows, G = p.gate_width(), H = p.hidden, Hout = p.out_hidden;
    const bool lstm = p.kind == CellKind::lstm, gru = p.kind == CellKind::gru;
    Dtype dtype = x.dtype();
    const Tensor& d_output = grads[0];

    Tensor dh = grads[1].defined() ? grads[1].contiguous().clone() : zeros({p.batch, Hout}, dtype);
    Tensor dc;
    if (lstm) dc = grads.size() > 2 && grads[2].defined() ? grads[2].contiguous().clone()
                                                          : zeros({p.batch, H}, dtype);
    Tensor d_out = d_output.defined() ? d_output.contiguous() : Tensor();
    Tensor d_input_gates = empty({N, G}, dtype);
    Tensor d_hidden_gates = gru ? empty({N, G}, dtype) : d_input_gates;
    Tensor direct = gru ? empty({p.batch, H}, dtype) : Tensor();
    Tensor dm = p.projected ? empty({p.batch, H}, dtype) : Tensor();
    Tensor dh_all = p.projected ? empty({N, Hout}, dtype) : Tensor();

    T* dh_p = dh.data_ptr<T>();
    for (auto it = p.order.rbegin(); it != p.order.rend(); ++it) {
        const std::int64_t bs = p.sizes[*it], row = p.offsets[*it];
        if (d_out.defined()) {
            const T* g = d_out.data_ptr<T>() + row * Hout;
            for (std::int64_t i = 0; i < bs * Hout; ++i) dh_p[i] += g[i];
        }
        const T* dm_t = dh_p;
        if (p.projected) {  // h = m W_hr^T, so dm = dh W_hr
            copy_rows(dh_all.data_ptr<T>() + row * Hout, dh_p, bs, Hout);
            kernels::gemm(bs, H, Hout, T(1), dh_p, MatrixRef{false, Hout}, w_hr.data_ptr<T>(),
                          MatrixRef{false, H}, T(0), dm.data_ptr<T>(), H);
            dm_t = dm.data_ptr<T>();
        }
        T* dgi = d_input_gates.data_ptr<T>() + row * G;
        T* dgh = d_hidden_gates.data_ptr<T>() + row * G;
        switch (p.kind) {
            case CellKind::rnn_tanh:
            case CellKind::rnn_relu:
                kernels::rnn_cell_backward(p.kind == CellKind::rnn_relu, bs, H,
                                           output.data_ptr<T>() + row * H, dh_p, dgi);
                break;
            case CellKind::gru:
                kernels::gru_cell_backward(bs, H, dh_p, a.gates.data_ptr<T>() + row * 4 * H,
                                           a.h_prev.data_ptr<T>() + row * H, dgi, dgh,
                                           direct.data_ptr<T>());
                break;
            case CellKind::lstm:
                kernels::lstm_cell_backward(bs, H, dm_t, dc.data_ptr<T>(),
                                            a.gates.data_ptr<T>() + row * 4 * H,
                                            a.c_new.data_ptr<T>() + row * H,
                                            a.c_prev.data_ptr<T>() + row * H, dgi);
                break;
        }
        // dh_{t-1} = d_hidden_gates W_hh (+ z * dh_t for the GRU's direct path)
        if (gru) copy_rows(dh_p, direct.data_ptr<T>(), bs, H);
        kernels::gemm(bs, Hout, G, T(1), dgh, MatrixRef{false, G}, w_hh.data_ptr<T>(),
                      MatrixRef{false, Hout}, gru ? T(1) : T(0), dh_p, Hout);
    }

    // 3. Gradients of the input and of the weights, each one GEMM over all steps.
    autograd::Gradients out(8);
    if (input_needs_grad) {  // not for a first layer fed with data
        out[0] = empty({N, p.input_size}, dtype);
        kernels::gemm(N, p.input_size, G, T(1), d_input_gates.data_ptr<T>(), MatrixRef{false, G},
                      w_ih.data_ptr<T>(), MatrixRef{false, p.input_size}, T(0),
                      out[0].data_ptr<T>(), p.input_size);
    }
    out[1] = dh;
    if (lstm) out[2] = dc;
    out[3] = empty({G, p.input_size}, dtype);
    kernels::gemm(G, p.input_size, N, T(1), d_input_gates.data_ptr<T>(), MatrixRef{true, G},
                  x.data_ptr<T>(), MatrixRef{false, p.input_size}, T(0), out[3].data_ptr<T>(),
                  p.input_size);
    out[4] = empty({G, Hout}, dtype);
    kernels::gemm(G, Hout, N, T(1), d_hidden_gates.data_ptr<T>(), MatrixRef{true, G},
                  a.h_prev.data_ptr<T>(), MatrixRef{false, Hout}, T(0), out[4].data_ptr<T>(), Hout);
    if (has_bias) {
        out[5] = empty({G}, dtype);
        column_sums(d_input_gates.data_ptr<T>(), N, G, out[5].data_ptr<T>());
        out[6] = empty({G}, dtype);
        column_sums(d_hidden_gates.data_ptr<T>(), N, G, out[6].data_ptr<T>());
    }
    if (p.projected) {
        out[7] = empty({Hout, H}, dtype);
        kernels::gemm(Hout, H, N, T(1), dh_all.data_ptr<T>(), MatrixRef{true, Hout},
                      a.m.data_ptr<T>(), MatrixRef{false, H}, T(0), out[7].data_ptr<T>(), H);
    }
    return out;
}

}  // namespace

RecurrentLayerOutput recurrent_layer(CellKind kind, const Tensor& input,
                                     const std::vector<std::int64_t>& batch_sizes,
                                     const Tensor& h0, const Tensor& c0,
                                     const RecurrentWeights& weights, bool reverse) {
    check(input.dim() == 2, "recurrent_layer: expected input rows of shape (N, I), got {}",
          input.shape());
    check(weights.w_ih.dim() == 2 && weights.w_hh.dim() == 2 && h0.dim() == 2,
          "recurrent_layer: weight_ih, weight_hh and h0 must be 2-D");
    Plan plan = make_plan(kind, input, batch_sizes, weights, reverse);
    validate(plan, input, h0, c0, weights);

    // BLAS reads these as plain row-major matrices.
    Tensor x = input.contiguous().detach();
    RecurrentWeights w{weights.w_ih.contiguous().detach(), weights.w_hh.contiguous().detach(),
                       weights.b_ih.defined() ? weights.b_ih.contiguous().detach() : Tensor(),
                       weights.b_hh.defined() ? weights.b_hh.contiguous().detach() : Tensor(),
                       weights.w_hr.defined() ? weights.w_hr.contiguous().detach() : Tensor()};
    std::vector<Tensor> inputs{input, h0, c0, weights.w_ih, weights.w_hh,
                               weights.b_ih, weights.b_hh, weights.w_hr};
    const bool record = autograd::any_requires_grad(inputs);
    auto activations = std::make_shared<Activations>();
    RecurrentLayerOutput out = dispatch_floating(input.dtype(), "recurrent_layer", [&]<class T>() {
        return forward_steps<T>(plan, x, h0.detach(), c0.defined() ? c0.detach() : Tensor(), w,
                                *activations, record);
    });
    if (!record) return out;

    std::vector<Tensor> outputs{out.output, out.h_n};
    if (kind == CellKind::lstm) outputs.push_back(out.c_n);
    const char* name = kind == CellKind::gru ? "gru_layer"
                       : kind == CellKind::lstm ? "lstm_layer"
                                                : "rnn_layer";
    using autograd::SavedTensor;
    outputs = autograd::record(
        name, inputs, outputs,
        [plan, activations, x = SavedTensor(x), w_ih = SavedTensor(w.w_ih),
         w_hh = SavedTensor(w.w_hh), w_hr = SavedTensor(w.w_hr), has_bias = w.b_ih.defined(),
         input_needs_grad = input.requires_grad(),
         output = SavedTensor(out.output.detach())](const std::vector<Tensor>& grads) {
            const Tensor& x_saved = x.get();
            return dispatch_floating(x_saved.dtype(), "recurrent_layer", [&]<class T>() {
                return backward_steps<T>(plan, x_saved, w_ih.get(), w_hh.get(), w_hr.get(),
                                         has_bias, input_needs_grad, output.get(),
                                         *activations, grads);
            });
        });
    out.output = outputs[0];
    out.h_n = outputs[1];
    if (kind == CellKind::lstm) out.c_n = outputs[2];
    return out;
}

}  // namespace lucid
