#include <cmath>

#include "helpers.hpp"

using namespace lucid;
using lucid::testing::check_values;
using lucid::testing::error_of;
using lucid::testing::leaf;

namespace {

using Inputs = std::vector<Tensor>;

// A float64 leaf with values in [low, high).
Tensor uniform_leaf(const Shape& shape, double low, double high, std::uint64_t seed) {
    Generator generator(seed);
    return (rand(shape, float64, &generator) * (high - low) + low).requires_grad_();
}

// A (2, 3) float64 leaf well away from 0, the kink of abs and relu.
Tensor away_from_zero() {
    return tensor({-1.5, 0.7, 2.0, -0.3, 1.1, -2.2}, {2, 3}, float64).requires_grad_();
}

// A float64 leaf of shape (rows, cols) that is the transpose of a contiguous tensor.
Tensor transposed(const Tensor& values) {
    Tensor x = values.detach().t();
    x.requires_grad_();
    return x;
}

}  // namespace

TEST_CASE("unary: pow, sqrt, exp, log forward values") {
    Tensor x = tensor({1, 2, 4}, float64);
    check_values(pow(x, 2.0), {1, 4, 16});
    check_values(x.pow(0.5), {1, std::sqrt(2.0), 2});
    check_values(pow(x, -1.0), {1, 0.5, 0.25});
    check_values(pow(x, 0.0), {1, 1, 1});
    check_values(sqrt(x), {1, std::sqrt(2.0), 2});
    check_values(x.exp(), {std::exp(1.0), std::exp(2.0), std::exp(4.0)}, 1e-12);
    check_values(log(x), {0, std::log(2.0), std::log(4.0)}, 1e-12);
    check_values(exp(tensor({0.0, -1.0})), {1, 1 / std::exp(1.0)});
    CHECK(exp(tensor({0.0}, float32)).dtype() == float32);
    CHECK(sqrt(x).dtype() == float64);
}

TEST_CASE("unary: pow gradients by hand, including exponent 0 at x = 0") {
    Tensor x = tensor({0, 1, 2}, float64).requires_grad_();
    (pow(x, 3.0) + pow(x, 0.0)).sum().backward();
    check_values(x.grad(), {0, 3, 12});  // 3 x^2 + 0
    Tensor y = tensor({4, 9}, float64).requires_grad_();
    sqrt(y).sum().backward();
    check_values(y.grad(), {0.25, 1.0 / 6});
}

TEST_CASE("unary: abs, tanh, sigmoid, relu forward values") {
    Tensor x = tensor({-2, -0.5, 0, 0.5, 2}, float64);
    check_values(abs(x), {2, 0.5, 0, 0.5, 2});
    check_values(x.tanh(), {-0.9640275800758169, -0.46211715726000974, 0, 0.46211715726000974,
                            0.9640275800758169},
                 1e-12);
    check_values(sigmoid(x), {0.11920292202211755, 0.3775406687981454, 0.5, 0.6224593312018546,
                              0.8807970779778823},
                 1e-12);
    check_values(relu(x), {0, 0, 0, 0.5, 2});
    Tensor i = tensor({-3, 0, 4}, int64);
    CHECK(abs(i).dtype() == int64);
    check_values(abs(i), {3, 0, 4});
    check_values(relu(i), {0, 0, 4});
    std::vector<double> nan = relu(tensor({NAN, -1.0, 2.0})).to_vector<double>();
    CHECK(std::isnan(nan[0]));
    CHECK(nan[1] == 0);
    CHECK(nan[2] == 2);
}

TEST_CASE("unary: sigmoid is stable at +-1000 in both float dtypes") {
    for (Dtype dtype : {float32, float64}) {
        Tensor x = tensor({-1000, 1000, -80, 80}, dtype);
        Tensor y = sigmoid(x);
        check_values(y, {0, 1, std::exp(-80.0), 1});
        for (double v : y.to_vector<double>()) CHECK(std::isfinite(v));
    }
    Tensor x = tensor({-1000, 1000}, float64).requires_grad_();
    sigmoid(x).sum().backward();
    check_values(x.grad(), {0, 0});
    CHECK(tanh(tensor({-1000, 1000}, float64)).to_vector<double>() == std::vector<double>{-1, 1});
}

