// + - * / and their gradients. Each backward returns d(loss)/d(input) = chain rule applied to
// the incoming gradient, reduced with sum_to to the input's own (pre-broadcast) shape.
#include "lucidpp/ops/arithmetic.hpp"

#include <cmath>

#include "lucidpp/autograd/function.hpp"
#include "lucidpp/ops/broadcast.hpp"
#include "lucidpp/ops/copy.hpp"
#include "lucidpp/tensor/creation.hpp"

namespace lucid {

using autograd::Gradients;
using autograd::SavedTensor;

namespace {

// The gradient that reaches an input: summed over its broadcast dims, in its own dtype.
// `needed` lets mul and div skip the product for an input that takes no gradient (a scalar).
struct InputMeta {
    Shape shape;
    Dtype dtype;
    bool needed;
    explicit InputMeta(const Tensor& x)
        : shape(x.shape()), dtype(x.dtype()), needed(x.requires_grad()) {}
    Tensor reduce(const Tensor& grad) const {
        Tensor summed = sum_to(grad, shape);
        return summed.dtype() == dtype ? summed : summed.to(dtype);
    }
};

Tensor scalar_like(const Tensor& x, double value) {
    bool integral = std::trunc(value) == value;
    Dtype dtype = x.dtype() == int64 && !integral ? float32 : x.dtype();
    return scalar_tensor(value, dtype);
}

}  // namespace

Tensor add(const Tensor& a, const Tensor& b) {
    Tensor out = ops::zip(a, b, "add", [](auto x, auto y) { return x + y; });
    return autograd::record("add", {a, b}, out,
                            [ma = InputMeta(a), mb = InputMeta(b)](const Tensor& grad) {
                                return Gradients{ma.reduce(grad), mb.reduce(grad)};
                            });
}

Tensor sub(const Tensor& a, const Tensor& b) {
    Tensor out = ops::zip(a, b, "sub", [](auto x, auto y) { return x - y; });
    return autograd::record("sub", {a, b}, out,
                            [ma = InputMeta(a), mb = InputMeta(b)](const Tensor& grad) {
                                return Gradients{ma.reduce(grad), mb.reduce(-grad)};
                            });
}

Tensor mul(const Tensor& a, const Tensor& b) {
    Tensor out = ops::zip(a, b, "mul", [](auto x, auto y) { return x * y; });
    if (!autograd::any_requires_grad({a, b})) return out;
    return autograd::record("mul", {a, b}, out,
                            [ma = InputMeta(a), mb = InputMeta(b), sa = SavedTensor(a),
                             sb = SavedTensor(b)](const Tensor& grad) {
                                // d(ab)/da = b, d(ab)/db = a
                                return Gradients{
                                    ma.needed ? ma.reduce(grad * sb.get()) : Tensor(),
                                    mb.needed ? mb.reduce(grad * sa.get()) : Tensor()};
                            });
}

Tensor div(const Tensor& a, const Tensor& b) {
    // True division: integers divide as floats, as in PyTorch.
    Dtype dtype = promote_types(promote_types(a.dtype(), b.dtype()), float32);
    Tensor out = ops::zip(ops::converted(a, dtype), ops::converted(b, dtype), "div",
                          [](auto x, auto y) { return x / y; });
    if (!autograd::any_requires_grad({a, b})) return out;
    return autograd::record("div", {a, b}, out,
                            [ma = InputMeta(a), mb = InputMeta(b), sa = SavedTensor(a),
                             sb = SavedTensor(b)](const Tensor& grad) {
                                // d(a/b)/da = 1/b, d(a/b)/db = -a/b^2
                                const Tensor& b = sb.get();
                                return Gradients{
                                    ma.needed ? ma.reduce(grad / b) : Tensor(),
                                    mb.needed ? mb.reduce(-grad * sa.get() / (b * b)) : Tensor()};
                            });
}

Tensor neg(const Tensor& x) {
    Tensor out = ops::map(x, [](auto v) { return -v; });
    return autograd::record("neg", {x}, out,
                            [](const Tensor& grad) { return Gradients{-grad}; });
}

Tensor operator+(const Tensor& a, const Tensor& b) { return add(a, b); }
Tensor operator-(const Tensor& a, const Tensor& b) { return sub(a, b); }
Tensor operator*(const Tensor& a, const Tensor& b) { return mul(a, b); }
Tensor operator/(const Tensor& a, const Tensor& b) { return div(a, b); }
Tensor operator-(const Tensor& x) { return neg(x); }

Tensor operator+(const Tensor& a, double b) { return add(a, scalar_like(a, b)); }
Tensor operator+(double a, const Tensor& b) { return add(scalar_like(b, a), b); }
Tensor operator-(const Tensor& a, double b) { return sub(a, scalar_like(a, b)); }
Tensor operator-(double a, const Tensor& b) { return sub(scalar_like(b, a), b); }
Tensor operator*(const Tensor& a, double b) { return mul(a, scalar_like(a, b)); }
Tensor operator*(double a, const Tensor& b) { return mul(scalar_like(b, a), b); }
Tensor operator/(const Tensor& a, double b) { return div(a, scalar_like(a, b)); }
Tensor operator/(double a, const Tensor& b) { return div(scalar_like(b, a), b); }

Tensor sum_to(const Tensor& grad, const Shape& shape) {
    if (grad.shape() == shape) return grad;
    // Accumulate through a stride-0 view of the result: every broadcast copy of an element
    // adds into the same slot.
    Tensor out = zeros(shape, grad.dtype());
    kernels::add_into(kernels::broadcast_to(out, grad.shape(), "sum_to"), grad);
    return autograd::record("sum_to", {grad}, out, [from = grad.shape()](const Tensor& g) {
        return Gradients{kernels::broadcast_to(g, from, "sum_to").contiguous()};
    });
}

}  // namespace lucid
