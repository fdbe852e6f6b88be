#pragma once
// Element types. float32 is the default, as in PyTorch.
#include <cstddef>
#include <cstdint>
#include <string_view>

#include "lucidpp/tensor/error.hpp"

namespace lucid {

enum class Dtype : std::uint8_t { float32, float64, int64 };

inline constexpr Dtype float32 = Dtype::float32;
inline constexpr Dtype float64 = Dtype::float64;
inline constexpr Dtype int64 = Dtype::int64;

std::string_view dtype_name(Dtype dtype);
std::size_t element_size(Dtype dtype);
bool is_floating_point(Dtype dtype);

// The dtype of a binary op's result: int64 < float32 < float64, as torch.result_type.
Dtype promote_types(Dtype a, Dtype b);

template <class T> constexpr Dtype dtype_of();
template <> constexpr Dtype dtype_of<float>() { return float32; }
template <> constexpr Dtype dtype_of<double>() { return float64; }
template <> constexpr Dtype dtype_of<std::int64_t>() { return int64; }

// Calls `fn.template operator()<T>()` with the C++ type T of `dtype`:
//   dispatch(t.dtype(), [&]<class T>() { ... });
template <class Fn>
decltype(auto) dispatch(Dtype dtype, Fn&& fn) {
    switch (dtype) {
        case Dtype::float32: return fn.template operator()<float>();
        case Dtype::float64: return fn.template operator()<double>();
        case Dtype::int64: return fn.template operator()<std::int64_t>();
    }
    throw Error("dispatch: unknown dtype");
}

// As dispatch, for ops defined on floating point tensors only; `op` names the op in the error.
template <class Fn>
decltype(auto) dispatch_floating(Dtype dtype, std::string_view op, Fn&& fn) {
    switch (dtype) {
        case Dtype::float32: return fn.template operator()<float>();
        case Dtype::float64: return fn.template operator()<double>();
        case Dtype::int64: break;
    }
    throw Error(fmt::format("{}: expected a floating point tensor, got {}", op, dtype_name(dtype)));
}

}  // namespace lucid

template <>
struct fmt::formatter<lucid::Dtype> : fmt::formatter<std::string_view> {
    auto format(lucid::Dtype dtype, fmt::format_context& ctx) const {
        return fmt::formatter<std::string_view>::format(lucid::dtype_name(dtype), ctx);
    }
};
