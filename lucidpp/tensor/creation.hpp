#pragma once
// Functions that make new tensors, named and shaped as in PyTorch.
#include <concepts>
#include <cstdint>
#include <initializer_list>
#include <span>
#include <vector>

#include "lucidpp/tensor/generator.hpp"
#include "lucidpp/tensor/tensor.hpp"

namespace lucid {

// `values` are row-major; their count must equal the shape's element count.
Tensor tensor(const std::vector<double>& values, const Shape& shape, Dtype dtype = float32);
Tensor tensor(const std::vector<double>& values, Dtype dtype = float32);  // 1-D
Tensor scalar_tensor(double value, Dtype dtype = float32);                // 0-D

// Integers make an int64 tensor, as torch::tensor({1, 2, 3}, float32) does: a braced list of
// integer literals, or a std::vector<std::int64_t> (kept exact, also beyond 2^53). `tensor({1, 2},
// float32, float32)` asks for floats; a list with any floating literal, `{1, 2.5}`, is float32
// already.
namespace detail {
// Not an overload of tensor(): `tensor({}, {0})` would be ambiguous with a span in the set.
Tensor tensor_of_integers(std::span<const std::int64_t> values, const Shape& shape, Dtype dtype);
}  // namespace detail

template <std::integral Integer>
Tensor tensor(std::initializer_list<Integer> values, const Shape& shape, Dtype dtype = int64) {
    const std::vector<std::int64_t> wide(values.begin(), values.end());
    return detail::tensor_of_integers(wide, shape, dtype);
}
template <std::integral Integer>
Tensor tensor(std::initializer_list<Integer> values, Dtype dtype = int64) {  // 1-D
    return tensor(values, Shape{static_cast<std::int64_t>(values.size())}, dtype);
}
// Only a std::vector<std::int64_t> itself: a braced list must not reach it, or {1.5, 2.0} would
// be ambiguous between the two vector overloads.
template <std::same_as<std::vector<std::int64_t>> Values>
Tensor tensor(const Values& values, const Shape& shape, Dtype dtype = int64) {
    return detail::tensor_of_integers(values, shape, dtype);
}
template <std::same_as<std::vector<std::int64_t>> Values>
Tensor tensor(const Values& values, Dtype dtype = int64) {  // 1-D
    return detail::tensor_of_integers(values, Shape{static_cast<std::int64_t>(values.size())},
                                      dtype);
}

Tensor zeros(const Shape& shape, Dtype dtype = float32);
Tensor ones(const Shape& shape, Dtype dtype = float32);
Tensor full(const Shape& shape, double value, Dtype dtype = float32);
Tensor zeros_like(const Tensor& other);
Tensor ones_like(const Tensor& other);
Tensor full_like(const Tensor& other, double value);

// [0, end) and [start, end) in steps of `step`.
Tensor arange(double end, Dtype dtype = int64);
Tensor arange(double start, double end, double step = 1.0, Dtype dtype = int64);
Tensor eye(std::int64_t n, Dtype dtype = float32);
Tensor eye(std::int64_t n, std::int64_t m, Dtype dtype = float32);

// Random tensors draw from `generator`, or from the default generator (see manual_seed).
Tensor rand(const Shape& shape, Dtype dtype = float32, Generator* generator = nullptr);
Tensor randn(const Shape& shape, Dtype dtype = float32, Generator* generator = nullptr);
// Integers in [low, high), int64 unless `dtype` says otherwise (torch::randint's dtype option: a
// floating dtype holds the same draws, rounded where it cannot hold them exactly).
Tensor randint(std::int64_t low, std::int64_t high, const Shape& shape,
               Generator* generator = nullptr);
Tensor randint(std::int64_t low, std::int64_t high, const Shape& shape, Dtype dtype,
               Generator* generator = nullptr);

// Fills a contiguous buffer from a generator; the in-place uniform_/normal_ use these.
void fill_uniform(const Tensor& out, double low, double high, Generator* generator);
void fill_normal(const Tensor& out, double mean, double stddev, Generator* generator);

}  // namespace lucid
