#pragma once
// Shape: the sizes of a tensor's dimensions, and the helpers every op uses to check them.
#include <fmt/format.h>

#include <cstdint>
#include <initializer_list>
#include <optional>
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

// Size arithmetic. Every product or sum of sizes, strides, offsets and element counts goes
// through these, so that a result int64 cannot hold is an error and never wraps (signed
// overflow is undefined behaviour; a wrapped size once made a 2^64-byte tensor of 0 bytes).
// try_*: the result, or nullopt when it does not fit. checked_*: the result, or a lucid::Error
// "<op>: ... overflows int64 ... for shape <shape>".
std::optional<std::int64_t> try_mul(std::int64_t a, std::int64_t b);
std::optional<std::int64_t> try_add(std::int64_t a, std::int64_t b);
std::int64_t checked_mul(std::int64_t a, std::int64_t b, std::string_view op, const Shape& shape);
std::int64_t checked_add(std::int64_t a, std::int64_t b, std::string_view op, const Shape& shape);

// The element count. The sizes must be non-negative and their product must fit int64, else a
// lucid::Error names `op` and the shape. A tensor's shape always passes (empty() checks it).
std::int64_t numel(const Shape& shape, std::string_view op = "numel");
Strides contiguous_strides(const Shape& shape, std::string_view op = "contiguous_strides");

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
