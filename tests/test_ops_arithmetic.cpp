#include "helpers.hpp"

using namespace lucid;
using lucid::testing::check_values;
using lucid::testing::error_of;
using lucid::testing::leaf;

namespace {

using Inputs = std::vector<Tensor>;

// A float64 leaf with values in [1, 2): a safe denominator for gradchecks.
Tensor positive_leaf(const Shape& shape, std::uint64_t seed) {
    Generator generator(seed);
    return (rand(shape, float64, &generator) + 1.0).requires_grad_();
}

// A float64 leaf of shape (rows, cols) that is the transpose of a contiguous tensor.
Tensor transposed_leaf(std::int64_t rows, std::int64_t cols, std::uint64_t seed) {
    Tensor x = leaf({cols, rows}, seed).detach().t();
    x.requires_grad_();
    return x;
}

}  // namespace

TEST_CASE("arithmetic: tensor-tensor + - * / of one shape") {
    Tensor a = tensor({1, 2, 3, 4, 5, 6}, {2, 3}, float32);
    Tensor b = tensor({6, 5, 4, 3, 2, 1}, {2, 3}, float32);
    check_values(a + b, {7, 7, 7, 7, 7, 7});
    check_values(a - b, {-5, -3, -1, 1, 3, 5});
    check_values(a * b, {6, 10, 12, 12, 10, 6});
    check_values(a / b, {1.0 / 6, 2.0 / 5, 3.0 / 4, 4.0 / 3, 5.0 / 2, 6.0});
    check_values(-a, {-1, -2, -3, -4, -5, -6});
    CHECK((a + b).shape() == Shape{2, 3});
    CHECK((a + b).dtype() == float32);
    check_values(add(a, b), {7, 7, 7, 7, 7, 7});
    check_values(sub(a, b), {-5, -3, -1, 1, 3, 5});
    check_values(mul(a, b), {6, 10, 12, 12, 10, 6});
    check_values(neg(b), {-6, -5, -4, -3, -2, -1});
}

TEST_CASE("arithmetic: tensor-scalar in both orders keeps the tensor's dtype") {
    Tensor x = tensor({1, 2, 4}, float64);
    check_values(x + 2.0, {3, 4, 6});
    check_values(2.0 + x, {3, 4, 6});
    check_values(x - 1.0, {0, 1, 3});
    check_values(1.0 - x, {0, -1, -3});
    check_values(x * 3.0, {3, 6, 12});
    check_values(3.0 * x, {3, 6, 12});
    check_values(x / 2.0, {0.5, 1, 2});
    check_values(2.0 / x, {2, 1, 0.5});
    CHECK((x * 3.0).dtype() == float64);
    CHECK((2.0 / x).dtype() == float64);
    Tensor f = tensor({1, 2}, float32);
    CHECK((f + 0.5).dtype() == float32);
    CHECK((0.5 * f).dtype() == float32);
}

TEST_CASE("arithmetic: broadcasting (2,3) + (3)") {
    Tensor a = tensor({1, 2, 3, 4, 5, 6}, {2, 3}, float32);
    Tensor b = tensor({10, 20, 30}, float32);
    Tensor out = a + b;
    CHECK(out.shape() == Shape{2, 3});
    check_values(out, {11, 22, 33, 14, 25, 36});
    check_values(b - a, {9, 18, 27, 6, 15, 24});
}

TEST_CASE("arithmetic: broadcasting (4,1) * (1,5) is an outer product") {
    Tensor a = tensor({1, 2, 3, 4}, {4, 1}, float32);
    Tensor b = tensor({1, 10, 100, 1000, 10000}, {1, 5}, float32);
    Tensor out = a * b;
    CHECK(out.shape() == Shape{4, 5});
    std::vector<double> expected;
    for (double i : {1, 2, 3, 4}) {
        for (double j : {1, 10, 100, 1000, 10000}) expected.push_back(i * j);
    }
    check_values(out, expected);
}