TEST_CASE("unary: clamp, clamp_min, clamp_max") {
    Tensor x = tensor({-3, -1, 0, 1, 3}, float64);
    check_values(clamp(x, -1.5, 2.0), {-1.5, -1, 0, 1, 2});
    check_values(x.clamp(0.0, 0.0), {0, 0, 0, 0, 0});
    check_values(clamp_min(x, 0.5), {0.5, 0.5, 0.5, 1, 3});
    check_values(clamp_max(x, -0.5), {-3, -1, -0.5, -0.5, -0.5});
    Tensor i = tensor({-3, 5, 9}, int64);
    CHECK(clamp(i, 0, 6).dtype() == int64);
    check_values(clamp(i, 0, 6), {0, 5, 6});
    check_values(clamp_min(i, 0), {0, 5, 9});
    check_values(clamp_max(i, 6), {-3, 5, 6});
    CHECK(error_of([&] { clamp(x, 2.0, 1.0); }).find("clamp: min (2) must not exceed max (1)") !=
          std::string::npos);
}

TEST_CASE("unary: clamp passes the gradient only inside the bounds") {
    Tensor x = tensor({-3, -1, 0.5, 3}, float64).requires_grad_();
    (clamp(x, -2.0, 2.0) * 3.0).sum().backward();
    check_values(x.grad(), {0, 3, 3, 0});
}

TEST_CASE("unary: maximum and minimum broadcast and promote") {
    Tensor a = tensor({1, 5, 3, 4, 2, 6}, {2, 3}, float64);
    Tensor b = tensor({2, 2, 2}, float32);
    Tensor hi = maximum(a, b);
    CHECK(hi.dtype() == float64);
    CHECK(hi.shape() == Shape{2, 3});
    check_values(hi, {2, 5, 3, 4, 2, 6});
    check_values(minimum(a, b), {1, 2, 2, 2, 2, 2});
    check_values(minimum(b, a), {1, 2, 2, 2, 2, 2});
}

TEST_CASE("unary: maximum/minimum split the gradient evenly on ties") {
    Tensor a = tensor({1, 2, 3}, float64).requires_grad_();
    Tensor b = tensor({1, 0, 5}, float64).requires_grad_();
    maximum(a, b).sum().backward();
    check_values(a.grad(), {0.5, 1, 0});
    check_values(b.grad(), {0.5, 0, 1});
    a.zero_grad();
    b.zero_grad();
    minimum(a, b).sum().backward();
    check_values(a.grad(), {0.5, 0, 1});
    check_values(b.grad(), {0.5, 1, 0});
}

TEST_CASE("unary: maximum/minimum propagate NaN from either side, and give it both gradients") {
    // The values and gradients PyTorch 1.13 gives for these inputs.
    const double nan = std::nan("");
    Tensor a = tensor({nan, 1, 2, 3}, float64).requires_grad_();
    Tensor b = tensor({1, nan, 2, 1}, float64).requires_grad_();
    for (bool take_max : {true, false}) {
        CAPTURE(take_max);
        a.zero_grad();
        b.zero_grad();
        Tensor y = take_max ? maximum(a, b) : minimum(a, b);
        std::vector<double> v = y.to_vector<double>();
        CHECK(std::isnan(v[0]));
        CHECK(std::isnan(v[1]));
        CHECK(v[2] == 2);
        CHECK(v[3] == (take_max ? 3 : 1));
        y.sum().backward();
        check_values(a.grad(), {1, 1, 0.5, take_max ? 1.0 : 0.0});
        check_values(b.grad(), {1, 1, 0.5, take_max ? 0.0 : 1.0});
    }
}

