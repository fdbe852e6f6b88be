// Reductions. A reduction over one dim views the (contiguous) input as (outer, n, inner) and
// reduces the middle axis. Gradients: sum spreads the incoming gradient back over the reduced
// dim; max/min send it to the chosen element.
#include "lucidpp/ops/reduction.hpp"

#include <cmath>
#include <limits>

#include "lucidpp/autograd/function.hpp"
#include "lucidpp/ops/arithmetic.hpp"
#include "lucidpp/ops/comparison.hpp"
#include "lucidpp/ops/unary.hpp"
#include "lucidpp/tensor/creation.hpp"

namespace lucid {

using autograd::Gradients;
using autograd::SavedTensor;

namespace {

// The (outer, n, inner) split of x around `dim`, and the output shape.
struct Axis {
    std::int64_t dim, outer = 1, n = 1, inner = 1;
    Shape out_shape;
};

Axis axis_of(const Tensor& x, std::int64_t dim, bool keepdim, const char* op) {
    Axis axis;
    axis.dim = normalize_dim(dim, x.dim(), op);
    for (std::int64_t i = 0; i < x.dim(); ++i) {
        std::int64_t size = x.shape()[i];
        if (i < axis.dim) axis.outer *= size;
        if (i == axis.dim) axis.n = size;
        if (i > axis.dim) axis.inner *= size;
        if (i != axis.dim || keepdim) axis.out_shape.push_back(i == axis.dim ? 1 : size);
    }
    return axis;
}

// out[o, i] = fold over j of x[o, j, i], starting from `init`; returns values (and indices).
template <class T, class Step>
void reduce_axis(const Tensor& x, const Axis& axis, T init, const Tensor& values,
                 const Tensor* indices, Step step) {
    Tensor in = x.contiguous();
    const T* src = in.data_ptr<T>();
    T* dst = values.data_ptr<T>();
    std::int64_t* where = indices ? indices->data_ptr<std::int64_t>() : nullptr;
    for (std::int64_t o = 0; o < axis.outer; ++o) {
        for (std::int64_t i = 0; i < axis.inner; ++i) {
            T acc = init;
            std::int64_t best = 0;
            for (std::int64_t j = 0; j < axis.n; ++j) {
                if (step(acc, src[(o * axis.n + j) * axis.inner + i])) best = j;
            }
            dst[o * axis.inner + i] = acc;
            if (where) where[o * axis.inner + i] = best;
        }
    }
}

// The gradient of a reduced tensor, spread back over the reduced dim (a stride-0 view).
Tensor spread(const Tensor& grad, const Shape& input_shape, std::int64_t dim, bool keepdim) {
    if (input_shape.empty()) return grad.reshape({});
    return (keepdim ? grad : grad.unsqueeze(dim)).expand(input_shape);
}

enum class Extreme { max, min };

template <class T>
bool better(Extreme kind, T candidate, T current) {
    // NaN wins, as in PyTorch, so that it propagates.
    if (std::isnan(static_cast<double>(candidate))) return !std::isnan(static_cast<double>(current));
    return kind == Extreme::max ? candidate > current : candidate < current;
}

std::tuple<Tensor, Tensor> extreme(const Tensor& x, std::int64_t dim, bool keepdim, Extreme kind,
                                   const char* op) {
    Axis axis = axis_of(x, dim, keepdim, op);
    check(axis.n > 0, "{}: cannot reduce an empty dimension of a tensor of shape {}", op,
          x.shape());
    Tensor values = empty(axis.out_shape, x.dtype());
    Tensor indices = empty(axis.out_shape, int64);
    dispatch(x.dtype(), [&]<class T>() {
        Tensor in = x.contiguous();
        const T* src = in.data_ptr<T>();
        T* dst = values.data_ptr<T>();
        std::int64_t* idx = indices.data_ptr<std::int64_t>();
        for (std::int64_t o = 0; o < axis.outer; ++o) {
            for (std::int64_t i = 0; i < axis.inner; ++i) {
                const T* row = src + o * axis.n * axis.inner + i;
                std::int64_t best = 0;
                for (std::int64_t j = 1; j < axis.n; ++j) {
                    if (better(kind, row[j * axis.inner], row[best * axis.inner])) best = j;
                }
                dst[o * axis.inner + i] = row[best * axis.inner];
                idx[o * axis.inner + i] = best;
            }
        }
    });
    return {values, indices};
}

}  // namespace

Tensor sum(const Tensor& x) {
    Tensor out = empty({}, x.dtype());
    dispatch(x.dtype(), [&]<class T>() {
        Tensor in = x.contiguous();
        const T* src = in.data_ptr<T>();
        // Accumulate in double for floats: a long sum in float32 loses digits.
        using Acc = std::conditional_t<std::is_floating_point_v<T>, double, T>;
        Acc total = 0;
        for (std::int64_t i = 0, n = in.numel(); i < n; ++i) total += src[i];
        *out.data_ptr<T>() = static_cast<T>(total);
    });
    return autograd::record("sum", {x}, out, [shape = x.shape()](const Tensor& grad) {
        return Gradients{grad.expand(shape)};
    });
}

Tensor sum(const Tensor& x, std::int64_t dim, bool keepdim) {
    Axis axis = axis_of(x, dim, keepdim, "sum");
    Tensor out = empty(axis.out_shape, x.dtype());
    dispatch(x.dtype(), [&]<class T>() {
        reduce_axis<T>(x, axis, T(0), out, nullptr, [](T& acc, T v) {
            acc += v;
            return false;
        });
    });
    return autograd::record("sum", {x}, out,
                            [shape = x.shape(), d = axis.dim, keepdim](const Tensor& grad) {
                                return Gradients{spread(grad, shape, d, keepdim)};
                            });
}

Tensor mean(const Tensor& x) {
    check(x.is_floating_point(), "mean: expected a floating point tensor, got {}", x.dtype());
    return sum(x) / static_cast<double>(x.numel());
}

Tensor mean(const Tensor& x, std::int64_t dim, bool keepdim) {
    check(x.is_floating_point(), "mean: expected a floating point tensor, got {}", x.dtype());
    std::int64_t d = normalize_dim(dim, x.dim(), "mean");
    std::int64_t n = x.dim() == 0 ? 1 : x.shape()[d];
    return sum(x, d, keepdim) / static_cast<double>(n);
}

Tensor max(const Tensor& x) {
    check(x.numel() > 0, "max: cannot reduce an empty tensor of shape {}", x.shape());
    Tensor value = std::get<0>(extreme(x.reshape({-1}), 0, false, Extreme::max, "max"));
    if (!autograd::any_requires_grad({x})) return value;
    return autograd::record("max", {x}, value,
                            [sx = SavedTensor(x), sv = SavedTensor(value)](const Tensor& grad) {
                                // Shared evenly among all elements equal to the max.
                                Tensor ties = eq(sx.get(), sv.get());
                                return Gradients{grad * ties / sum(ties).item<double>()};
                            });
}

Tensor min(const Tensor& x) {
    check(x.numel() > 0, "min: cannot reduce an empty tensor of shape {}", x.shape());
    Tensor value = std::get<0>(extreme(x.reshape({-1}), 0, false, Extreme::min, "min"));
    if (!autograd::any_requires_grad({x})) return value;
    return autograd::record("min", {x}, value,
                            [sx = SavedTensor(x), sv = SavedTensor(value)](const Tensor& grad) {
                                Tensor ties = eq(sx.get(), sv.get());
                                return Gradients{grad * ties / sum(ties).item<double>()};
                            });
}

namespace {

std::tuple<Tensor, Tensor> extreme_with_grad(const Tensor& x, std::int64_t dim, bool keepdim,
                                             Extreme kind, const char* op) {
    auto [values, indices] = extreme(x, dim, keepdim, kind, op);
    Axis axis = axis_of(x, dim, keepdim, op);
    values = autograd::record(
        op, {x}, values,
        [indices = indices, axis, shape = x.shape(), dtype = x.dtype()](const Tensor& grad) {
            // The gradient goes to the chosen element of each reduced row.
            Tensor out = zeros(shape, dtype);
            Tensor g = grad.contiguous();
            dispatch(dtype, [&]<class T>() {
                const T* src = g.data_ptr<T>();
                const std::int64_t* idx = indices.data_ptr<std::int64_t>();
                T* dst = out.data_ptr<T>();
                for (std::int64_t o = 0; o < axis.outer; ++o) {
                    for (std::int64_t i = 0; i < axis.inner; ++i) {
                        std::int64_t at = o * axis.inner + i;
                        dst[(o * axis.n + idx[at]) * axis.inner + i] += src[at];
                    }
                }
            });
            return Gradients{out};
        });
    return {values, indices};
}

}  // namespace

std::tuple<Tensor, Tensor> max(const Tensor& x, std::int64_t dim, bool keepdim) {
    return extreme_with_grad(x, dim, keepdim, Extreme::max, "max");
}

std::tuple<Tensor, Tensor> min(const Tensor& x, std::int64_t dim, bool keepdim) {
    return extreme_with_grad(x, dim, keepdim, Extreme::min, "min");
}

Tensor argmax(const Tensor& x) { return std::get<1>(extreme(x.reshape({-1}), 0, false, Extreme::max, "argmax")); }
Tensor argmin(const Tensor& x) { return std::get<1>(extreme(x.reshape({-1}), 0, false, Extreme::min, "argmin")); }
Tensor argmax(const Tensor& x, std::int64_t dim, bool keepdim) {
    return std::get<1>(extreme(x, dim, keepdim, Extreme::max, "argmax"));
}
Tensor argmin(const Tensor& x, std::int64_t dim, bool keepdim) {
    return std::get<1>(extreme(x, dim, keepdim, Extreme::min, "argmin"));
}

namespace {

// The shift that keeps exp() from overflowing; infinite maxima shift by 0 instead.
Tensor finite_shift(const Tensor& maxima) {
    Tensor m = maxima.detach();
    return where(m.abs() == INFINITY, zeros_like(m), m);
}

}  // namespace

// logsumexp(x) = m + log(sum(exp(x - m))), with m the max: the largest term becomes exp(0).
Tensor logsumexp(const Tensor& x) {
    check(x.is_floating_point(), "logsumexp: expected a floating point tensor, got {}", x.dtype());
    Tensor m = finite_shift(max(x));
    return log(sum(exp(x - m))) + m;
}

Tensor logsumexp(const Tensor& x, std::int64_t dim, bool keepdim) {
    check(x.is_floating_point(), "logsumexp: expected a floating point tensor, got {}", x.dtype());
    std::int64_t d = normalize_dim(dim, x.dim(), "logsumexp");
    Tensor m = finite_shift(std::get<0>(max(x, d, true)));
    Tensor out = log(sum(exp(x - m), d, true)) + m;
    return keepdim ? out : out.squeeze(d);
}

Tensor Tensor::sum() const { return lucid::sum(*this); }
Tensor Tensor::sum(std::int64_t dim, bool keepdim) const { return lucid::sum(*this, dim, keepdim); }
Tensor Tensor::mean() const { return lucid::mean(*this); }
Tensor Tensor::mean(std::int64_t dim, bool keepdim) const { return lucid::mean(*this, dim, keepdim); }
Tensor Tensor::max() const { return lucid::max(*this); }
Tensor Tensor::min() const { return lucid::min(*this); }
Tensor Tensor::argmax() const { return lucid::argmax(*this); }
Tensor Tensor::argmax(std::int64_t dim, bool keepdim) const { return lucid::argmax(*this, dim, keepdim); }

}  // namespace lucid
