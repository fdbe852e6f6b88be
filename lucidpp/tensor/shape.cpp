#include "lucidpp/tensor/shape.hpp"

#include <algorithm>
#include <optional>

#include "lucidpp/tensor/error.hpp"

namespace lucid {

std::optional<std::int64_t> try_mul(std::int64_t a, std::int64_t b) {
    std::int64_t out = 0;
    if (__builtin_mul_overflow(a, b, &out)) return std::nullopt;
    return out;
}

std::optional<std::int64_t> try_add(std::int64_t a, std::int64_t b) {
    std::int64_t out = 0;
    if (__builtin_add_overflow(a, b, &out)) return std::nullopt;
    return out;
}

std::int64_t checked_mul(std::int64_t a, std::int64_t b, std::string_view op, const Shape& shape) {
    std::optional<std::int64_t> out = try_mul(a, b);
    check(out.has_value(), "{}: {} * {} overflows int64 for shape {}", op, a, b, shape);
    return *out;
}

std::int64_t checked_add(std::int64_t a, std::int64_t b, std::string_view op, const Shape& shape) {
    std::optional<std::int64_t> out = try_add(a, b);
    check(out.has_value(), "{}: {} + {} overflows int64 for shape {}", op, a, b, shape);
    return *out;
}

std::int64_t numel(const Shape& shape, std::string_view op) {
    std::int64_t count = 1;
    bool has_zero = false, overflowed = false;
    for (std::int64_t size : shape) {
        check(size >= 0, "{}: negative dimension {} in shape {}", op, size, shape);
        has_zero = has_zero || size == 0;
        overflowed = __builtin_mul_overflow(count, size, &count) || overflowed;
    }
    if (has_zero) return 0;  // even when the other sizes' product overflows, as in PyTorch
    check(!overflowed, "{}: shape {} has too many elements (their count overflows int64)", op,
          shape);
    return count;
}

Strides contiguous_strides(const Shape& shape, std::string_view op) {
    Strides strides(shape.size());
    std::int64_t stride = 1;
    for (std::size_t i = shape.size(); i-- > 0;) {
        strides[i] = stride;
        if (i > 0) stride = checked_mul(stride, std::max<std::int64_t>(shape[i], 1), op, shape);
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
    numel(out, op);  // (2^32, 1) and (1, 2^32) broadcast to 2^64 elements
    return out;
}

}  // namespace lucid