TEST_CASE("arithmetic: broadcasting (2,1,3) / (5,1) gives (2,5,3)") {
    Tensor a = tensor({1, 2, 3, 4, 5, 6}, {2, 1, 3}, float64);
    Tensor b = tensor({1, 2, 4, 5, 8}, {5, 1}, float64);
    Tensor out = a / b;
    CHECK(out.shape() == Shape{2, 5, 3});
    std::vector<double> expected;
    for (int i = 0; i < 2; ++i) {
        for (double d : {1, 2, 4, 5, 8}) {
            for (int k = 0; k < 3; ++k) expected.push_back((i * 3 + k + 1) / d);
        }
    }
    check_values(out, expected, 1e-12);
}

TEST_CASE("arithmetic: broadcasting with a 0-d tensor and with size-1 dims on both sides") {
    Tensor s = scalar_tensor(2.0);
    Tensor x = tensor({1, 2, 3}, {3, 1}, float32);
    check_values(x * s, {2, 4, 6});
    check_values(s - x, {1, 0, -1});
    Tensor y = tensor({1, 2}, {1, 2}, float32);
    Tensor out = x + y;
    CHECK(out.shape() == Shape{3, 2});
    check_values(out, {2, 3, 3, 4, 4, 5});
}

TEST_CASE("arithmetic: dtype promotion follows torch.result_type") {
    Tensor i = tensor({1, 2, 3}, int64);
    Tensor f = tensor({0.5, 0.25, 0.125}, float32);
    Tensor d = tensor({0.5, 0.25, 0.125}, float64);
    CHECK((i + f).dtype() == float32);
    check_values(i + f, {1.5, 2.25, 3.125});
    CHECK((f + i).dtype() == float32);
    CHECK((f + d).dtype() == float64);
    check_values(f * d, {0.25, 0.0625, 0.015625});
    CHECK((i * d).dtype() == float64);
    CHECK((i + i).dtype() == int64);
    check_values(i * i, {1, 4, 9});
    CHECK((i + 2.0).dtype() == int64);
    check_values(i + 2.0, {3, 4, 5});
    CHECK((i * 2.5).dtype() == float32);
    check_values(i * 2.5, {2.5, 5, 7.5});
    CHECK((1.5 - i).dtype() == float32);
    check_values(1.5 - i, {0.5, -0.5, -1.5});
    CHECK((-i).dtype() == int64);
    check_values(-i, {-1, -2, -3});
}

TEST_CASE("arithmetic: int64 division is true division and gives float32") {
    Tensor a = tensor({7, -7, 1, 6}, int64);
    Tensor b = tensor({2, 2, 4, 3}, int64);
    Tensor out = a / b;
    CHECK(out.dtype() == float32);
    check_values(out, {3.5, -3.5, 0.25, 2});
    CHECK((a / 2.0).dtype() == float32);
    check_values(a / 2.0, {3.5, -3.5, 0.5, 3});
    CHECK((2.0 / b).dtype() == float32);
    check_values(2.0 / b, {1, 1, 0.5, 2.0 / 3});
    Tensor d = tensor({0.5, 0.5, 0.5, 0.5}, float64);
    CHECK((a / d).dtype() == float64);
    check_values(a / d, {14, -14, 2, 12});
}

TEST_CASE("arithmetic: non-contiguous operands give the right values") {
    Tensor base = tensor({1, 2, 3, 4, 5, 6}, {2, 3}, float32);
    Tensor t = base.t();  // (3, 2): 1 4 / 2 5 / 3 6
    Tensor other = tensor({10, 20, 30, 40, 50, 60}, {3, 2}, float32);
    check_values(t + other, {11, 24, 32, 45, 53, 66});
    check_values(t * t, {1, 16, 4, 25, 9, 36});
    check_values(t - tensor({1, 1}, float32), {0, 3, 1, 4, 2, 5});
}

TEST_CASE("arithmetic: gradients reach both operands with hand-computed values") {
    Tensor a = tensor({1, 2, 3}, float64).requires_grad_();
    Tensor b = tensor({4, 5, 6}, float64).requires_grad_();
    (a * b + a / b - b).sum().backward();
    // d/da = b + 1/b, d/db = a - a/b^2 - 1
    check_values(a.grad(), {4 + 1.0 / 4, 5 + 1.0 / 5, 6 + 1.0 / 6}, 1e-12);
    check_values(b.grad(), {1 - 1.0 / 16 - 1, 2 - 2.0 / 25 - 1, 3 - 3.0 / 36 - 1}, 1e-12);
}