TEST_CASE("unary: maximum with a broadcast operand sums its gradient") {
    Tensor a = tensor({1, 5, 3, 4, 2, 6}, {2, 3}, float64).requires_grad_();
    Tensor b = tensor({2.5}, float64).requires_grad_();
    maximum(a, b).sum().backward();
    check_values(a.grad(), {0, 1, 1, 1, 0, 1});
    CHECK(b.grad().shape() == Shape{1});
    check_values(b.grad(), {2});
}

TEST_CASE("unary: comparisons give int64 masks that carry no gradient") {
    Tensor a = tensor({1, 2, 3}, float64).requires_grad_();
    Tensor b = tensor({3, 2, 1}, float64).requires_grad_();
    Tensor mask = a < b;
    CHECK(mask.dtype() == int64);
    CHECK_FALSE(mask.requires_grad());
    CHECK(mask.grad_fn() == nullptr);
    check_values(mask, {1, 0, 0});
    check_values(a <= b, {1, 1, 0});
    check_values(a > b, {0, 0, 1});
    check_values(a >= b, {0, 1, 1});
    check_values(a == b, {0, 1, 0});
    check_values(a != b, {1, 0, 1});
    check_values(eq(a, b), {0, 1, 0});
    check_values(ne(a, b), {1, 0, 1});
    check_values(lt(a, b), {1, 0, 0});
    check_values(le(a, b), {1, 1, 0});
    check_values(gt(a, b), {0, 0, 1});
    check_values(ge(a, b), {0, 1, 1});
}

TEST_CASE("unary: comparisons with scalars, mixed dtypes and broadcasting") {
    Tensor x = tensor({-1, 0, 2.5}, float32);
    check_values(x > 0.0, {0, 0, 1});
    check_values(x <= 0.0, {1, 1, 0});
    check_values(x == 2.5, {0, 0, 1});
    check_values(x != 0.0, {1, 0, 1});
    Tensor i = tensor({1, 2, 3}, int64);
    check_values(i < 2.5, {1, 1, 0});
    check_values(i >= 2.0, {0, 1, 1});
    check_values(i == tensor({1.0, 2.5, 3.0}, float32), {1, 0, 1});
    Tensor col = tensor({1, 2}, {2, 1}, float32);
    Tensor m = col < tensor({0, 1.5, 3});
    CHECK(m.shape() == Shape{2, 3});
    check_values(m, {0, 1, 1, 0, 0, 1});
}

TEST_CASE("unary: where selects with broadcasting, and its gradient follows the mask") {
    Tensor cond = tensor({1, 0, 1}, int64);
    Tensor a = tensor({1, 2, 3, 4, 5, 6}, {2, 3}, float64).requires_grad_();
    Tensor b = tensor({-1}, float64).requires_grad_();
    Tensor out = where(cond, a, b);
    CHECK(out.shape() == Shape{2, 3});
    check_values(out, {1, -1, 3, 4, -1, 6});
    out.sum().backward();
    check_values(a.grad(), {1, 0, 1, 1, 0, 1});
    check_values(b.grad(), {2});
    Tensor x = tensor({-2, 3, -1}, float64);
    check_values(where(x > 0.0, x, zeros_like(x)), {0, 3, 0});
    CHECK(error_of([&] {
              where(tensor({1, 0, 1}, float32), a, b);
          }).find("where: expected condition") != std::string::npos);
}

TEST_CASE("unary: masked_fill fills where the mask is set and blocks the gradient there") {
    Tensor x = tensor({1, 2, 3, 4, 5, 6}, {2, 3}, float64).requires_grad_();
    Tensor mask = tensor({0, 1, 0}, int64);
    Tensor out = masked_fill(x, mask, -1e9);
    check_values(out, {1, -1e9, 3, 4, -1e9, 6});
    CHECK(out.dtype() == float64);
    (out * 2.0).sum().backward();
    check_values(x.grad(), {2, 0, 2, 2, 0, 2});
    Tensor big = tensor({0, 1, 1, 0}, {2, 2}, int64);
    CHECK(error_of([&] { masked_fill(tensor({1.0, 2.0}), big, 0.0); })
              .find("masked_fill: mask of shape (2, 2) cannot broadcast to input shape (2)") !=
          std::string::npos);
}

