#include <cmath>

#include "helpers.hpp"

using namespace lucid;
using lucid::testing::check_values;
using lucid::testing::error_of;
using lucid::testing::leaf;

namespace {

using Inputs = std::vector<Tensor>;

// 0 1 2 3 / 4 5 6 7 / 8 9 10 11 as float64, shape (3, 4).
Tensor grid() { return arange(12.0, float64).reshape({3, 4}); }

// A float64 leaf of shape (rows, cols) that is the transpose of a contiguous tensor.
Tensor transposed_leaf(std::int64_t rows, std::int64_t cols, std::uint64_t seed) {
    Tensor x = leaf({cols, rows}, seed).detach().t();
    x.requires_grad_();
    return x;
}

}  // namespace

TEST_CASE("reduction: sum over everything") {
    Tensor s = grid().sum();
    CHECK(s.dim() == 0);
    CHECK(s.dtype() == float64);
    CHECK(s.item<double>() == 66);
    Tensor i = tensor({1, 2, 3}, int64);
    CHECK(sum(i).dtype() == int64);
    CHECK(sum(i).item<std::int64_t>() == 6);
    CHECK(sum(scalar_tensor(2.5)).item<double>() == 2.5);
    CHECK(sum(zeros({0, 3})).item<double>() == 0);
    CHECK(grid().t().sum().item<double>() == 66);
}

TEST_CASE("reduction: sum over one dim, negative dims and keepdim") {
    Tensor x = grid();
    Tensor rows = x.sum(0);
    CHECK(rows.shape() == Shape{4});
    check_values(rows, {12, 15, 18, 21});
    check_values(x.sum(1), {6, 22, 38});
    check_values(x.sum(-1), {6, 22, 38});
    CHECK(x.sum(-2).shape() == Shape{4});
    check_values(x.sum(-2), {12, 15, 18, 21});
    Tensor kept = x.sum(1, true);
    CHECK(kept.shape() == Shape{3, 1});
    check_values(kept, {6, 22, 38});
    CHECK(x.sum(0, true).shape() == Shape{1, 4});
    check_values(x.t().sum(0), {6, 22, 38});
}

TEST_CASE("reduction: sum over the middle dim of a 3-d tensor") {
    Tensor x = arange(24.0, float64).reshape({2, 3, 4});
    Tensor s = sum(x, 1);
    CHECK(s.shape() == Shape{2, 4});
    // x[i][j][k] = 12 i + 4 j + k, summed over j: 36 i + 12 + 3 k
    check_values(s, {12, 15, 18, 21, 48, 51, 54, 57});
    CHECK(sum(x, 1, true).shape() == Shape{2, 1, 4});
    check_values(sum(tensor({1, 2, 3, 4}, {2, 2}, int64), 0), {4, 6});
}

TEST_CASE("reduction: mean over everything and over one dim") {
    Tensor x = grid();
    CHECK(x.mean().item<double>() == doctest::Approx(5.5));
    check_values(x.mean(0), {4, 5, 6, 7});
    check_values(x.mean(-1), {1.5, 5.5, 9.5});
    CHECK(x.mean(1, true).shape() == Shape{3, 1});
    check_values(mean(tensor({1, 2}, float32)), {1.5});
    CHECK(mean(tensor({1, 2}, float32)).dtype() == float32);
    CHECK(error_of([] { mean(tensor({1, 2}, int64)); }) ==
          "mean: expected a floating point tensor, got int64");
}

TEST_CASE("reduction: a dim out of range names the op and the range") {
    std::string message = error_of([] { grid().sum(2); });
    CHECK(message.find("sum: Dimension out of range (expected to be in range of [-2, 1], but "
                       "got 2)") != std::string::npos);
    CHECK(error_of([] { max(grid(), -3); }).find("max: Dimension out of range") !=
          std::string::npos);
    CHECK(error_of([] { grid().mean(2); }).find("mean: Dimension out of range") !=
          std::string::npos);
    CHECK(error_of([] { logsumexp(grid(), 5); }).find("logsumexp: Dimension out of range") !=
          std::string::npos);
    CHECK(error_of([] { argmax(grid(), 2); }).find("argmax: Dimension out of range") !=
          std::string::npos);
}

TEST_CASE("reduction: reducing an empty dim is an error, reducing over a non-empty one is not") {
    Tensor empty_cols = zeros({0, 3}).t();  // shape (3, 0)
    CHECK(error_of([&] { max(empty_cols, 1); }) ==
          "max: cannot reduce an empty dimension of a tensor of shape (3, 0)");
    CHECK(error_of([] { argmin(zeros({0, 2}), 0); }) ==
          "argmin: cannot reduce an empty dimension of a tensor of shape (0, 2)");
    auto [values, indices] = max(zeros({0, 3}), 1);
    CHECK(values.shape() == Shape{0});
    CHECK(indices.shape() == Shape{0});
    CHECK(sum(empty_cols, 1).shape() == Shape{3});
    check_values(sum(empty_cols, 1), {0, 0, 0});
}

