#pragma once
// Shared test helpers.
#include <doctest/doctest.h>

#include <string>
#include <type_traits>
#include <utility>
#include <vector>

#include "lucidpp/io/atomic_file.hpp"
#include "lucidpp/io/json_fields.hpp"
#include "lucidpp/lucid.hpp"

namespace lucid::testing {

// A JSON file parsed as the library parses its files: errors name the file (not JSON,
// truncated, trailing bytes, a number beyond a double).
inline nlohmann::ordered_json read_json_file(const std::string& path) {
    return io::parse_ordered_json(io::read_file(path), path);
}

#ifdef LUCIDPP_TEST_DATA
// A golden file of tests/data (docs/formats.md, section 4).
inline nlohmann::ordered_json read_golden(const std::string& name) {
    return read_json_file(std::string(LUCIDPP_TEST_DATA) + "/" + name);
}
#endif

// Runs `read` on the part `key` of a golden file: a malformed part (a missing key, a value of the
// wrong type or range, which the readers meet as nlohmann exceptions from .at() and get<>())
// becomes lucid::Error "<file>: <key>: <problem>".
template <class Read>
void reading_golden(const std::string& file, const std::string& key, Read&& read) {
    try {
        read();
    } catch (const nlohmann::json::exception& error) {
        throw Error(io::where(file, key, error.what()));
    }
}

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
