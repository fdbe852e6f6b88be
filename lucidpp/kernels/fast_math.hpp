#pragma once
// Branch-free exp, sigmoid and tanh for the fused gate kernels and the float32 element-wise ops.
// The float versions are written so that the compiler can vectorise a loop of them (a libm call
// cannot be); the double versions call libm, because float64 results must match PyTorch to 1e-10.
//
// exp(x) = 2^n exp(r) with n = round(x / ln 2) and |r| <= ln(2) / 2, and exp(r) from Cephes'
// degree-7 polynomial for expf.
//
// The gate kernels use exp_fast, sigmoid_fast and tanh_fast; the element-wise ops (exp, sigmoid,
// tanh on float32 tensors) use exp_precise, sigmoid_fast and tanh_precise, which cost more
// instructions (an AVX2 loop of tanh_precise takes 49 per 8 floats, of tanh_fast 32; exp_precise
// 48) to keep libm's range and relative accuracy everywhere. Error against the exact function (libm
// in double precision), measured over every fifth float with and without FMA contraction;
// tests/test_fast_math.cpp checks a sample against the bounds in brackets:
//   exp_precise   1.02 ulp (2) where expf is a normal float; where it is subnormal
//                 (x < -87.34) the result is 0, an absolute error below 1.2e-38
//   sigmoid_fast  2.47 ulp (3) where the result is a normal float, an absolute error below
//                 1.2e-38 where it is not (0 for x < -88.38)
//   tanh_precise  3.0 ulp (4), also near 0 and for subnormal x
//   exp_fast      as exp_precise up to x = 88.38, then +inf (expf overflows at 88.72)
//   tanh_fast     absolute error below 3e-7, relative error large for |x| < 1e-3 (0 for tiny x)
// All reach their limits exactly: exp(-inf) = 0, exp(+inf) = +inf, sigmoid(-inf) = 0,
// sigmoid(+inf) = 1, tanh(+-inf) = +-1; NaN gives NaN.
#include <algorithm>
#include <bit>
#include <cmath>
#include <cstdint>
#include <limits>

namespace lucid::kernels {

namespace detail {

// exp(r) for |r| <= ln(2) / 2.
inline float exp_reduced(float r) {
    float p = 1.9875691500e-4f;
    p = p * r + 1.3981999507e-3f;
    p = p * r + 8.3334519073e-3f;
    p = p * r + 4.1665795894e-2f;
    p = p * r + 1.6666665459e-1f;
    p = p * r + 5.0000001201e-1f;
    return p * r * r + r + 1.0f;
}

// 2^n as float bits: (n + 127) << 23, for an integral n in [-127, 128] (-127 gives 0, 128 +inf).
// Adding 1.5 * 2^23 puts the integer n + 127 in the low mantissa bits, read without a
// float->int conversion (undefined behaviour for NaN).
inline float exp2_integer(float n) {
    const std::uint32_t biased = std::bit_cast<std::uint32_t>(n + (12582912.0f + 127.0f));
    return std::bit_cast<float>(biased << 23);
}

}  // namespace detail

// The limits hold, so that sigmoid and tanh reach theirs exactly: exp(-inf) = 0 (results below
// about 8e-39 flush to 0), exp(+inf) = +inf (from x = 128.5 ln 2, 0.4% short of where expf
// overflows, since 2^n with n = 128 is the infinity bit pattern), and exp(NaN) = NaN.
inline float exp_fast(float x) {
    x = std::clamp(x, -88.0f, 89.0f);  // NaN passes through and carries on to the result
    const float n = std::floor(x * 1.44269504088896341f + 0.5f);
    const float r = x - n * 0.693359375f + n * 2.12194440e-4f;  // ln 2 split in two for accuracy
    return detail::exp_reduced(r) * detail::exp2_integer(n);
}

inline float sigmoid_fast(float x) {
    return 1.0f / (1.0f + exp_fast(-x));
}

// tanh(x) = 1 - 2 / (exp(2x) + 1): exact limits +-1, absolute error below 3e-7.
inline float tanh_fast(float x) {
    return 1.0f - 2.0f / (exp_fast(2.0f * x) + 1.0f);
}

// exp_fast with expf's range: finite up to where expf overflows (2^128 as 2^127 * 2), 0 where
// expf is subnormal.
inline float exp_precise(float x) {
    constexpr float lowest = -87.3365478515625f;           // ln(2^-126), rounded up
    constexpr float highest = 88.72283935546875f;          // the largest x with expf(x) finite
    const float clamped = std::clamp(x, lowest, highest);  // NaN passes through
    const float n = std::floor(clamped * 1.44269504088896341f + 0.5f);
    const float r = clamped - n * 0.693359375f + n * 2.12194440e-4f;
    const float m = std::min(n, 127.0f);
    const float y = detail::exp_reduced(r) * detail::exp2_integer(m) * (n > m ? 2.0f : 1.0f);
    return x < lowest ? 0.0f : x > highest ? std::numeric_limits<float>::infinity() : y;
}

// Near 0, 1 - 2 / (exp(2x) + 1) loses the leading digits (and gives 0 for tiny x): there, Cephes'
// odd polynomial for tanhf, x (1 + x^2 P(x^2)), relative error below 2e-7 for |x| < 0.625.
inline float tanh_precise(float x) {
    const float s = x * x;
    float p = -5.70498872745e-3f;
    p = p * s + 2.06390887954e-2f;
    p = p * s - 5.37397155531e-2f;
    p = p * s + 1.33314422036e-1f;
    p = p * s - 3.33332819422e-1f;
    const float small = x * (1.0f + s * p);  // x (1 + ...), not x + ...: keeps tanh(-0) = -0
    return std::abs(x) < 0.625f ? small : tanh_fast(x);
}

inline double exp_fast(double x) {
    return std::exp(x);
}
inline double sigmoid_fast(double x) {
    return 1.0 / (1.0 + std::exp(-x));
}
inline double tanh_fast(double x) {
    return std::tanh(x);
}

}  // namespace lucid::kernels

// Compiles a function three times on x86-64, for the baseline ISA, for AVX2+FMA (x86-64-v3) and
// for AVX-512 (x86-64-v4), and picks the version at load time: the default build stays
// portable, and machines that have AVX2 get 8-wide gate kernels. The AVX-512 version made the
// small LSTM's training step 7% faster on an AMD EPYC (docs/performance.md). Not on clang: 14
// accepts "arch=x86-64-v3" but its resolver never picks that clone (it tests the CPU vendor).
#if defined(__x86_64__) && defined(__GNUC__) && !defined(__clang__)
#define LUCID_TARGET_CLONES \
    __attribute__((target_clones("arch=x86-64-v4", "arch=x86-64-v3", "default")))
#else
#define LUCID_TARGET_CLONES
#endif

// Before an inner loop over the hidden units whose stores go to several blocks of one buffer
// ([i, f, g, o, c_prev, c] of a row): the blocks never overlap, but H is known only at run
// time, and with more than a few such blocks GCC gives up proving it and does not vectorise.
// clang's pragma also demands vectorisation, and warns where it cannot (the float64 instances
// call libm): those loops are meant to stay scalar.
#if defined(__clang__)
#define LUCID_NO_LOOP_CARRIED_DEPENDENCE                  \
    _Pragma("clang diagnostic ignored \"-Wpass-failed\"") \
        _Pragma("clang loop vectorize(assume_safety)")
#elif defined(__GNUC__)
#define LUCID_NO_LOOP_CARRIED_DEPENDENCE _Pragma("GCC ivdep")
#else
#define LUCID_NO_LOOP_CARRIED_DEPENDENCE
#endif