TEST_CASE("reduction: gradients of sum and mean spread the incoming gradient") {
    Tensor x = leaf({3, 4}, 1);
    (x.sum(1) * tensor({1, 2, 3}, float64)).sum().backward();
    check_values(x.grad(), {1, 1, 1, 1, 2, 2, 2, 2, 3, 3, 3, 3});
    x.zero_grad();
    x.mean().backward();
    for (double g : x.grad().to_vector<double>()) CHECK(g == doctest::Approx(1.0 / 12));
    x.zero_grad();
    (x.mean(0, true) * tensor({1, 2, 3, 4}, {1, 4}, float64)).sum().backward();
    check_values(x.grad(), {1. / 3, 2. / 3, 1, 4. / 3, 1. / 3, 2. / 3, 1, 4. / 3, 1. / 3, 2. / 3,
                            1, 4. / 3});
}

TEST_CASE("reduction: gradcheck of sum and mean") {
    Inputs in{leaf({3, 4}, 1)};
    Inputs cube{leaf({2, 3, 2}, 2)};
    CHECK(autograd::gradcheck([](const Inputs& x) { return x[0].sum(); }, in));
    CHECK(autograd::gradcheck([](const Inputs& x) { return x[0].sum(0); }, in));
    CHECK(autograd::gradcheck([](const Inputs& x) { return x[0].sum(-1, true); }, in));
    CHECK(autograd::gradcheck([](const Inputs& x) { return x[0].sum(1); }, cube));
    CHECK(autograd::gradcheck([](const Inputs& x) { return x[0].mean(); }, in));
    CHECK(autograd::gradcheck([](const Inputs& x) { return x[0].mean(1); }, in));
    CHECK(autograd::gradcheck([](const Inputs& x) { return x[0].mean(-3, true); }, cube));
    Inputs t{transposed_leaf(3, 4, 3)};
    CHECK(autograd::gradcheck([](const Inputs& x) { return x[0].sum(0); }, t));
    CHECK(autograd::gradcheck([](const Inputs& x) { return x[0].mean(1, true); }, t));
    CHECK(autograd::gradcheck([](const Inputs& x) { return x[0].mean(); }, t));
}

TEST_CASE("reduction: max and min over everything") {
    Tensor x = tensor({3, -1, 7, 2, 7, -5}, {2, 3}, float64);
    CHECK(x.max().dim() == 0);
    CHECK(x.max().item<double>() == 7);
    CHECK(x.min().item<double>() == -5);
    CHECK(max(tensor({4, 9, 2}, int64)).item<std::int64_t>() == 9);
    CHECK(min(tensor({4, 9, 2}, int64)).dtype() == int64);
    CHECK(std::isnan(max(tensor({1.0, NAN, 3.0})).item<double>()));
    CHECK(error_of([] { max(zeros({0})); }) == "max: cannot reduce an empty tensor of shape (0)");
}

TEST_CASE("reduction: max over everything shares the gradient among ties") {
    Tensor x = tensor({1, 3, 3, 2}, float64).requires_grad_();
    (x.max() * 4.0).backward();
    check_values(x.grad(), {0, 2, 2, 0});
    Tensor y = tensor({5, 1, 1}, float64).requires_grad_();
    y.min().backward();
    check_values(y.grad(), {0, 0.5, 0.5});
}

TEST_CASE("reduction: max and min over one dim return values and indices") {
    Tensor x = tensor({3, -1, 7, 2, 8, -5}, {2, 3}, float64);
    auto [values, indices] = max(x, 1);
    CHECK(values.shape() == Shape{2});
    CHECK(indices.dtype() == int64);
    check_values(values, {7, 8});
    check_values(indices, {2, 1});
    auto [lo, at] = min(x, 0);
    check_values(lo, {2, -1, -5});
    check_values(at, {1, 0, 1});
    auto [kept, kept_at] = max(x, -1, true);
    CHECK(kept.shape() == Shape{2, 1});
    CHECK(kept_at.shape() == Shape{2, 1});
    check_values(kept_at, {2, 1});
    auto [first, first_at] = max(tensor({1, 4, 4, 0}, float32), 0);
    CHECK(first.item<double>() == 4);
    CHECK(first_at.item<std::int64_t>() == 1);  // the first maximum, as PyTorch on CPU
}

TEST_CASE("reduction: max over one dim sends the gradient to the chosen element") {
    Tensor x = tensor({3, -1, 7, 2, 8, -5}, {2, 3}, float64).requires_grad_();
    auto [values, indices] = max(x, 1);
    CHECK(values.requires_grad());
    CHECK_FALSE(indices.requires_grad());
    (values * tensor({10, 20}, float64)).sum().backward();
    check_values(x.grad(), {0, 0, 10, 0, 20, 0});
    x.zero_grad();
    std::get<0>(min(x, 0, true)).sum().backward();
    check_values(x.grad(), {0, 1, 0, 1, 0, 1});
}

