// The fused recurrent layer: forward over all steps, and its hand-written backward, as one
// tape node. The step loops are written once, as templates over a cell policy
// (kernels/cell_step.hpp); each cell's equations live with its kernels, in
// kernels/rnn_cell.hpp, kernels/gru_cell.hpp and kernels/lstm_cell.hpp.
#include "lucidpp/ops/recurrent_layer.hpp"

#include <algorithm>
#include <cstring>

#include "lucidpp/autograd/function.hpp"
#include "lucidpp/kernels/gemm.hpp"
#include "lucidpp/kernels/gru_cell.hpp"
#include "lucidpp/kernels/lstm_cell.hpp"
#include "lucidpp/kernels/parallel_for.hpp"
#include "lucidpp/kernels/rnn_cell.hpp"
#include "lucidpp/kernels/weight_product.hpp"
#include "lucidpp/ops/recurrent_plan.hpp"
#include "lucidpp/tensor/creation.hpp"

namespace lucid {

namespace {

// Calls fn.template operator()<Cell>() with the policy type of `kind`: the one place that
// turns the runtime kind into a type.
template <class Fn>
decltype(auto) with_cell(CellKind kind, Fn&& fn) {
    switch (kind) {
        case CellKind::rnn_tanh:
            return fn.template operator()<kernels::RnnTanhCell>();
        case CellKind::rnn_relu:
            return fn.template operator()<kernels::RnnReluCell>();
        case CellKind::gru:
            return fn.template operator()<kernels::GruCell>();
        case CellKind::lstm:
            break;
    }
    return fn.template operator()<kernels::LstmCell>();
}

using kernels::MatrixRef;
using kernels::parallel_for;
using recurrent::Plan;

// Row `row` of a (rows, width) tensor, or null for an undefined one.
template <class T>
T* row_ptr(const Tensor& t, std::int64_t row, std::int64_t width) {
    return t.defined() ? t.data_ptr<T>() + row * width : nullptr;
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

// sums[r][j] += rows[r][j] for r < n, j < width; sums has `ld` columns.
template <class T>
void add_rows(T* __restrict sums, const T* __restrict rows, std::int64_t n, std::int64_t width,
              std::int64_t ld) {
    for (std::int64_t r = 0; r < n; ++r) {
        for (std::int64_t j = 0; j < width; ++j) sums[r * ld + j] += rows[r * width + j];
    }
}

// What forward keeps for backward, besides the inputs and the output.
struct Activations {
    Tensor h_prev;  // (N, H_out): the state each row started its step from
    Tensor saved;   // (N, saved_per_unit * H): what the cell keeps
    Tensor m;       // (N, H): the cell's output before the projection, when there is one
};

template <class Cell, class T>
RecurrentLayerOutput forward_steps(const Plan& p, const Tensor& x, const Tensor& h0,
                                   const Tensor& c0, const RecurrentWeights& w, Activations& a,
                                   bool keep) {
    const std::int64_t N = p.rows, G = p.gate_width(), H = p.hidden, Hout = p.out_hidden;
    const std::int64_t S = Cell::saved_per_unit * H;
    const Dtype dtype = x.dtype();

    // 1. The input projection of every step at once: xw = X W_ih^T + b_ih.
    Tensor xw = empty({N, G}, dtype);
    const kernels::WeightProduct<T> input_product(p.input_size, G, row_ptr<T>(w.w_ih, 0, 0),
                                                  MatrixRef{true, p.input_size});  // W_ih^T
    parallel_for(N, recurrent::input_grain(p), [&](std::int64_t r0, std::int64_t r1) {
        fill_rows<T>(row_ptr<T>(xw, r0, G), row_ptr<T>(w.b_ih, 0, 0), r1 - r0, G);
        input_product(r1 - r0, row_ptr<T>(x, r0, p.input_size), T(1), row_ptr<T>(xw, r0, G), G);
    });

    // Backward needs every step's activations; without a tape node to feed (no-grad, or
    // nothing requires grad), one step's rows are enough, overwritten at the next step.
    const std::int64_t kept = keep ? N : p.batch;
    RecurrentLayerOutput out;
    out.output = empty({N, Hout}, dtype);
    out.h_n = h0.contiguous().clone();
    if constexpr (Cell::has_cell_state) out.c_n = c0.contiguous().clone();
    a.h_prev = empty({kept, Hout}, dtype);
    if constexpr (Cell::saved_per_unit > 0) a.saved = empty({kept, S}, dtype);
    if (p.projected) a.m = empty({kept, H}, dtype);
    Tensor hw = empty({p.batch, G}, dtype);

    const kernels::WeightProduct<T> hidden_product(Hout, G, row_ptr<T>(w.w_hh, 0, 0),
                                                   MatrixRef{true, Hout});  // W_hh^T
    const kernels::WeightProduct<T> projection(H, Hout, row_ptr<T>(w.w_hr, 0, 0),
                                               MatrixRef{true, H});  // W_hr^T
    // 2.-3. The recurrence, split over the batch rows: a row's state depends on its own past
    // only, so each thread runs every step for its rows, with no hand-off between steps.
    parallel_for(p.batch, recurrent::recurrence_grain(p), [&](std::int64_t r0, std::int64_t r1) {
        T* h = row_ptr<T>(out.h_n, r0, Hout);
        T* hw_rows = row_ptr<T>(hw, r0, G);
        for (std::int64_t t : p.order) {
            const std::int64_t bs = std::min(p.sizes[t], r1) - r0;  // this step's rows of ours
            if (bs <= 0) continue;
            const std::int64_t row = p.offsets[t] + r0;
            const std::int64_t at = (keep ? p.offsets[t] : 0) + r0;  // in the activations
            T* h_prev = row_ptr<T>(a.h_prev, at, Hout);
            copy_rows(h_prev, h, bs, Hout);
            // 2. The hidden projection of this step: hw = h W_hh^T + b_hh.
            fill_rows<T>(hw_rows, row_ptr<T>(w.b_hh, 0, 0), bs, G);
            hidden_product(bs, h, T(1), hw_rows, G);
            // 3. The cell's gates; with a projection the cell's output m is projected to h.
            T* h_t = row_ptr<T>(out.output, row, Hout);
            T* cell_h = p.projected ? row_ptr<T>(a.m, at, H) : h_t;
            Cell::forward(kernels::ForwardStep<T>{bs, H, row_ptr<T>(xw, row, G), hw_rows, h_prev,
                                                  cell_h, row_ptr<T>(out.c_n, r0, H),
                                                  row_ptr<T>(a.saved, at, S)});
            if (p.projected) projection(bs, cell_h, T(0), h_t, Hout);  // h = m W_hr^T
            copy_rows(h, h_t, bs, Hout);
        }
    });
    return out;
}

// What backward reads besides the activations, each checked against in-place changes on get().
struct Saved {
    autograd::SavedTensor x, w_ih, w_hh, w_hr, output;
    bool has_bias, input_needs_grad;
};

// Gradients in the order of the node's inputs: input, h0, c0, w_ih, w_hh, b_ih, b_hh, w_hr.
template <class Cell, class T>
autograd::Gradients backward_steps(const Plan& p, const Saved& s, const Activations& a,
                                   const std::vector<Tensor>& grads) {
    const std::int64_t N = p.rows, G = p.gate_width(), H = p.hidden, Hout = p.out_hidden;
    const std::int64_t S = Cell::saved_per_unit * H;
    const Tensor &x = s.x.get(), &w_hh = s.w_hh.get(), &w_hr = s.w_hr.get();
    const Dtype dtype = x.dtype();

    Tensor dh = grads[1].defined() ? grads[1].contiguous().clone() : zeros({p.batch, Hout}, dtype);
    Tensor dc;
    if constexpr (Cell::has_cell_state) {
        dc = grads[2].defined() ? grads[2].contiguous().clone() : zeros({p.batch, H}, dtype);
    }
    Tensor d_output = grads[0].defined() ? grads[0].contiguous() : Tensor();
    Tensor d_input_gates = empty({N, G}, dtype);
    Tensor d_hidden_gates = Cell::hidden_gates_differ ? empty({N, G}, dtype) : d_input_gates;
    Tensor dm = p.projected ? empty({p.batch, H}, dtype) : Tensor();
    Tensor dh_all = p.projected ? empty({N, Hout}, dtype) : Tensor();
    const Tensor& cell_h = p.projected ? a.m : s.output.get();
    // The bias gradients, summed per batch row while each step's gate gradients are in cache:
    // [d b_ih | d b_hh] of every batch row (one block when the two are the same).
    const std::int64_t bias_width = Cell::hidden_gates_differ ? 2 * G : G;
    Tensor bias_rows = s.has_bias ? zeros({p.batch, bias_width}, dtype) : Tensor();

    const kernels::WeightProduct<T> hidden_product(G, Hout, row_ptr<T>(w_hh, 0, 0),
                                                   MatrixRef{false, Hout});  // W_hh
    const kernels::WeightProduct<T> projection(Hout, H, row_ptr<T>(w_hr, 0, 0),
                                               MatrixRef{false, H});  // W_hr
    // The recurrence backwards, split over the batch rows as forward splits it.
    parallel_for(p.batch, recurrent::recurrence_grain(p), [&](std::int64_t r0, std::int64_t r1) {
        T* dh_rows = row_ptr<T>(dh, r0, Hout);
        for (auto it = p.order.rbegin(); it != p.order.rend(); ++it) {
            const std::int64_t bs = std::min(p.sizes[*it], r1) - r0;
            if (bs <= 0) continue;
            const std::int64_t row = p.offsets[*it] + r0;
            if (d_output.defined()) {
                const T* g = row_ptr<T>(d_output, row, Hout);
                for (std::int64_t i = 0; i < bs * Hout; ++i) dh_rows[i] += g[i];
            }
            T* cell_dh = dh_rows;
            if (p.projected) {  // h = m W_hr^T, so dm = dh W_hr
                copy_rows(row_ptr<T>(dh_all, row, Hout), dh_rows, bs, Hout);
                cell_dh = row_ptr<T>(dm, r0, H);
                projection(bs, dh_rows, T(0), cell_dh, H);
            }
            T* d_hidden = row_ptr<T>(d_hidden_gates, row, G);
            Cell::backward(kernels::BackwardStep<T>{
                bs, H, row_ptr<T>(a.saved, row, S), row_ptr<T>(a.h_prev, row, Hout),
                row_ptr<T>(cell_h, row, H), cell_dh, row_ptr<T>(dc, r0, H),
                row_ptr<T>(d_input_gates, row, G), d_hidden});
            if (s.has_bias) {
                T* sums = row_ptr<T>(bias_rows, r0, bias_width);
                add_rows(sums, row_ptr<T>(d_input_gates, row, G), bs, G, bias_width);
                if (Cell::hidden_gates_differ) add_rows(sums + G, d_hidden, bs, G, bias_width);
            }
            // dh_{t-1} = d_hidden_gates W_hh, plus what the cell's direct path left in dh.
            hidden_product(bs, d_hidden, Cell::direct_path ? T(1) : T(0), dh_rows, Hout);
        }
    });

    // 4. Gradients of the input and of the weights, each one GEMM over all steps.
    autograd::Gradients out(8);
    if (s.input_needs_grad) {  // not for a first layer fed with data
        out[0] = empty({N, p.input_size}, dtype);
        const kernels::WeightProduct<T> input_grad(G, p.input_size, s.w_ih.get().data_ptr<T>(),
                                                   MatrixRef{false, p.input_size});  // W_ih
        parallel_for(N, recurrent::input_grain(p), [&](std::int64_t r0, std::int64_t r1) {
            input_grad(r1 - r0, row_ptr<T>(d_input_gates, r0, G), T(0),
                       row_ptr<T>(out[0], r0, p.input_size), p.input_size);
        });
    }
    out[1] = dh;
    out[2] = dc;
    out[3] = empty({G, p.input_size}, dtype);
    kernels::gemm(G, p.input_size, N, T(1), d_input_gates.data_ptr<T>(), MatrixRef{true, G},
                  x.data_ptr<T>(), MatrixRef{false, p.input_size}, T(0), out[3].data_ptr<T>(),
                  p.input_size);
    out[4] = empty({G, Hout}, dtype);
    kernels::gemm(G, Hout, N, T(1), d_hidden_gates.data_ptr<T>(), MatrixRef{true, G},
                  a.h_prev.data_ptr<T>(), MatrixRef{false, Hout}, T(0), out[4].data_ptr<T>(), Hout);
    if (s.has_bias) {
        Tensor sums = bias_rows.sum(0);
        out[5] = sums.narrow(0, 0, G).clone();
        out[6] = sums.narrow(0, Cell::hidden_gates_differ ? G : 0, G).clone();
    }
    if (p.projected) {
        out[7] = empty({Hout, H}, dtype);
        kernels::gemm(Hout, H, N, T(1), dh_all.data_ptr<T>(), MatrixRef{true, Hout},
                      a.m.data_ptr<T>(), MatrixRef{false, H}, T(0), out[7].data_ptr<T>(), H);
    }
    return out;
}

template <class Cell>
RecurrentLayerOutput fused_layer(const Tensor& input, const std::vector<std::int64_t>& batch_sizes,
                                 const Tensor& h0, const Tensor& c0,
                                 const RecurrentWeights& weights, bool reverse) {
    Plan plan = recurrent::make_plan(Cell::gates, input, batch_sizes, weights, reverse);
    recurrent::validate(plan, Cell::has_cell_state, input, h0, c0, weights);

    // BLAS reads these as plain row-major matrices.
    auto plain = [](const Tensor& t) { return t.defined() ? t.contiguous().detach() : Tensor(); };
    Tensor x = plain(input);
    RecurrentWeights w{plain(weights.w_ih), plain(weights.w_hh), plain(weights.b_ih),
                       plain(weights.b_hh), plain(weights.w_hr)};
    std::vector<Tensor> inputs{input,        h0,           c0,           weights.w_ih,
                               weights.w_hh, weights.b_ih, weights.b_hh, weights.w_hr};
    const bool record = autograd::any_requires_grad(inputs);
    auto activations = std::make_shared<Activations>();
    RecurrentLayerOutput out = dispatch_floating(input.dtype(), "recurrent_layer", [&]<class T>() {
        return forward_steps<Cell, T>(plan, x, h0.detach(), plain(c0), w, *activations, record);
    });
    if (!record) return out;

    std::vector<Tensor> outputs{out.output, out.h_n};
    if (Cell::has_cell_state) outputs.push_back(out.c_n);
    using autograd::SavedTensor;
    auto saved = std::make_shared<Saved>(
        Saved{SavedTensor(x), SavedTensor(w.w_ih), SavedTensor(w.w_hh), SavedTensor(w.w_hr),
              SavedTensor(out.output.detach()), w.b_ih.defined(), input.requires_grad()});
    outputs = autograd::record(
        fmt::format("{}_layer", Cell::name), inputs, outputs,
        [plan, activations, saved](const std::vector<Tensor>& grads) {
            return dispatch_floating(saved->x.get().dtype(), "recurrent_layer", [&]<class T>() {
                return backward_steps<Cell, T>(plan, *saved, *activations, grads);
            });
        });
    out.output = outputs[0];
    out.h_n = outputs[1];
    if (Cell::has_cell_state) out.c_n = outputs[2];
    return out;
}

}  // namespace

std::int64_t gate_count(CellKind kind) {
    return with_cell(kind, []<class Cell>() { return Cell::gates; });
}

RecurrentLayerOutput recurrent_layer(CellKind kind, const Tensor& input,
                                     const std::vector<std::int64_t>& batch_sizes, const Tensor& h0,
                                     const Tensor& c0, const RecurrentWeights& weights,
                                     bool reverse) {
    check(input.dim() == 2, "recurrent_layer: expected input rows of shape (N, I), got {}",
          input.shape());
    check(weights.w_ih.dim() == 2 && weights.w_hh.dim() == 2 && h0.dim() == 2,
          "recurrent_layer: weight_ih, weight_hh and h0 must be 2-D");
    return with_cell(kind, [&]<class Cell>() {
        return fused_layer<Cell>(input, batch_sizes, h0, c0, weights, reverse);
    });
}

}  // namespace lucid
