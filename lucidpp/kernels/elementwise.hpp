#pragma once
// Element-wise loops: a contiguous fast path with a plain loop the compiler vectorises, and a
// strided path for views and broadcasts. The functor is a template parameter, so there is no
// virtual call or std::function per element. Included by op implementation files only.
#include "lucidpp/kernels/strided.hpp"
#include "lucidpp/tensor/tensor.hpp"

namespace lucid::kernels {

// out[i] = fn(in[i]); `out` is fresh and contiguous with in's shape.
template <class In, class Out, class Fn>
void unary(const Tensor& in, const Tensor& out, Fn fn) {
    const In* src = in.data_ptr<In>();
    Out* dst = out.data_ptr<Out>();
    if (in.is_contiguous()) {
        for (std::int64_t i = 0, n = in.numel(); i < n; ++i) dst[i] = fn(src[i]);
        return;
    }
    std::array<const Strides*, 1> strides{&in.strides()};
    for_each_row<1>(in.shape(), strides, {0}, [&](Offsets<1> at, Offsets<1> step, std::int64_t n) {
        for (std::int64_t i = 0; i < n; ++i) *dst++ = fn(src[at[0] + i * step[0]]);
    });
}

// out[i] = fn(a[i], b[i]); a and b already have out's shape (broadcast dims have stride 0).
template <class A, class B, class Out, class Fn>
void binary(const Tensor& a, const Tensor& b, const Tensor& out, Fn fn) {
    const A* pa = a.data_ptr<A>();
    const B* pb = b.data_ptr<B>();
    Out* dst = out.data_ptr<Out>();
    const std::int64_t n = out.numel();
    const bool a_dense = a.is_contiguous(), b_dense = b.is_contiguous();
    if (a_dense && b_dense) {
        for (std::int64_t i = 0; i < n; ++i) dst[i] = fn(pa[i], pb[i]);
        return;
    }
    if (a_dense && b.numel() > 0 && b.shape() == out.shape() &&
        b.impl().strides == Strides(b.dim(), 0)) {
        const B scalar = pb[0];
        for (std::int64_t i = 0; i < n; ++i) dst[i] = fn(pa[i], scalar);
        return;
    }
    std::array<const Strides*, 2> strides{&a.strides(), &b.strides()};
    for_each_row<2>(out.shape(), strides, {0, 0},
                    [&](Offsets<2> at, Offsets<2> step, std::int64_t len) {
                        for (std::int64_t i = 0; i < len; ++i) {
                            *dst++ = fn(pa[at[0] + i * step[0]], pb[at[1] + i * step[1]]);
                        }
                    });
}

// out[i] = fn(a[i], b[i], c[i]) with all three already of out's shape.
template <class A, class B, class C, class Out, class Fn>
void ternary(const Tensor& a, const Tensor& b, const Tensor& c, const Tensor& out, Fn fn) {
    const A* pa = a.data_ptr<A>();
    const B* pb = b.data_ptr<B>();
    const C* pc = c.data_ptr<C>();
    Out* dst = out.data_ptr<Out>();
    std::array<const Strides*, 3> strides{&a.strides(), &b.strides(), &c.strides()};
    for_each_row<3>(
        out.shape(), strides, {0, 0, 0}, [&](Offsets<3> at, Offsets<3> step, std::int64_t len) {
            for (std::int64_t i = 0; i < len; ++i) {
                *dst++ =
                    fn(pa[at[0] + i * step[0]], pb[at[1] + i * step[1]], pc[at[2] + i * step[2]]);
            }
        });
}

// dst[i] = fn(dst[i], src[i]) in place; dst may be any view, src has dst's shape.
template <class Dst, class Src, class Fn>
void update(const Tensor& dst, const Tensor& src, Fn fn) {
    Dst* pd = dst.data_ptr<Dst>();
    const Src* ps = src.data_ptr<Src>();
    if (dst.is_contiguous() && src.is_contiguous()) {
        for (std::int64_t i = 0, n = dst.numel(); i < n; ++i) pd[i] = fn(pd[i], ps[i]);
        return;
    }
    std::array<const Strides*, 2> strides{&dst.strides(), &src.strides()};
    for_each_row<2>(dst.shape(), strides, {0, 0},
                    [&](Offsets<2> at, Offsets<2> step, std::int64_t len) {
                        for (std::int64_t i = 0; i < len; ++i) {
                            Dst& d = pd[at[0] + i * step[0]];
                            d = fn(d, ps[at[1] + i * step[1]]);
                        }
                    });
}

}  // namespace lucid::kernels