TEST_CASE("reduction: gradcheck of max and min") {
    Inputs in{leaf({3, 4}, 4)};
    Inputs cube{leaf({2, 3, 2}, 5)};
    CHECK(autograd::gradcheck([](const Inputs& x) { return x[0].max(); }, in));
    CHECK(autograd::gradcheck([](const Inputs& x) { return x[0].min(); }, in));
    CHECK(autograd::gradcheck([](const Inputs& x) { return std::get<0>(max(x[0], 1)); }, in));
    CHECK(autograd::gradcheck([](const Inputs& x) { return std::get<0>(min(x[0], 0, true)); },
                              in));
    CHECK(autograd::gradcheck([](const Inputs& x) { return std::get<0>(max(x[0], -2)); }, cube));
    Inputs t{transposed_leaf(3, 4, 6)};
    CHECK(autograd::gradcheck([](const Inputs& x) { return std::get<0>(max(x[0], 0)); }, t));
    CHECK(autograd::gradcheck([](const Inputs& x) { return x[0].min(); }, t));
}

TEST_CASE("reduction: argmax and argmin") {
    Tensor x = tensor({3, -1, 7, 2, 8, -5}, {2, 3}, float64);
    Tensor flat = x.argmax();
    CHECK(flat.dtype() == int64);
    CHECK(flat.dim() == 0);
    CHECK(flat.item<std::int64_t>() == 4);
    CHECK(argmin(x).item<std::int64_t>() == 5);
    check_values(x.argmax(1), {2, 1});
    check_values(argmax(x, 0), {0, 1, 0});
    check_values(argmin(x, -1), {1, 2});
    CHECK(argmax(x, 1, true).shape() == Shape{2, 1});
    CHECK(argmax(tensor({2, 5, 5, 1}, int64)).item<std::int64_t>() == 1);
    check_values(x.t().argmax(0), {2, 1});
    Tensor r = tensor({1.0, 2.0}).requires_grad_();
    CHECK_FALSE(argmax(r).requires_grad());
}

TEST_CASE("reduction: logsumexp exact values") {
    Tensor x = tensor({1, 2, 3}, float64);
    CHECK(logsumexp(x).item<double>() ==
          doctest::Approx(std::log(std::exp(1.0) + std::exp(2.0) + std::exp(3.0))).epsilon(1e-12));
    CHECK(logsumexp(x).item<double>() == doctest::Approx(3.40760596444438).epsilon(1e-12));
    Tensor m = tensor({0, 0, std::log(2.0), std::log(6.0)}, {2, 2}, float64);
    Tensor rows = logsumexp(m, 1);
    CHECK(rows.shape() == Shape{2});
    check_values(rows, {std::log(2.0), std::log(8.0)}, 1e-12);
    CHECK(logsumexp(m, -1, true).shape() == Shape{2, 1});
    check_values(logsumexp(m, 0), {std::log(1.0 + 2.0), std::log(1.0 + 6.0)}, 1e-12);
}

TEST_CASE("reduction: logsumexp is finite for +-1000") {
    for (Dtype dtype : {float32, float64}) {
        Tensor big = tensor({1000, 1000}, dtype);
        Tensor small = tensor({-1000, -1000}, dtype);
        CHECK(logsumexp(big).item<double>() == doctest::Approx(1000 + std::log(2.0)));
        CHECK(logsumexp(small).item<double>() == doctest::Approx(-1000 + std::log(2.0)));
        Tensor mixed = tensor({1000, -1000, -1000, -1000}, {2, 2}, dtype);
        check_values(logsumexp(mixed, 1), {1000, -1000 + std::log(2.0)});
        check_values(logsumexp(mixed, 0), {1000, -1000 + std::log(2.0)});
    }
    Tensor x = tensor({1000, 0, -1000}, float64).requires_grad_();
    logsumexp(x).backward();
    check_values(x.grad(), {1, 0, 0});  // the gradient is softmax(x)
    check_values(logsumexp(tensor({-INFINITY, 0.0}, float64)), {0});
}

TEST_CASE("reduction: gradcheck of logsumexp") {
    Inputs in{leaf({3, 4}, 7)};
    CHECK(autograd::gradcheck([](const Inputs& x) { return logsumexp(x[0]); }, in));
    CHECK(autograd::gradcheck([](const Inputs& x) { return logsumexp(x[0], 1); }, in));
    CHECK(autograd::gradcheck([](const Inputs& x) { return logsumexp(x[0], 0, true); }, in));
    CHECK(autograd::gradcheck([](const Inputs& x) { return logsumexp(x[0], -2); },
                              {leaf({2, 3, 2}, 8)}));
    CHECK(autograd::gradcheck([](const Inputs& x) { return logsumexp(x[0], 1); },
                              {transposed_leaf(3, 4, 9)}));
}
