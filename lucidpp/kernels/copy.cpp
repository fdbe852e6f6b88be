#include "lucidpp/kernels/copy.hpp"

#include <cstring>

#include "lucidpp/kernels/elementwise.hpp"

namespace lucid::kernels {

Tensor contiguous_copy(const Tensor& src, Dtype dtype) {
    Tensor out = empty(src.shape(), dtype);
    if (src.dtype() == dtype && src.is_contiguous()) {
        std::memcpy(static_cast<void*>(out.impl().storage->data()),
                    src.impl().storage->data() + src.storage_offset() * element_size(dtype),
                    static_cast<std::size_t>(src.numel()) * element_size(dtype));
        return out;
    }
    copy_into(out, src);
    return out;
}

Tensor broadcast_to(const Tensor& src, const Shape& shape, std::string_view op) {
    if (src.shape() == shape) return src;
    const std::int64_t ndim = static_cast<std::int64_t>(shape.size());
    const std::int64_t lead = ndim - src.dim();
    check(lead >= 0, "{}: cannot broadcast shape {} to {}", op, src.shape(), shape);
    Strides strides(shape.size(), 0);
    for (std::int64_t i = 0; i < src.dim(); ++i) {
        std::int64_t size = src.shape()[i];
        check(size == shape[i + lead] || size == 1, "{}: cannot broadcast shape {} to {}", op,
              src.shape(), shape);
        strides[i + lead] = size == 1 ? 0 : src.strides()[i];
    }
    return as_strided_view(src, shape, std::move(strides), src.storage_offset());
}

void copy_into(const Tensor& dst, const Tensor& src) {
    Tensor source = broadcast_to(src, dst.shape(), "copy_");
    dispatch(dst.dtype(), [&]<class D>() {
        dispatch(source.dtype(), [&]<class S>() {
            update<D, S>(dst, source, [](D, S value) { return static_cast<D>(value); });
        });
    });
}

void add_into(const Tensor& dst, const Tensor& src) {
    check(dst.dtype() == src.dtype(), "add_into: dtypes {} and {} differ", dst.dtype(),
          src.dtype());
    Tensor source = broadcast_to(src, dst.shape(), "add_");
    dispatch(dst.dtype(), [&]<class T>() {
        update<T, T>(dst, source, [](T into, T value) { return into + value; });
    });
}

Tensor add(const Tensor& a, const Tensor& b) {
    check(a.shape() == b.shape() && a.dtype() == b.dtype(),
          "add: internal gradient sum of shapes {} and {}", a.shape(), b.shape());
    Tensor out = empty(a.shape(), a.dtype());
    dispatch(a.dtype(),
             [&]<class T>() { binary<T, T, T>(a, b, out, [](T x, T y) { return x + y; }); });
    return out;
}

}  // namespace lucid::kernels