TEST_CASE("unary: floating point ops reject int64 input") {
    Tensor i = tensor({1, 2}, int64);
    CHECK(error_of([&] { exp(i); }) == "exp: expected a floating point tensor, got int64");
    CHECK(error_of([&] { log(i); }) == "log: expected a floating point tensor, got int64");
    CHECK(error_of([&] { sqrt(i); }) == "sqrt: expected a floating point tensor, got int64");
    CHECK(error_of([&] { tanh(i); }) == "tanh: expected a floating point tensor, got int64");
    CHECK(error_of([&] { sigmoid(i); }) == "sigmoid: expected a floating point tensor, got int64");
    CHECK(error_of([&] { pow(i, 2.0); }) == "pow: expected a floating point tensor, got int64");
}

TEST_CASE("unary: gradcheck of pow, sqrt, exp, log") {
    Inputs positive{uniform_leaf({2, 3}, 0.5, 2.0, 1)};
    Inputs any{leaf({2, 3}, 2)};
    CHECK(autograd::gradcheck([](const Inputs& x) { return pow(x[0], 3.0); }, any));
    CHECK(autograd::gradcheck([](const Inputs& x) { return pow(x[0], 2.5); }, positive));
    CHECK(autograd::gradcheck([](const Inputs& x) { return pow(x[0], -1.5); }, positive));
    CHECK(autograd::gradcheck([](const Inputs& x) { return sqrt(x[0]); }, positive));
    CHECK(autograd::gradcheck([](const Inputs& x) { return exp(x[0]); }, any));
    CHECK(autograd::gradcheck([](const Inputs& x) { return log(x[0]); }, positive));
}

TEST_CASE("unary: gradcheck of abs, tanh, sigmoid, relu away from kinks") {
    Inputs kinked{away_from_zero()};
    Inputs any{leaf({3, 2}, 3)};
    CHECK(autograd::gradcheck([](const Inputs& x) { return abs(x[0]); }, kinked));
    CHECK(autograd::gradcheck([](const Inputs& x) { return relu(x[0]); }, kinked));
    CHECK(autograd::gradcheck([](const Inputs& x) { return tanh(x[0]); }, any));
    CHECK(autograd::gradcheck([](const Inputs& x) { return sigmoid(x[0]); }, any));
}

TEST_CASE("unary: gradcheck of clamp away from its bounds") {
    Tensor x = tensor({-3, -1, 0.5, 3, 1.9, -1.2}, {2, 3}, float64).requires_grad_();
    CHECK(autograd::gradcheck([](const Inputs& v) { return clamp(v[0], -2.0, 2.0); }, {x}));
    CHECK(autograd::gradcheck([](const Inputs& v) { return clamp_min(v[0], 0.0); }, {x}));
    CHECK(autograd::gradcheck([](const Inputs& v) { return clamp_max(v[0], 1.0); }, {x}));
}

TEST_CASE("unary: gradcheck of maximum/minimum without ties, with broadcasting") {
    Tensor a = tensor({1, 5, 3, 4, 2, 6}, {2, 3}, float64).requires_grad_();
    Tensor b = tensor({2.5, 3.5, 4.5}, float64).requires_grad_();
    CHECK(autograd::gradcheck([](const Inputs& x) { return maximum(x[0], x[1]); }, {a, b}));
    CHECK(autograd::gradcheck([](const Inputs& x) { return minimum(x[1], x[0]); }, {a, b}));
}

TEST_CASE("unary: gradcheck of where and masked_fill") {
    Tensor cond = tensor({1, 0, 0, 1, 1, 0}, {2, 3}, int64);
    CHECK(autograd::gradcheck([&](const Inputs& x) { return where(cond, x[0], x[1]); },
                              {leaf({2, 3}, 1), leaf({3}, 2)}));
    CHECK(autograd::gradcheck([&](const Inputs& x) { return where(cond, x[0], x[1]); },
                              {leaf({1}, 3), leaf({2, 1}, 4)}));
    Tensor mask = tensor({1, 0, 1}, int64);
    CHECK(autograd::gradcheck([&](const Inputs& x) { return masked_fill(x[0], mask, 0.0); },
                              {leaf({2, 3}, 5)}));
}