TEST_CASE("arithmetic: scalar and constant operands take no gradient") {
    Tensor x = tensor({1, 2, 4}, float64).requires_grad_();
    Tensor k = tensor({3, 3, 3}, int64);
    (x * 2.0 + 8.0 / x + x * k - 1.0 / k).sum().backward();
    check_values(x.grad(), {2 - 8.0 + 3, 2 - 2.0 + 3, 2 - 0.5 + 3});
    CHECK(x.grad().dtype() == float64);
}

TEST_CASE("arithmetic: a broadcast operand's gradient is summed to its shape") {
    Tensor x = leaf({2, 3}, 1);
    Tensor y = tensor({1, 2, 3}, float64).requires_grad_();
    (x + y).sum().backward();
    CHECK(y.grad().shape() == Shape{3});
    check_values(y.grad(), {2, 2, 2});
    check_values(x.grad(), {1, 1, 1, 1, 1, 1});
    Tensor c = tensor({2.0}, {1, 1}, float64).requires_grad_();
    (x * c).sum().backward();
    CHECK(c.grad().shape() == Shape{1, 1});
    check_values(c.grad(), {x.sum().item<double>()}, 1e-12);
}

TEST_CASE("arithmetic: mixed-dtype operands get gradients in their own dtype") {
    Tensor f = tensor({1, 2}, float32).requires_grad_();
    Tensor d = tensor({3, 4}, float64).requires_grad_();
    Tensor i = tensor({5, 6}, int64);
    Tensor out = f * d + f * i;
    CHECK(out.dtype() == float64);
    out.sum().backward();
    CHECK(f.grad().dtype() == float32);
    CHECK(d.grad().dtype() == float64);
    check_values(f.grad(), {8, 10});
    check_values(d.grad(), {1, 2});
}

TEST_CASE("arithmetic: a + a accumulates both paths") {
    Tensor a = tensor({1, 2}, float64).requires_grad_();
    Tensor b = a + a;
    Tensor c = b * b;
    c.sum().backward();  // c = 4 a^2, dc/da = 8 a
    check_values(a.grad(), {8, 16});
}

TEST_CASE("arithmetic: nothing is recorded without requires_grad or under NoGradGuard") {
    Tensor a = tensor({1, 2}, float64);
    CHECK_FALSE((a * 2.0).requires_grad());
    Tensor x = tensor({1, 2}, float64).requires_grad_();
    CHECK((x * 2.0).requires_grad());
    NoGradGuard no_grad;
    Tensor y = x * x + x / 2.0 - x;
    CHECK_FALSE(y.requires_grad());
    CHECK(y.grad_fn() == nullptr);
}

TEST_CASE("arithmetic: gradcheck of + - * / on one shape") {
    Inputs in{leaf({3, 4}, 1), positive_leaf({3, 4}, 2)};
    CHECK(autograd::gradcheck([](const Inputs& x) { return x[0] + x[1]; }, in));
    CHECK(autograd::gradcheck([](const Inputs& x) { return x[0] - x[1]; }, in));
    CHECK(autograd::gradcheck([](const Inputs& x) { return x[0] * x[1]; }, in));
    CHECK(autograd::gradcheck([](const Inputs& x) { return x[0] / x[1]; }, in));
    CHECK(autograd::gradcheck([](const Inputs& x) { return -x[0]; }, in));
}

