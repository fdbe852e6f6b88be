#include "lucidpp/tensor/shape.hpp"

#include <algorithm>

#include "lucidpp/tensor/error.hpp"

namespace lucid {

std::int64_t numel(const Shape& shape) {
    std::int64_t count = 1;
    for (std::int64_t size : shape) count *= size;
    return count;
}

Strides contiguous_strides(const Shape& shape) {
    Strides strides(shape.size());
    std::int64_t stride = 1;
    for (std::size_t i = shape.size(); i-- > 0;) {
        strides[i] = stride;
        stride *= std::max<std::int64_t>(shape[i], 1);
    }
    return strides;
}

std::string to_string(const Shape& shape) {
    return fmt::format("({})", fmt::join(shape, ", "));
}

std::int64_t normalize_dim(std::int64_t dim, std::int64_t ndim, std::string_view op) {
    std::int64_t low = ndim > 0 ? -ndim : -1;
    std::int64_t high = ndim > 0 ? ndim - 1 : 0;
    check(dim >= low && dim <= high,
          "{}: Dimension out of range (expected to be in range of [{}, {}], but got {})", op, low,
          high, dim);
    return dim < 0 ? dim + std::max<std::int64_t>(ndim, 1) : dim;
}

Shape broadcast_shapes(const Shape& a, const Shape& b, std::string_view op) {
    std::size_t ndim = std::max(a.size(), b.size());
    Shape out(ndim);
    for (std::size_t i = 0; i < ndim; ++i) {
        std::int64_t size_a = i < ndim - a.size() ? 1 : a[i - (ndim - a.size())];
        std::int64_t size_b = i < ndim - b.size() ? 1 : b[i - (ndim - b.size())];
        check(size_a == size_b || size_a == 1 || size_b == 1,
              "{}: shapes {} and {} cannot be broadcast: the size of tensor a ({}) must match the "
              "size of tensor b ({}) at non-singleton dimension {}",
              op, a, b, size_a, size_b, i);
        out[i] = size_a == 1 ? size_b : size_a;
    }
    return out;
}

}  // namespace lucid
