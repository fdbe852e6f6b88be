// kernels/fast_math.hpp's float exp, sigmoid and tanh against libm in double precision, within
// the error its header states, over every sign and exponent of float and at the edges.
#include <doctest/doctest.h>

#include <bit>
#include <cmath>
#include <cstdint>
#include <limits>
#include <vector>

#include "lucidpp/kernels/activation.hpp"
#include "lucidpp/kernels/fast_math.hpp"

using namespace lucid::kernels;

namespace {

constexpr float inf = std::numeric_limits<float>::infinity();
constexpr double smallest_normal = 1.1754943508222875e-38;  // 2^-126

// |got - want| in units of the last place of float at `want`; where `want` is below the normal
// range, the absolute error over 2^-126 (which must stay below 1).
double error_in_ulp(float got, double want) {
    if (std::abs(want) < smallest_normal) return std::abs(got - want) / smallest_normal;
    const double ulp = std::ldexp(1.0, std::ilogb(want) - 23);
    return std::abs(got - want) / ulp;
}

// A float of every 2^16th bit pattern (both signs, every exponent, spread mantissas) and the
// values where the functions change regime.
std::vector<float> inputs() {
    std::vector<float> x;
    for (std::uint64_t bits = 0; bits < (std::uint64_t{1} << 32); bits += 65537) {
        const float v = std::bit_cast<float>(static_cast<std::uint32_t>(bits));
        if (std::isfinite(v)) x.push_back(v);
    }
    for (float v : {0.0f,
                    -0.0f,
                    1e-45f,
                    -1e-45f,
                    1e-38f,
                    0.625f,
                    -0.625f,
                    0.62499f,
                    1.0f,
                    -1.0f,
                    9.0f,
                    -9.0f,
                    44.4f,
                    44.5f,
                    -87.33f,
                    -87.34f,
                    -88.0f,
                    -104.0f,
                    88.72f,
                    88.73f,
                    89.0f,
                    1e30f,
                    -1e30f,
                    std::numeric_limits<float>::max(),
                    std::numeric_limits<float>::lowest()}) {
        x.push_back(v);
    }
    return x;
}

// The loops the ops run (on an AVX2 or AVX-512 machine, their clones, with FMA) applied to x.
std::vector<float> applied(void (*loop)(const float*, float*, std::int64_t),
                           const std::vector<float>& x) {
    std::vector<float> y(x.size());
    loop(x.data(), y.data(), static_cast<std::int64_t>(x.size()));
    return y;
}

}  // namespace

TEST_CASE("fast_math: exp is within 2 ulp of libm where expf is normal, 0 below, inf above") {
    const std::vector<float> x = inputs(), y = applied(exp_forward, x);
    double worst = 0;
    for (std::size_t i = 0; i < x.size(); ++i) {
        CAPTURE(x[i]);
        const double want = std::exp(static_cast<double>(x[i]));
        if (want > std::numeric_limits<float>::max()) {
            CHECK(y[i] == inf);
        } else if (want < smallest_normal) {
            CHECK(y[i] == 0.0f);
        } else {
            worst = std::max(worst, error_in_ulp(y[i], want));
        }
    }
    CHECK(worst <= 2.0);
}

TEST_CASE("fast_math: sigmoid within 3 ulp of libm, within 2^-126 below the normal range") {
    const std::vector<float> x = inputs(), y = applied(sigmoid_forward, x);
    double worst = 0;
    for (std::size_t i = 0; i < x.size(); ++i) {
        CAPTURE(x[i]);
        const double want = 1.0 / (1.0 + std::exp(-static_cast<double>(x[i])));
        if (want < smallest_normal) {
            CHECK(error_in_ulp(y[i], want) < 1.0);  // an absolute error below 2^-126
        } else {
            worst = std::max(worst, error_in_ulp(y[i], want));
        }
    }
    CHECK(worst <= 3.0);
}

TEST_CASE("fast_math: tanh within 4 ulp of libm, also near 0 and for subnormal x") {
    const std::vector<float> x = inputs(), y = applied(tanh_forward, x);
    double worst = 0;
    for (std::size_t i = 0; i < x.size(); ++i) {
        worst = std::max(worst, error_in_ulp(y[i], std::tanh(static_cast<double>(x[i]))));
    }
    CHECK(worst <= 4.0);
    CHECK(tanh_precise(1e-45f) == 1e-45f);
    CHECK(std::signbit(tanh_precise(-0.0f)));
    CHECK(tanh_precise(-0.0f) == 0.0f);
}

TEST_CASE("fast_math: the limits are exact and NaN passes through") {
    for (auto exp_function : {exp_fast, exp_precise}) {
        CHECK(exp_function(-inf) == 0.0f);
        CHECK(exp_function(inf) == inf);
        CHECK(exp_function(0.0f) == 1.0f);
    }
    CHECK(sigmoid_fast(-inf) == 0.0f);
    CHECK(sigmoid_fast(inf) == 1.0f);
    CHECK(sigmoid_fast(0.0f) == 0.5f);
    for (auto tanh_function : {tanh_fast, tanh_precise}) {
        CHECK(tanh_function(-inf) == -1.0f);
        CHECK(tanh_function(inf) == 1.0f);
        CHECK(tanh_function(20.0f) == 1.0f);
    }
    const float nan = std::numeric_limits<float>::quiet_NaN();
    CHECK(std::isnan(exp_fast(nan)));
    CHECK(std::isnan(exp_precise(nan)));
    CHECK(std::isnan(tanh_precise(nan)));
    CHECK(std::isnan(sigmoid_fast(nan)));
    CHECK(std::isnan(tanh_fast(nan)));
    const std::vector<float> edges = {-inf, inf, nan, 0.0f};
    const std::vector<float> e = applied(exp_forward, edges), s = applied(sigmoid_forward, edges),
                             t = applied(tanh_forward, edges);
    CHECK(e[0] == 0.0f);
    CHECK(e[1] == inf);
    CHECK(std::isnan(e[2]));
    CHECK(e[3] == 1.0f);
    CHECK(s[0] == 0.0f);
    CHECK(s[1] == 1.0f);
    CHECK(std::isnan(s[2]));
    CHECK(s[3] == 0.5f);
    CHECK(t[0] == -1.0f);
    CHECK(t[1] == 1.0f);
    CHECK(std::isnan(t[2]));
    CHECK(t[3] == 0.0f);
}
