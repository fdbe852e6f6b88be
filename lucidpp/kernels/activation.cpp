#include "lucidpp/kernels/activation.hpp"

#include "lucidpp/kernels/fast_math.hpp"

namespace lucid::kernels {

LUCID_TARGET_CLONES void exp_forward(const float* x, float* y, std::int64_t n) {
    for (std::int64_t i = 0; i < n; ++i) y[i] = exp_precise(x[i]);
}

LUCID_TARGET_CLONES void sigmoid_forward(const float* x, float* y, std::int64_t n) {
    for (std::int64_t i = 0; i < n; ++i) y[i] = sigmoid_fast(x[i]);
}

LUCID_TARGET_CLONES void tanh_forward(const float* x, float* y, std::int64_t n) {
    for (std::int64_t i = 0; i < n; ++i) y[i] = tanh_precise(x[i]);
}

namespace {

template <class T>
void tanh_backward_loop(const T* grad, const T* y, T* dx, std::int64_t n) {
    for (std::int64_t i = 0; i < n; ++i) dx[i] = grad[i] * (T(1) - y[i] * y[i]);
}

template <class T>
void sigmoid_backward_loop(const T* grad, const T* y, T* dx, std::int64_t n) {
    for (std::int64_t i = 0; i < n; ++i) dx[i] = grad[i] * y[i] * (T(1) - y[i]);
}

}  // namespace

LUCID_TARGET_CLONES void tanh_backward(const float* grad, const float* y, float* dx,
                                       std::int64_t n) {
    tanh_backward_loop(grad, y, dx, n);
}
// The float64 loops stay on the baseline ISA: GCC contracts a * b + c into one FMA where the
// target has it, and float64 must round as the composed ops (and PyTorch) do.
void tanh_backward(const double* grad, const double* y, double* dx, std::int64_t n) {
    tanh_backward_loop(grad, y, dx, n);
}
LUCID_TARGET_CLONES void sigmoid_backward(const float* grad, const float* y, float* dx,
                                          std::int64_t n) {
    sigmoid_backward_loop(grad, y, dx, n);
}
void sigmoid_backward(const double* grad, const double* y, double* dx, std::int64_t n) {
    sigmoid_backward_loop(grad, y, dx, n);
}

}  // namespace lucid::kernels
