// Element-wise functions and their derivatives, each written beside its forward.
#include "lucidpp/ops/unary.hpp"

#include <algorithm>
#include <cmath>

#include "lucidpp/autograd/function.hpp"
#include "lucidpp/autograd/grad_mode.hpp"
#include "lucidpp/kernels/activation.hpp"
#include "lucidpp/ops/arithmetic.hpp"
#include "lucidpp/ops/broadcast.hpp"
#include "lucidpp/ops/comparison.hpp"
#include "lucidpp/tensor/creation.hpp"

namespace lucid {

using autograd::Gradients;
using autograd::SavedTensor;

namespace {

// float32 takes kernels/activation.hpp's vectorised loop (fast_math.hpp's error, whatever the
// layout); float64 the libm function `exact`, as PyTorch.
template <class Exact>
Tensor activation(const Tensor& x, std::string_view op,
                  void (*fast)(const float*, float*, std::int64_t), Exact exact) {
    if (x.dtype() != float32) return ops::map_floating(x, op, exact);
    const Tensor dense = x.contiguous();
    Tensor y = empty(x.shape(), float32);
    fast(dense.data_ptr<float>(), y.data_ptr<float>(), x.numel());
    return y;
}

// The backward `composed(grad, y)` as one loop `fused`, which rounds the same, unless the
// backward is itself being recorded (create_graph) or the operands differ in shape or dtype.
template <class Fused, class Composed>
Tensor activation_grad(const Tensor& grad, const Tensor& y, Fused fused, Composed composed) {
    const bool recorded = GradMode::is_enabled() && autograd::any_requires_grad({grad, y});
    if (recorded || grad.shape() != y.shape() || grad.dtype() != y.dtype()) {
        return composed(grad, y);
    }
    const Tensor dense_grad = grad.contiguous(), dense_y = y.contiguous();
    Tensor dx = empty(y.shape(), y.dtype());
    dispatch_floating(y.dtype(), "activation backward", [&]<class T>() {
        fused(dense_grad.data_ptr<T>(), dense_y.data_ptr<T>(), dx.data_ptr<T>(), y.numel());
    });
    return dx;
}

}  // namespace

Tensor pow(const Tensor& x, double exponent) {
    Tensor y = ops::map_floating(x, "pow", [exponent](auto v) {
        return static_cast<decltype(v)>(std::pow(v, exponent));
    });
    if (!autograd::any_requires_grad({x})) return y;
    return autograd::record("pow", {x}, y, [exponent, x = SavedTensor(x)](const Tensor& grad) {
        // d x^p / dx = p x^(p-1); for p = 0 that is 0 everywhere, also where x^-1 is infinite
        if (exponent == 0.0) return Gradients{zeros_like(grad)};
        return Gradients{grad * exponent * pow(x.get(), exponent - 1.0)};
    });
}

Tensor sqrt(const Tensor& x) {
    Tensor y = ops::map_floating(x, "sqrt", [](auto v) { return std::sqrt(v); });
    if (!autograd::any_requires_grad({x})) return y;
    return autograd::record("sqrt", {x}, y, [y = SavedTensor(y)](const Tensor& grad) {
        return Gradients{grad / (2.0 * y.get())};  // d sqrt(x)/dx = 1 / (2 sqrt(x))
    });
}

Tensor exp(const Tensor& x) {
    Tensor y = activation(x, "exp", kernels::exp_forward, [](auto v) { return std::exp(v); });
    if (!autograd::any_requires_grad({x})) return y;
    return autograd::record("exp", {x}, y, [y = SavedTensor(y)](const Tensor& grad) {
        return Gradients{grad * y.get()};  // d exp(x)/dx = exp(x)
    });
}

Tensor log(const Tensor& x) {
    Tensor y = ops::map_floating(x, "log", [](auto v) { return std::log(v); });
    if (!autograd::any_requires_grad({x})) return y;
    return autograd::record("log", {x}, y, [x = SavedTensor(x)](const Tensor& grad) {
        return Gradients{grad / x.get()};  // d log(x)/dx = 1/x
    });
}

Tensor abs(const Tensor& x) {
    Tensor y = ops::map(x, [](auto v) { return v < 0 ? -v : v; });
    if (!autograd::any_requires_grad({x})) return y;
    return autograd::record("abs", {x}, y, [x = SavedTensor(x)](const Tensor& grad) {
        // d|x|/dx = sign(x), taken as 0 at 0
        Tensor sign = ops::map(x.get(), [](auto v) {
            return static_cast<decltype(v)>((v > 0) - (v < 0));
        });
        return Gradients{grad * sign};
    });
}

Tensor tanh(const Tensor& x) {
    Tensor y = activation(x, "tanh", kernels::tanh_forward, [](auto v) { return std::tanh(v); });
    if (!autograd::any_requires_grad({x})) return y;
    return autograd::record("tanh", {x}, y, [y = SavedTensor(y)](const Tensor& grad) {
        // d tanh(x)/dx = 1 - tanh(x)^2
        return Gradients{activation_grad(
            grad, y.get(), [](auto... a) { kernels::tanh_backward(a...); },
            [](const Tensor& g, const Tensor& t) { return g * (1.0 - t * t); })};
    });
}

Tensor sigmoid(const Tensor& x) {
    // Written so that exp never overflows: for v < 0, e^v / (1 + e^v).
    Tensor y = activation(x, "sigmoid", kernels::sigmoid_forward, [](auto v) {
        using T = decltype(v);
        if (v >= 0) return T(1) / (T(1) + std::exp(-v));
        T e = std::exp(v);
        return e / (T(1) + e);
    });
    if (!autograd::any_requires_grad({x})) return y;
    return autograd::record("sigmoid", {x}, y, [y = SavedTensor(y)](const Tensor& grad) {
        // d sigma(x)/dx = sigma(x) (1 - sigma(x))
        return Gradients{activation_grad(
            grad, y.get(), [](auto... a) { kernels::sigmoid_backward(a...); },
            [](const Tensor& g, const Tensor& s) { return g * s * (1.0 - s); })};
    });
}

Tensor relu(const Tensor& x) {
    // NaN passes through, as in PyTorch, so that a diverging model is not hidden.
    Tensor y = ops::map(x, [](auto v) {
        return v > 0 || std::isnan(static_cast<double>(v)) ? v : decltype(v)(0);
    });
    if (!autograd::any_requires_grad({x})) return y;
    return autograd::record("relu", {x}, y, [y = SavedTensor(y)](const Tensor& grad) {
        return Gradients{grad * (y.get() > 0.0)};  // 1 where the output is positive
    });
}

Tensor clamp(const Tensor& x, double min, double max) {
    check(min <= max, "clamp: min ({}) must not exceed max ({})", min, max);
    // Compared as doubles: an infinite bound (clamp_min, clamp_max) has no int64 value.
    Tensor y = ops::map(x, [min, max](auto v) {
        using T = decltype(v);
        double value = static_cast<double>(v);
        return value < min ? static_cast<T>(min) : value > max ? static_cast<T>(max) : v;
    });
    if (!autograd::any_requires_grad({x})) return y;
    return autograd::record("clamp", {x}, y, [min, max, x = SavedTensor(x)](const Tensor& grad) {
        // The gradient passes where min <= x <= max, as in PyTorch.
        const Tensor& v = x.get();
        return Gradients{grad * (v >= min) * (v <= max)};
    });
}

Tensor clamp_min(const Tensor& x, double min) { return clamp(x, min, INFINITY); }
Tensor clamp_max(const Tensor& x, double max) { return clamp(x, -INFINITY, max); }

namespace {

// Shared by maximum and minimum. As in PyTorch, a NaN on either side wins (std::max would
// return its first argument), the loser gets no gradient, a tie splits it, and where a NaN
// makes both comparisons false both sides get all of it.
Tensor pick(const Tensor& a, const Tensor& b, const char* op, bool take_max) {
    Tensor out = ops::zip(a, b, op, [take_max](auto x, auto y) {
        if (x != x) return x;  // NaN
        if (y != y) return y;
        return take_max ? std::max(x, y) : std::min(x, y);
    });
    if (!autograd::any_requires_grad({a, b})) return out;
    return autograd::record(
        op, {a, b}, out,
        [take_max, sa = SavedTensor(a), sb = SavedTensor(b), shape_a = a.shape(),
         shape_b = b.shape(), dtype_a = a.dtype(), dtype_b = b.dtype()](const Tensor& grad) {
            const Tensor& x = sa.get();
            const Tensor& y = sb.get();
            Tensor a_loses = take_max ? lt(x, y) : gt(x, y);
            Tensor b_loses = take_max ? gt(x, y) : lt(x, y);
            Tensor tie = 1.0 - 0.5 * eq(x, y);
            return Gradients{sum_to(grad * (1.0 - a_loses) * tie, shape_a).to(dtype_a),
                             sum_to(grad * (1.0 - b_loses) * tie, shape_b).to(dtype_b)};
        });
}

}  // namespace

Tensor maximum(const Tensor& a, const Tensor& b) { return pick(a, b, "maximum", true); }
Tensor minimum(const Tensor& a, const Tensor& b) { return pick(a, b, "minimum", false); }

Tensor Tensor::pow(double exponent) const { return lucid::pow(*this, exponent); }
Tensor Tensor::sqrt() const { return lucid::sqrt(*this); }
Tensor Tensor::exp() const { return lucid::exp(*this); }
Tensor Tensor::log() const { return lucid::log(*this); }
Tensor Tensor::abs() const { return lucid::abs(*this); }
Tensor Tensor::tanh() const { return lucid::tanh(*this); }
Tensor Tensor::sigmoid() const { return lucid::sigmoid(*this); }
Tensor Tensor::relu() const { return lucid::relu(*this); }
Tensor Tensor::clamp(double min, double max) const { return lucid::clamp(*this, min, max); }

}  // namespace lucid
