#pragma once
// The float32 element-wise exp, sigmoid and tanh over contiguous buffers, and the backward of
// sigmoid and tanh, with fast_math.hpp's vectorisable functions (its header states their error
// against libm). unary.cpp calls them for contiguous float32 tensors; float64 stays on libm.
#include <cstdint>

namespace lucid::kernels {

void exp_forward(const float* x, float* y, std::int64_t n);
void sigmoid_forward(const float* x, float* y, std::int64_t n);
void tanh_forward(const float* x, float* y, std::int64_t n);

// dx = grad * (1 - y^2) and dx = grad * y * (1 - y), from the forward's output y, rounded as
// the composed tensor expressions (each operation in T, left to right).
void tanh_backward(const float* grad, const float* y, float* dx, std::int64_t n);
void tanh_backward(const double* grad, const double* y, double* dx, std::int64_t n);
void sigmoid_backward(const float* grad, const float* y, float* dx, std::int64_t n);
void sigmoid_backward(const double* grad, const double* y, double* dx, std::int64_t n);

}  // namespace lucid::kernels
