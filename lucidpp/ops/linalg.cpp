// matmul through cblas. For C = A B the gradients are dA = dC B^T and dB = A^T dC, summed over
// broadcast batch dims; the transposes are views that reach BLAS as flags.
#include "lucidpp/ops/linalg.hpp"

#include <algorithm>
#include <optional>

#include "lucidpp/autograd/function.hpp"
#include "lucidpp/kernels/copy.hpp"
#include "lucidpp/kernels/gemm.hpp"
#include "lucidpp/kernels/strided.hpp"
#include "lucidpp/ops/arithmetic.hpp"

namespace lucid {

using autograd::Gradients;
using autograd::SavedTensor;

namespace {

// How BLAS can read a (rows, cols) view without a copy, if it can: row-major with unit column
// stride, or the transpose of such a matrix.
std::optional<kernels::MatrixRef> blas_layout(std::int64_t rows, std::int64_t cols,
                                              std::int64_t row_stride, std::int64_t col_stride) {
    if ((cols <= 1 || col_stride == 1) && (rows <= 1 || row_stride >= cols)) {
        return kernels::MatrixRef{false, rows <= 1 ? std::max<std::int64_t>(cols, 1) : row_stride};
    }
    if ((rows <= 1 || row_stride == 1) && (cols <= 1 || col_stride >= rows)) {
        return kernels::MatrixRef{true, cols <= 1 ? std::max<std::int64_t>(rows, 1) : col_stride};
    }
    return std::nullopt;
}

// A view of x whose last two dims BLAS can read, copying only when it must.
Tensor blas_ready(const Tensor& x, kernels::MatrixRef& layout) {
    const std::int64_t d = x.dim();
    auto found = blas_layout(x.shape()[d - 2], x.shape()[d - 1], x.strides()[d - 2],
                             x.strides()[d - 1]);
    if (found) {
        layout = *found;
        return x;
    }
    Tensor copy = kernels::contiguous_copy(x, x.dtype());
    layout = {false, std::max<std::int64_t>(x.shape()[d - 1], 1)};
    return copy;
}

// (..., n, k) @ (..., k, m) with batch broadcasting; both at least 2-D.
Tensor batched_matmul(const Tensor& a, const Tensor& b) {
    const Shape& sa = a.shape();
    const Shape& sb = b.shape();
    const std::int64_t n = sa[sa.size() - 2], k = sa.back(), m = sb.back();
    Shape batch = broadcast_shapes(Shape(sa.begin(), sa.end() - 2), Shape(sb.begin(), sb.end() - 2),
                                   "matmul");
    Shape shape_a = batch, shape_b = batch, shape_out = batch;
    shape_a.insert(shape_a.end(), {n, k});
    shape_b.insert(shape_b.end(), {k, m});
    shape_out.insert(shape_out.end(), {n, m});

    kernels::MatrixRef layout_a{}, layout_b{};
    Tensor va = blas_ready(kernels::broadcast_to(a, shape_a, "matmul"), layout_a);
    Tensor vb = blas_ready(kernels::broadcast_to(b, shape_b, "matmul"), layout_b);
    Tensor out = empty(shape_out, a.dtype(), "matmul");
    Strides out_strides = out.strides();
    Strides strides_a(va.strides().begin(), va.strides().end() - 2);
    Strides strides_b(vb.strides().begin(), vb.strides().end() - 2);
    Strides strides_c(out_strides.begin(), out_strides.end() - 2);

    dispatch_floating(a.dtype(), "matmul", [&]<class T>() {
        const T* pa = va.data_ptr<T>();
        const T* pb = vb.data_ptr<T>();
        T* pc = out.data_ptr<T>();
        if (k == 0) std::fill(pc, pc + out.numel(), T(0));
        if (k == 0) return;
        auto one = [&](std::int64_t oa, std::int64_t ob, std::int64_t oc) {
            kernels::gemm(n, m, k, T(1), pa + oa, layout_a, pb + ob, layout_b, T(0), pc + oc,
                          std::max<std::int64_t>(m, 1));
        };
        std::array<const Strides*, 3> strides{&strides_a, &strides_b, &strides_c};
        kernels::for_each_row<3>(batch, strides, {0, 0, 0},
                                 [&](kernels::Offsets<3> at, kernels::Offsets<3> step,
                                     std::int64_t count) {
                                     for (std::int64_t i = 0; i < count; ++i) {
                                         one(at[0] + i * step[0], at[1] + i * step[1],
                                             at[2] + i * step[2]);
                                     }
                                 });
    });
    return out;
}

Tensor matmul_2d_or_more(const Tensor& a, const Tensor& b) {
    Tensor out = batched_matmul(a, b);
    if (!autograd::any_requires_grad({a, b})) return out;
    return autograd::record(
        "matmul", {a, b}, out,
        [sa = SavedTensor(a), sb = SavedTensor(b), need_a = a.requires_grad(),
         need_b = b.requires_grad(), shape_a = a.shape(), shape_b = b.shape()](const Tensor& grad) {
            Gradients grads(2);
            if (need_a) grads[0] = sum_to(matmul(grad, sb.get().transpose(-1, -2)), shape_a);
            if (need_b) grads[1] = sum_to(matmul(sa.get().transpose(-1, -2), grad), shape_b);
            return grads;
        });
}

}  // namespace

Tensor matmul(const Tensor& a, const Tensor& b) {
    check(a.dim() >= 1 && b.dim() >= 1,
          "matmul: both arguments need to be at least 1D, but they are {}D and {}D", a.dim(),
          b.dim());
    check(a.is_floating_point() && b.is_floating_point(),
          "matmul: expected floating point tensors, got {} and {}", a.dtype(), b.dtype());
    check(a.dtype() == b.dtype(),
          "matmul: expected both tensors to have the same dtype, but got {} and {}", a.dtype(),
          b.dtype());
    const std::int64_t k_b = b.dim() == 1 ? b.size(0) : b.size(-2);
    check(a.size(-1) == k_b, "matmul: shapes {} and {} cannot be multiplied ({} != {})",
          a.shape(), b.shape(), a.size(-1), k_b);

    if (a.dim() == 1 && b.dim() == 1) return matmul_2d_or_more(a.unsqueeze(0), b.unsqueeze(1)).reshape({});
    if (a.dim() == 1) return matmul_2d_or_more(a.unsqueeze(0), b).squeeze(-2);
    if (b.dim() == 1) return matmul_2d_or_more(a, b.unsqueeze(1)).squeeze(-1);
    return matmul_2d_or_more(a, b);
}

Tensor mm(const Tensor& a, const Tensor& b) {
    check(a.dim() == 2 && b.dim() == 2, "mm: expected 2D tensors, got shapes {} and {}", a.shape(),
          b.shape());
    return matmul(a, b);
}

Tensor Tensor::matmul(const Tensor& other) const { return lucid::matmul(*this, other); }

}  // namespace lucid
