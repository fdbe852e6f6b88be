#include "lucidpp/tensor/creation.hpp"

#include <cmath>
#include <mutex>

namespace lucid {

namespace {

template <class T, class Fn>
void fill_contiguous(const Tensor& out, Fn&& value_at) {
    T* data = out.data_ptr<T>();
    for (std::int64_t i = 0, n = out.numel(); i < n; ++i) data[i] = static_cast<T>(value_at(i));
}

template <class Fn>
void fill_each(const Tensor& out, Fn&& value_at) {
    check(out.is_contiguous(), "fill: expected a contiguous tensor");
    dispatch(out.dtype(), [&]<class T>() { fill_contiguous<T>(out, value_at); });
}

// tensor(): row-major values (doubles or int64s) into a new tensor of `shape`.
template <class Values>
Tensor from_values(const Values& values, const Shape& shape, Dtype dtype) {
    const std::int64_t count = numel(shape, "tensor");
    check(static_cast<std::int64_t>(values.size()) == count,
          "tensor: {} values cannot fill shape {} of {} elements", values.size(), shape, count);
    Tensor out = empty(shape, dtype, "tensor");
    fill_each(out, [&](std::int64_t i) { return values[static_cast<std::size_t>(i)]; });
    return out;
}

Generator& pick(Generator* generator) {
    return generator ? *generator : default_generator();
}

Tensor filled(const Shape& shape, double value, Dtype dtype, std::string_view op) {
    Tensor out = empty(shape, dtype, op);
    fill_each(out, [&](std::int64_t) { return value; });
    return out;
}

// The element count of arange(start, end, step): ceil((end - start) / step), which must be
// finite and fit int64 before it is cast (a float->int cast of anything else is undefined).
std::int64_t arange_length(double start, double end, double step) {
    check(std::isfinite(start) && std::isfinite(end) && std::isfinite(step),
          "arange: unsupported range: {} -> {} (step {})", start, end, step);
    check(step != 0.0, "arange: step must be nonzero");
    check((end - start) / step >= 0.0,
          "arange: upper bound and larger bound inconsistent with step sign (start={}, end={}, "
          "step={})",
          start, end, step);
    const double length = std::ceil((end - start) / step);
    // 2^63 is the first double above INT64_MAX; an infinite quotient fails here too.
    check(length < 9223372036854775808.0,
          "arange: invalid size: [{}, {}) in steps of {} has {} elements, more than int64 holds",
          start, end, step, length);
    return static_cast<std::int64_t>(length);
}

}  // namespace

Tensor tensor(const std::vector<double>& values, const Shape& shape, Dtype dtype) {
    return from_values(values, shape, dtype);
}

Tensor detail::tensor_of_integers(std::span<const std::int64_t> values, const Shape& shape,
                                  Dtype dtype) {
    return from_values(values, shape, dtype);
}

Tensor tensor(const std::vector<double>& values, Dtype dtype) {
    return tensor(values, Shape{static_cast<std::int64_t>(values.size())}, dtype);
}

Tensor scalar_tensor(double value, Dtype dtype) {
    return full(Shape{}, value, dtype);
}

Tensor zeros(const Shape& shape, Dtype dtype) {
    return filled(shape, 0.0, dtype, "zeros");
}
Tensor ones(const Shape& shape, Dtype dtype) {
    return filled(shape, 1.0, dtype, "ones");
}

Tensor full(const Shape& shape, double value, Dtype dtype) {
    return filled(shape, value, dtype, "full");
}

Tensor zeros_like(const Tensor& other) {
    return zeros(other.shape(), other.dtype());
}
Tensor ones_like(const Tensor& other) {
    return ones(other.shape(), other.dtype());
}
Tensor full_like(const Tensor& other, double value) {
    return full(other.shape(), value, other.dtype());
}

Tensor arange(double end, Dtype dtype) {
    return arange(0.0, end, 1.0, dtype);
}

Tensor arange(double start, double end, double step, Dtype dtype) {
    Tensor out = empty(Shape{arange_length(start, end, step)}, dtype, "arange");
    fill_each(out, [&](std::int64_t i) { return start + static_cast<double>(i) * step; });
    return out;
}

Tensor eye(std::int64_t n, Dtype dtype) {
    return eye(n, n, dtype);
}

Tensor eye(std::int64_t n, std::int64_t m, Dtype dtype) {
    check(n >= 0 && m >= 0, "eye: n and m must be non-negative, got n={} and m={}", n, m);
    Tensor out = empty(Shape{n, m}, dtype, "eye");
    fill_each(out, [&](std::int64_t i) { return i / m == i % m ? 1.0 : 0.0; });
    return out;
}

void fill_uniform(const Tensor& out, double low, double high, Generator* generator) {
    check(low <= high, "uniform_: expects low <= high, but got low={} and high={}", low, high);
    Generator& gen = pick(generator);
    std::lock_guard lock(gen.mutex());
    fill_each(out, [&](std::int64_t) { return gen.uniform(low, high); });
}

void fill_normal(const Tensor& out, double mean, double stddev, Generator* generator) {
    check(stddev >= 0.0, "normal_: expects std >= 0.0, but found std {}", stddev);
    Generator& gen = pick(generator);
    std::lock_guard lock(gen.mutex());
    fill_each(out, [&](std::int64_t) { return gen.normal(mean, stddev); });
}

Tensor rand(const Shape& shape, Dtype dtype, Generator* generator) {
    check(is_floating_point(dtype), "rand: expected a floating point dtype, got {}", dtype);
    Tensor out = empty(shape, dtype, "rand");
    fill_uniform(out, 0.0, 1.0, generator);
    return out;
}

Tensor randn(const Shape& shape, Dtype dtype, Generator* generator) {
    check(is_floating_point(dtype), "randn: expected a floating point dtype, got {}", dtype);
    Tensor out = empty(shape, dtype, "randn");
    fill_normal(out, 0.0, 1.0, generator);
    return out;
}

Tensor randint(std::int64_t low, std::int64_t high, const Shape& shape, Generator* generator) {
    return randint(low, high, shape, int64, generator);
}

Tensor randint(std::int64_t low, std::int64_t high, const Shape& shape, Dtype dtype,
               Generator* generator) {
    check(low < high, "randint: expected low < high, got low={} and high={}", low, high);
    Generator& gen = pick(generator);
    std::lock_guard lock(gen.mutex());
    Tensor out = empty(shape, dtype, "randint");
    dispatch(dtype, [&]<class T>() {
        fill_contiguous<T>(out, [&](std::int64_t) { return gen.randint(low, high); });
    });
    return out;
}

}  // namespace lucid