TEST_CASE("arithmetic: gradcheck with broadcasting") {
    auto add_fn = [](const Inputs& x) { return x[0] + x[1]; };
    auto sub_fn = [](const Inputs& x) { return x[1] - x[0]; };
    auto mul_fn = [](const Inputs& x) { return x[0] * x[1]; };
    auto div_fn = [](const Inputs& x) { return x[0] / x[1]; };
    CHECK(autograd::gradcheck(add_fn, {leaf({2, 3}, 1), leaf({3}, 2)}));
    CHECK(autograd::gradcheck(sub_fn, {leaf({2, 3}, 3), leaf({2, 1}, 4)}));
    CHECK(autograd::gradcheck(mul_fn, {leaf({4, 1}, 5), leaf({1, 5}, 6)}));
    CHECK(autograd::gradcheck(div_fn, {leaf({2, 1, 3}, 7), positive_leaf({5, 1}, 8)}));
    CHECK(autograd::gradcheck(div_fn, {positive_leaf({3}, 9), positive_leaf({2, 1, 1}, 10)}));
    CHECK(autograd::gradcheck(mul_fn, {leaf({}, 11), leaf({2, 3}, 12)}));
}

TEST_CASE("arithmetic: gradcheck of tensor-scalar ops in both orders") {
    Inputs in{positive_leaf({2, 3}, 3)};
    CHECK(autograd::gradcheck([](const Inputs& x) { return x[0] + 2.0; }, in));
    CHECK(autograd::gradcheck([](const Inputs& x) { return 2.0 - x[0]; }, in));
    CHECK(autograd::gradcheck([](const Inputs& x) { return 0.5 * x[0]; }, in));
    CHECK(autograd::gradcheck([](const Inputs& x) { return x[0] / 4.0; }, in));
    CHECK(autograd::gradcheck([](const Inputs& x) { return 3.0 / x[0]; }, in));
}

TEST_CASE("arithmetic: gradcheck on non-contiguous (transposed) inputs") {
    Tensor a = transposed_leaf(3, 4, 1);
    Tensor b = transposed_leaf(3, 4, 2);
    REQUIRE_FALSE(a.is_contiguous());
    CHECK(autograd::gradcheck([](const Inputs& x) { return x[0] * x[1] + x[0]; }, {a, b}));
    CHECK(autograd::gradcheck([](const Inputs& x) { return x[0] / (x[1] * x[1] + 1.0); },
                              {a, b}));
    Tensor row = leaf({4}, 3);
    CHECK(autograd::gradcheck([](const Inputs& x) { return x[0] - x[1]; }, {a, row}));
}

TEST_CASE("arithmetic: sum_to undoes a broadcast") {
    Tensor g = tensor({1, 2, 3, 4, 5, 6}, {2, 3}, float32);
    check_values(sum_to(g, {3}), {5, 7, 9});
    check_values(sum_to(g, {1, 3}), {5, 7, 9});
    CHECK(sum_to(g, {1, 3}).shape() == Shape{1, 3});
    check_values(sum_to(g, {2, 1}), {6, 15});
    check_values(sum_to(g, {}), {21});
    CHECK(sum_to(g, {}).dim() == 0);
    CHECK(sum_to(g, {2, 3}).is_same(g));
    Tensor g3 = arange(24.0, float64).reshape({2, 3, 4});
    Tensor s = sum_to(g3, {3, 1});
    CHECK(s.shape() == Shape{3, 1});
    // sum over dims 0 and 2 of arange: row j holds sum_i sum_k (12 i + 4 j + k)
    check_values(s, {2 * 6 + 12 * 4 + 0 * 8, 2 * 6 + 12 * 4 + 4 * 8, 2 * 6 + 12 * 4 + 8 * 8});
    CHECK(autograd::gradcheck([](const Inputs& x) { return sum_to(x[0], {3, 1}); },
                              {leaf({2, 3, 4}, 4)}));
}

TEST_CASE("arithmetic: impossible broadcasts name the op and both shapes") {
    Tensor a = zeros({2, 3});
    Tensor b = zeros({4});
    std::string message = error_of([&] { a + b; });
    CHECK(message.find("add: shapes (2, 3) and (4) cannot be broadcast") != std::string::npos);
    CHECK(error_of([&] { a * zeros({2, 2}); }).find("mul: shapes (2, 3) and (2, 2)") !=
          std::string::npos);
    CHECK(error_of([&] { a / zeros({3, 3}); }).find("div: shapes") != std::string::npos);
    CHECK(error_of([&] { sum_to(a, {4}); }).find("sum_to") != std::string::npos);
}
