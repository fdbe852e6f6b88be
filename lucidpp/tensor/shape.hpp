#pragma once
// Shape: the sizes of a tensor's dimensions, and the helpers every op uses to check them.
#include <fmt/format.h>

#include <cstdint>
#include <initializer_list>
#include <string>
#include <string_view>
#include <vector>

namespace lucid {

struct Shape : std::vector<std::int64_t> {
    using std::vector<std::int64_t>::vector;
    Shape() = default;
    Shape(const std::vector<std::int64_t>& sizes) : std::vector<std::int64_t>(sizes) {}
    Shape(std::vector<std::int64_t>&& sizes) : std::vector<std::int64_t>(std::move(sizes)) {}
};

// Strides count elements, not bytes, as in PyTorch.
using Strides = std::vector<std::int64_t>;

std::int64_t numel(const Shape& shape);
Strides contiguous_strides(const Shape& shape);

// "(2, 3)"; a scalar's shape is "()".
std::string to_string(const Shape& shape);

// Wraps a possibly negative `dim` into [0, ndim); `op` names the caller in the error.
std::int64_t normalize_dim(std::int64_t dim, std::int64_t ndim, std::string_view op);

// NumPy broadcasting: aligns trailing dims; sizes must match or one of them must be 1.
Shape broadcast_shapes(const Shape& a, const Shape& b, std::string_view op);

}  // namespace lucid

template <>
struct fmt::formatter<lucid::Shape> : fmt::formatter<std::string_view> {
    auto format(const lucid::Shape& shape, fmt::format_context& ctx) const {
        return fmt::formatter<std::string_view>::format(lucid::to_string(shape), ctx);
    }
};
