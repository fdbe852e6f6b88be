#pragma once
// Shared by the element-wise op families (internal): promotes two operands to one dtype and
// broadcasts them to one shape, as views where possible.
#include <string_view>

#include "lucidpp/kernels/copy.hpp"
#include "lucidpp/kernels/elementwise.hpp"

namespace lucid::ops {

struct Broadcast {
    Tensor a, b;  // converted to `dtype` and viewed at `shape`
    Shape shape;
    Dtype dtype;
};

inline Tensor converted(const Tensor& x, Dtype dtype) {
    return x.dtype() == dtype ? x : kernels::contiguous_copy(x, dtype);
}

inline Broadcast broadcast(const Tensor& a, const Tensor& b, std::string_view op) {
    Shape shape = broadcast_shapes(a.shape(), b.shape(), op);
    Dtype dtype = promote_types(a.dtype(), b.dtype());
    return {kernels::broadcast_to(converted(a, dtype), shape, op),
            kernels::broadcast_to(converted(b, dtype), shape, op), shape, dtype};
}

// out = fn(a, b) element-wise in the promoted dtype.
template <class Fn>
Tensor zip(const Tensor& a, const Tensor& b, std::string_view op, Fn fn) {
    Broadcast in = broadcast(a, b, op);
    Tensor out = empty(in.shape, in.dtype);
    dispatch(in.dtype, [&]<class T>() { kernels::binary<T, T, T>(in.a, in.b, out, fn); });
    return out;
}

// out = fn(x) element-wise, for any dtype.
template <class Fn>
Tensor map(const Tensor& x, Fn fn) {
    Tensor out = empty(x.shape(), x.dtype());
    dispatch(x.dtype(), [&]<class T>() { kernels::unary<T, T>(x, out, fn); });
    return out;
}

// out = fn(x) element-wise, for floating point x only; `op` names the op in the error.
template <class Fn>
Tensor map_floating(const Tensor& x, std::string_view op, Fn fn) {
    Tensor out = empty(x.shape(), x.dtype());
    dispatch_floating(x.dtype(), op, [&]<class T>() { kernels::unary<T, T>(x, out, fn); });
    return out;
}

}  // namespace lucid::ops
