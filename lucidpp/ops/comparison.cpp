// Comparisons (masks, no gradient) and the selections where/masked_fill (differentiable).
#include "lucidpp/ops/comparison.hpp"

#include "lucidpp/autograd/function.hpp"
#include "lucidpp/ops/arithmetic.hpp"
#include "lucidpp/ops/broadcast.hpp"
#include "lucidpp/tensor/creation.hpp"

namespace lucid {

using autograd::Gradients;

namespace {

template <class Compare>
Tensor compare(const Tensor& a, const Tensor& b, const char* op, Compare cmp) {
    ops::Broadcast in = ops::broadcast(a, b, op);
    Tensor mask = empty(in.shape, int64);
    dispatch(in.dtype, [&]<class T>() {
        kernels::binary<T, T, std::int64_t>(in.a, in.b, mask, [cmp](T x, T y) {
            return static_cast<std::int64_t>(cmp(x, y));
        });
    });
    return mask;
}

Tensor scalar_for(const Tensor& a, double b) { return scalar_tensor(b, a.dtype() == int64 ? float64 : a.dtype()); }

}  // namespace

Tensor eq(const Tensor& a, const Tensor& b) { return compare(a, b, "eq", [](auto x, auto y) { return x == y; }); }
Tensor ne(const Tensor& a, const Tensor& b) { return compare(a, b, "ne", [](auto x, auto y) { return x != y; }); }
Tensor lt(const Tensor& a, const Tensor& b) { return compare(a, b, "lt", [](auto x, auto y) { return x < y; }); }
Tensor le(const Tensor& a, const Tensor& b) { return compare(a, b, "le", [](auto x, auto y) { return x <= y; }); }
Tensor gt(const Tensor& a, const Tensor& b) { return compare(a, b, "gt", [](auto x, auto y) { return x > y; }); }
Tensor ge(const Tensor& a, const Tensor& b) { return compare(a, b, "ge", [](auto x, auto y) { return x >= y; }); }

Tensor operator==(const Tensor& a, const Tensor& b) { return eq(a, b); }
Tensor operator!=(const Tensor& a, const Tensor& b) { return ne(a, b); }
Tensor operator<(const Tensor& a, const Tensor& b) { return lt(a, b); }
Tensor operator<=(const Tensor& a, const Tensor& b) { return le(a, b); }
Tensor operator>(const Tensor& a, const Tensor& b) { return gt(a, b); }
Tensor operator>=(const Tensor& a, const Tensor& b) { return ge(a, b); }
Tensor operator==(const Tensor& a, double b) { return eq(a, scalar_for(a, b)); }
Tensor operator!=(const Tensor& a, double b) { return ne(a, scalar_for(a, b)); }
Tensor operator<(const Tensor& a, double b) { return lt(a, scalar_for(a, b)); }
Tensor operator<=(const Tensor& a, double b) { return le(a, scalar_for(a, b)); }
Tensor operator>(const Tensor& a, double b) { return gt(a, scalar_for(a, b)); }
Tensor operator>=(const Tensor& a, double b) { return ge(a, scalar_for(a, b)); }

Tensor where(const Tensor& condition, const Tensor& a, const Tensor& b) {
    check(condition.dtype() == int64,
          "where: expected condition to be an int64 mask (from a comparison), got {}",
          condition.dtype());
    Shape shape = broadcast_shapes(broadcast_shapes(condition.shape(), a.shape(), "where"),
                                   b.shape(), "where");
    Dtype dtype = promote_types(a.dtype(), b.dtype());
    Tensor cond = kernels::broadcast_to(condition, shape, "where");
    Tensor va = kernels::broadcast_to(ops::converted(a, dtype), shape, "where");
    Tensor vb = kernels::broadcast_to(ops::converted(b, dtype), shape, "where");
    Tensor out = empty(shape, dtype);
    dispatch(dtype, [&]<class T>() {
        kernels::ternary<std::int64_t, T, T, T>(cond, va, vb, out, [](std::int64_t c, T x, T y) {
            return c != 0 ? x : y;
        });
    });
    return autograd::record(
        "where", {a, b}, out,
        [mask = condition.detach(), shape_a = a.shape(), shape_b = b.shape(),
         dtype_a = a.dtype(), dtype_b = b.dtype()](const Tensor& grad) {
            Tensor zero = zeros_like(grad);
            return Gradients{sum_to(where(mask, grad, zero), shape_a).to(dtype_a),
                             sum_to(where(mask, zero, grad), shape_b).to(dtype_b)};
        });
}

Tensor masked_fill(const Tensor& x, const Tensor& mask, double value) {
    check(mask.dtype() == int64, "masked_fill: expected an int64 mask, got {}", mask.dtype());
    Shape shape = broadcast_shapes(x.shape(), mask.shape(), "masked_fill");
    check(shape == x.shape(), "masked_fill: mask of shape {} cannot broadcast to input shape {}",
          mask.shape(), x.shape());
    Tensor fill = scalar_tensor(value, x.dtype());
    return where(mask, fill, x);
}

}  // namespace lucid
