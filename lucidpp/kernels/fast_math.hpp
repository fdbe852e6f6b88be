#pragma once
// Branch-free exp, sigmoid and tanh for the fused gate kernels. The float versions are written
// so that the compiler can vectorise a loop of them (a libm call cannot be); the double versions
// call libm, because float64 results must match PyTorch to 1e-10.
//
// exp(x) = 2^n exp(r) with n = round(x / ln 2) and |r| <= ln(2) / 2, and exp(r) from Cephes'
// degree-7 polynomial for expf: relative error below 2e-7 for finite results.
#include <algorithm>
#include <bit>
#include <cmath>
#include <cstdint>

namespace lucid::kernels {

// The limits hold, so that sigmoid and tanh reach theirs exactly: exp(-inf) = 0 (results below
// about 8e-39 flush to 0), exp(+inf) = +inf (from x = 128.5 ln 2, 0.4% short of where expf
// overflows, since 2^n with n = 128 is the infinity bit pattern), and exp(NaN) = NaN.
inline float exp_fast(float x) {
    x = std::clamp(x, -88.0f, 89.0f);  // NaN passes through and carries on to the result
    const float n = std::floor(x * 1.44269504088896341f + 0.5f);
    const float r = x - n * 0.693359375f + n * 2.12194440e-4f;  // ln 2 split in two for accuracy
    float p = 1.9875691500e-4f;
    p = p * r + 1.3981999507e-3f;
    p = p * r + 8.3334519073e-3f;
    p = p * r + 4.1665795894e-2f;
    p = p * r + 1.6666665459e-1f;
    p = p * r + 5.0000001201e-1f;
    p = p * r * r + r + 1.0f;
    // 2^n as float bits: (n + 127) << 23. Adding 1.5 * 2^23 puts the integer n + 127 in the low
    // mantissa bits, read without a float->int conversion (undefined behaviour for NaN).
    const std::uint32_t biased = std::bit_cast<std::uint32_t>(n + (12582912.0f + 127.0f));
    return p * std::bit_cast<float>(biased << 23);
}

inline float sigmoid_fast(float x) {
    return 1.0f / (1.0f + exp_fast(-x));
}

// tanh(x) = 1 - 2 / (exp(2x) + 1): exact limits +-1, absolute error below 3e-7.
inline float tanh_fast(float x) {
    return 1.0f - 2.0f / (exp_fast(2.0f * x) + 1.0f);
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
