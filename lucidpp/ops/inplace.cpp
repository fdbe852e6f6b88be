// In-place ops. They bump the storage version, which is how autograd notices a saved tensor
// that changed under it. They refuse tensors that require grad while recording is on: write
// to parameters under NoGradGuard, as optimizers do.
#include <cmath>

#include "lucidpp/autograd/grad_mode.hpp"
#include "lucidpp/kernels/copy.hpp"
#include "lucidpp/kernels/elementwise.hpp"
#include "lucidpp/tensor/creation.hpp"

namespace lucid {

namespace {

void check_writable(const Tensor& t, const char* op) {
    check(!(GradMode::is_enabled() && t.requires_grad()),
          "{}: a {} that requires grad is being used in an in-place operation; modify it under "
          "lucid::NoGradGuard, or use the out-of-place op",
          op, t.is_leaf() ? "leaf tensor" : "tensor");
}

// dst[i] = fn(dst[i], src[i]) with src broadcast to dst's shape and converted to its dtype.
template <class Fn>
void update(Tensor& dst, const Tensor& src, const char* op, Fn fn) {
    check_writable(dst, op);
    check(dst.is_floating_point() || !src.is_floating_point(),
          "{}: result type {} can't be cast to the desired output type {}", op, src.dtype(),
          dst.dtype());
    Tensor source = kernels::broadcast_to(src.dtype() == dst.dtype()
                                              ? src
                                              : kernels::contiguous_copy(src, dst.dtype()),
                                          dst.shape(), op);
    dispatch(dst.dtype(), [&]<class T>() { kernels::update<T, T>(dst, source, fn); });
    dst.impl().storage->bump_version();
}

// A Python-like scalar: a fraction next to an int64 tensor is a float, which update() refuses.
Tensor scalar(const Tensor& like, double value) {
    bool fraction = like.dtype() == int64 && std::trunc(value) != value;
    return scalar_tensor(value, fraction ? float32 : like.dtype());
}

}  // namespace

Tensor& Tensor::add_(const Tensor& other, double alpha) {
    update(*this, other, "add_", [alpha](auto x, auto y) {
        return static_cast<decltype(x)>(x + alpha * y);
    });
    return *this;
}
Tensor& Tensor::add_(double value) { return add_(scalar(*this, value)); }
Tensor& Tensor::sub_(const Tensor& other) { return add_(other, -1.0); }
Tensor& Tensor::mul_(const Tensor& other) {
    update(*this, other, "mul_", [](auto x, auto y) { return x * y; });
    return *this;
}
Tensor& Tensor::mul_(double value) { return mul_(scalar(*this, value)); }
Tensor& Tensor::div_(const Tensor& other) {
    update(*this, other, "div_", [](auto x, auto y) { return x / y; });
    return *this;
}
Tensor& Tensor::div_(double value) { return div_(scalar_tensor(value, float64)); }
Tensor& Tensor::zero_() { return fill_(0.0); }
Tensor& Tensor::fill_(double value) {
    update(*this, scalar_tensor(value, dtype()), "fill_", [](auto, auto y) { return y; });
    return *this;
}
Tensor& Tensor::copy_(const Tensor& source) {
    check_writable(*this, "copy_");
    kernels::copy_into(*this, source);
    impl().storage->bump_version();
    return *this;
}
Tensor& Tensor::clamp_(double min, double max) {
    check(min <= max, "clamp_: min ({}) must not exceed max ({})", min, max);
    update(*this, scalar(*this, 0.0), "clamp_", [min, max](auto x, auto) {
        using T = decltype(x);
        return x < static_cast<T>(min) ? static_cast<T>(min)
                                       : (x > static_cast<T>(max) ? static_cast<T>(max) : x);
    });
    return *this;
}

Tensor& Tensor::uniform_(double low, double high, Generator* generator) {
    check_writable(*this, "uniform_");
    check(is_floating_point(), "uniform_: expected a floating point tensor, got {}", dtype());
    Tensor values = empty(shape(), dtype());
    fill_uniform(values, low, high, generator);
    kernels::copy_into(*this, values);
    impl().storage->bump_version();
    return *this;
}

Tensor& Tensor::normal_(double mean, double stddev, Generator* generator) {
    check_writable(*this, "normal_");
    check(is_floating_point(), "normal_: expected a floating point tensor, got {}", dtype());
    Tensor values = empty(shape(), dtype());
    fill_normal(values, mean, stddev, generator);
    kernels::copy_into(*this, values);
    impl().storage->bump_version();
    return *this;
}

}  // namespace lucid