TEST_CASE("unary: gradcheck on non-contiguous inputs") {
    Tensor t = transposed(leaf({3, 2}, 7));
    Tensor kinked = transposed(away_from_zero());
    Tensor positive = transposed(uniform_leaf({3, 2}, 0.5, 2.0, 8));
    REQUIRE_FALSE(t.is_contiguous());
    CHECK(autograd::gradcheck([](const Inputs& x) { return tanh(x[0]) * sigmoid(x[0]); }, {t}));
    CHECK(autograd::gradcheck([](const Inputs& x) { return exp(x[0]); }, {t}));
    CHECK(autograd::gradcheck([](const Inputs& x) { return abs(x[0]) + relu(x[0]); }, {kinked}));
    CHECK(autograd::gradcheck([](const Inputs& x) { return log(x[0]) + sqrt(x[0]); },
                              {positive}));
    CHECK(autograd::gradcheck([](const Inputs& x) { return maximum(x[0], x[1]); },
                              {t, leaf({2, 1}, 9)}));
}

TEST_CASE("unary: float32 exp, sigmoid, tanh use the fast math, float64 is libm's exactly") {
    Generator generator(3);
    const Tensor x64 = rand({4, 50}, float64, &generator) * 40.0 - 20.0;
    const Tensor x32 = x64.to(float32);
    const std::vector<double> v = x32.to_vector<double>();
    const std::vector<double> e = exp(x32).to_vector<double>(),
                              s = sigmoid(x32).to_vector<double>(),
                              t = tanh(x32).to_vector<double>();
    for (std::size_t i = 0; i < v.size(); ++i) {
        CAPTURE(v[i]);
        CHECK(e[i] == doctest::Approx(std::exp(v[i])).epsilon(3e-7));
        CHECK(s[i] == doctest::Approx(1 / (1 + std::exp(-v[i]))).epsilon(4e-7));
        CHECK(t[i] == doctest::Approx(std::tanh(v[i])).epsilon(4e-7));
    }
    // The same values whatever the layout.
    const Tensor transposed32 = x32.t().contiguous().t();
    CHECK(tanh(transposed32).to_vector<double>() == t);
    CHECK(sigmoid(transposed32).to_vector<double>() == s);
    // float64: libm, bit for bit.
    const std::vector<double> w = x64.to_vector<double>();
    const std::vector<double> t64 = tanh(x64).to_vector<double>(),
                              e64 = exp(x64).to_vector<double>();
    for (std::size_t i = 0; i < w.size(); ++i) {
        CHECK(t64[i] == std::tanh(w[i]));
        CHECK(e64[i] == std::exp(w[i]));
    }
}

TEST_CASE("unary: the fused tanh and sigmoid backward match the composed formulas") {
    // float64 bit for bit; float32 within a few ulp (its loops may fuse a multiply-add).
    for (Dtype dtype : {float32, float64}) {
        CAPTURE(dtype);
        auto check_matches = [dtype](const Tensor& actual, const Tensor& expected) {
            if (dtype == float64) {
                CHECK(actual.to_vector<double>() == expected.to_vector<double>());
            } else {
                check_values(actual, expected.to_vector<double>(), 1e-6);
            }
        };
        Generator generator(5);
        const Tensor x = (rand({3, 40}, dtype, &generator) * 8.0 - 4.0).requires_grad_();
        const Tensor grad = rand({3, 40}, dtype, &generator);
        const Tensor t = tanh(x);
        t.backward(grad);
        const Tensor y = t.detach();
        check_matches(x.grad(), grad * (1.0 - y * y));
        x.zero_grad();
        const Tensor s = sigmoid(x);
        s.backward(grad);
        const Tensor z = s.detach();
        check_matches(x.grad(), grad * z * (1.0 - z));
    }
}
