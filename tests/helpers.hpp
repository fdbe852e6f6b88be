#pragma once
// Shared test helpers.
#include <doctest/doctest.h>

#include <string>
#include <type_traits>
#include <utility>
#include <vector>

#include "lucidpp/lucid.hpp"

namespace lucid::testing {

// Every element of `actual` equals `expected` within tolerance, with a readable failure.
inline void check_values(const Tensor& actual, const std::vector<double>& expected,
                         double tolerance = 1e-6) {
    std::vector<double> values = actual.to_vector<double>();
    REQUIRE(values.size() == expected.size());
    for (std::size_t i = 0; i < values.size(); ++i) {
        INFO("element ", i, " of ", to_string(actual));
        CHECK(values[i] == doctest::Approx(expected[i]).epsilon(tolerance));
    }
}

// A float64 leaf with random normal values that requires grad.
inline Tensor leaf(const Shape& shape, std::uint64_t seed = 0) {
    Generator generator(seed);
    return randn(shape, float64, &generator).requires_grad_();
}

// The message of the lucid::Error that `fn` throws, or "" if it throws none.
template <class Fn>
std::string error_of(Fn&& fn) {
    try {
        fn();
    } catch (const Error& error) {
        return error.what();
    }
    return "";
}

// A module's options() is a const reference to its one stored copy: there is no field to set
// that the module would then ignore.
template <class Module, class Options>
constexpr bool read_only_options =
    std::is_same_v<decltype(std::declval<Module&>().options()), const Options&>;

}  // namespace lucid::testing
