// lucid::nn::functional: linear, softmax/log_softmax, dropout and the losses. Expected values
// were computed by hand or with Python's math module.
#include <cmath>

#include "helpers.hpp"

namespace F = lucid::nn::functional;
using namespace lucid;
using lucid::autograd::gradcheck;
using lucid::testing::check_values;
using lucid::testing::error_of;
using lucid::testing::leaf;

namespace {

constexpr F::Reduction all_reductions[] = {F::Reduction::none, F::Reduction::mean,
                                           F::Reduction::sum};

// A float64 leaf that is a transposed (non-contiguous) view: shape (rows, cols).
Tensor transposed_leaf(std::int64_t rows, std::int64_t cols, std::uint64_t seed) {
    Generator generator(seed);
    Tensor x = randn({cols, rows}, float64, &generator).t();
    x.requires_grad_();
    return x;
}

// Random class targets in [0, classes).
Tensor targets(std::int64_t n, std::int64_t classes, std::uint64_t seed) {
    Generator generator(seed);
    return randint(0, classes, {n}, &generator);
}

}  // namespace

// ---- linear ------------------------------------------------------------------------------------

TEST_CASE("linear computes x W^T + b") {
    Tensor x = tensor({1, 2, 3, 4, 5, 6}, {2, 3}, float32);
    Tensor w = tensor({1, 0, 0, 0, 1, 0, 0, 0, 1, 1, 1, 1}, {4, 3}, float32);
    Tensor b = tensor({0.5, -1, 0, 2});
    Tensor y = F::linear(x, w, b);
    CHECK(y.shape() == Shape{2, 4});
    check_values(y, {1.5, 1, 3, 8, 4.5, 4, 6, 17});
    check_values(F::linear(x, w), {1, 2, 3, 6, 4, 5, 6, 15});
}

TEST_CASE("linear on 1-D and 3-D inputs keeps the leading dims") {
    Tensor w = tensor({1, 2, 3, 4}, {2, 2}, float32);
    Tensor b = tensor({10, 20}, float32);
    Tensor v = F::linear(tensor({1, 1}, float32), w, b);
    CHECK(v.shape() == Shape{2});
    check_values(v, {13, 27});

    Tensor x = tensor({1, 0, 0, 1, 1, 1, 2, -1}, {2, 2, 2}, float32);
    Tensor y = F::linear(x, w, b);
    CHECK(y.shape() == Shape{2, 2, 2});
    check_values(y, {11, 23, 12, 24, 13, 27, 10, 22});
}

TEST_CASE("linear gradcheck: 2-D, 3-D, no bias, non-contiguous") {
    Tensor w = leaf({4, 3}, 1);
    Tensor b = leaf({4}, 2);
    auto with_bias = [](const std::vector<Tensor>& in) { return F::linear(in[0], in[1], in[2]); };
    auto no_bias = [](const std::vector<Tensor>& in) { return F::linear(in[0], in[1]); };
    CHECK(gradcheck(with_bias, {leaf({5, 3}, 3), w, b}));
    CHECK(gradcheck(with_bias, {leaf({2, 3, 3}, 4), w, b}));
    CHECK(gradcheck(with_bias, {leaf({3}, 5), w, b}));
    CHECK(gradcheck(no_bias, {leaf({2, 3}, 6), w}));
    // Non-contiguous input and weight (a transposed view of (in, out) storage).
    CHECK(gradcheck(with_bias, {transposed_leaf(5, 3, 7), transposed_leaf(4, 3, 8), b}));
}

TEST_CASE("linear rejects mismatched shapes") {
    CHECK(error_of([] { F::linear(zeros({2, 4}), zeros({3, 5})); }) ==
          "linear: input of shape (2, 4) does not match weight of shape (3, 5): expected last "
          "dim 5");
    CHECK(error_of([] { F::linear(zeros({2, 5}), zeros({3, 5}), zeros({4})); }) ==
          "linear: bias of shape (4) does not match weight of shape (3, 5): expected shape (3)");
    CHECK(error_of([] { F::linear(zeros({2, 5}), zeros({5})); })
              .find("linear: weight must be 2-D") != std::string::npos);
}

// ---- softmax, log_softmax ----------------------------------------------------------------------

TEST_CASE("softmax and log_softmax of known values") {
    Tensor x = tensor({1, 2, 3}, float64);
    check_values(F::softmax(x, 0), {0.09003057317038043, 0.24472847105479759, 0.6652409557748217},
                 1e-12);
    check_values(F::log_softmax(x, -1),
                 {-2.4076059644443806, -1.4076059644443806, -0.4076059644443806}, 1e-12);
}

TEST_CASE("softmax along dim 0 and dim 1 of a matrix") {
    // Columns and rows that are shifts of (0, ln 3) give (1/4, 3/4).
    const double ln3 = std::log(3.0);
    Tensor x = tensor({0, 5, ln3, 5 + ln3}, {2, 2}, float64);
    check_values(F::softmax(x, 0), {0.25, 0.25, 0.75, 0.75}, 1e-12);
    Tensor rows = tensor({0, ln3, -7, -7 + ln3}, {2, 2}, float64);
    check_values(F::softmax(rows, 1), {0.25, 0.75, 0.25, 0.75}, 1e-12);
    check_values(F::log_softmax(rows, 1),
                 {std::log(0.25), std::log(0.75), std::log(0.25), std::log(0.75)}, 1e-12);
}

TEST_CASE("softmax and log_softmax stay finite at +-1000") {
    Tensor x = tensor({1000, 0, -1000}, float64);
    check_values(F::softmax(x, 0), {1, 0, 0});
    check_values(F::log_softmax(x, 0), {0, -1000, -2000});
    Tensor tie = tensor({-1000, -1000}, float32);
    check_values(F::softmax(tie, 0), {0.5, 0.5});
    check_values(F::log_softmax(tie, 0), {-0.6931471805599453, -0.6931471805599453});
    Tensor big = tensor({1000, 1000}, float32);
    check_values(F::log_softmax(big, 0), {-0.6931471805599453, -0.6931471805599453});

    // The gradients are finite too: d/dx sum(w * softmax(x)) at a saturated softmax is 0.
    Tensor leaf_x = tensor({1000, 0, -1000}, float64).requires_grad_();
    (F::softmax(leaf_x, 0) * tensor({1, 2, 3}, float64)).sum().backward();
    check_values(leaf_x.grad(), {0, 0, 0});
    Tensor leaf_y = tensor({1000, 0, -1000}, float64).requires_grad_();
    F::log_softmax(leaf_y, 0).sum().backward();
    check_values(leaf_y.grad(), {-2, 1, 1});  // 1 - 3 softmax
}

TEST_CASE("softmax rows sum to one and equal exp(log_softmax)") {
    Tensor x = leaf({3, 4, 5}, 11).detach();
    Tensor s = F::softmax(x, 1);
    check_values(s.sum(1), std::vector<double>(15, 1.0), 1e-12);
    check_values(s, exp(F::log_softmax(x, 1)).to_vector<double>(), 1e-12);
    CHECK(F::softmax(scalar_tensor(3.0), 0).item() == 1.0);
    CHECK(F::log_softmax(scalar_tensor(3.0), -1).item() == 0.0);
}

TEST_CASE("softmax and log_softmax gradcheck over each dim, non-contiguous") {
    for (std::int64_t dim : {0, 1, 2, -1}) {
        INFO("dim ", dim);
        auto soft = [dim](const std::vector<Tensor>& in) { return F::softmax(in[0], dim); };
        auto log_soft = [dim](const std::vector<Tensor>& in) { return F::log_softmax(in[0], dim); };
        CHECK(gradcheck(soft, {leaf({2, 3, 4}, 12)}));
        CHECK(gradcheck(log_soft, {leaf({2, 3, 4}, 13)}));
    }
    auto soft = [](const std::vector<Tensor>& in) { return F::softmax(in[0], 1); };
    auto log_soft = [](const std::vector<Tensor>& in) { return F::log_softmax(in[0], 1); };
    CHECK(gradcheck(soft, {transposed_leaf(3, 5, 14)}));
    CHECK(gradcheck(log_soft, {transposed_leaf(3, 5, 15)}));
}

TEST_CASE("softmax rejects integer input and bad dims") {
    CHECK(error_of([] { F::softmax(arange(3), 0); }) ==
          "softmax: expected a floating point tensor, got int64");
    CHECK(error_of([] { F::log_softmax(arange(3), 0); }) ==
          "log_softmax: expected a floating point tensor, got int64");
    CHECK(error_of([] { F::softmax(zeros({2, 3}), 2); }).find("softmax") != std::string::npos);
}

// ---- dropout -----------------------------------------------------------------------------------

TEST_CASE("dropout zeroes with probability p and scales the rest by 1/(1-p)") {
    Generator generator(42);
    Tensor x = ones({100000});
    Tensor y = F::dropout(x, 0.25, true, &generator);
    std::int64_t zeros_seen = 0;
    for (float v : y.to_vector<float>()) {
        if (v == 0.0f) {
            ++zeros_seen;
        } else {
            CHECK(v == doctest::Approx(1.0 / 0.75));
        }
    }
    CHECK(std::abs(static_cast<double>(zeros_seen) / 100000.0 - 0.25) < 0.01);
    // Inverted dropout keeps the expectation: the mean stays near 1.
    CHECK(std::abs(y.mean().item() - 1.0) < 0.02);
}

TEST_CASE("dropout with the same seed gives the same mask") {
    Tensor x = leaf({50, 20}, 21).detach();
    Generator a(7), b(7), c(8);
    Tensor ya = F::dropout(x, 0.5, true, &a);
    CHECK(ya.to_vector<double>() == F::dropout(x, 0.5, true, &b).to_vector<double>());
    CHECK(ya.to_vector<double>() != F::dropout(x, 0.5, true, &c).to_vector<double>());
    // The generator advances, so a second draw differs.
    CHECK(ya.to_vector<double>() != F::dropout(x, 0.5, true, &a).to_vector<double>());

    // Without a generator the default one is used: manual_seed makes it reproducible.
    manual_seed(9);
    Tensor first = F::dropout(x, 0.5);
    Generator nine(9);
    CHECK(first.to_vector<double>() == F::dropout(x, 0.5, true, &nine).to_vector<double>());

    // The mask does not depend on the dtype.
    Generator f32(7);
    Tensor y32 = F::dropout(x.to(float32), 0.5, true, &f32);
    check_values((y32 == 0.0).to(float64), (ya == 0.0).to(float64).to_vector<double>());
}

TEST_CASE("dropout gradient is mask / (1 - p)") {
    Generator generator(3);
    Tensor x = leaf({6, 7}, 22);
    Tensor y = F::dropout(x, 0.4, true, &generator);
    y.sum().backward();
    // The kept elements are y = x / 0.6, so mask / (1 - p) = (y != 0) / 0.6.
    Tensor expected = (y.detach() != 0.0).to(float64) / 0.6;
    check_values(x.grad(), expected.to_vector<double>(), 1e-12);
    check_values(y.detach(), (x.detach() * expected).to_vector<double>(), 1e-12);

    // On a non-contiguous leaf, with the same mask in gradcheck's repeated forwards.
    Tensor xt = transposed_leaf(4, 5, 23);
    auto fn = [](const std::vector<Tensor>& in) {
        Generator fixed(5);
        return F::dropout(in[0], 0.3, true, &fixed);
    };
    CHECK(gradcheck(fn, {xt}));
}

TEST_CASE("dropout edge cases: eval, p = 0, p = 1") {
    Tensor x = leaf({3, 4}, 24);
    CHECK(F::dropout(x, 0.5, false).is_same(x));
    CHECK(F::dropout(x, 0.0, true).is_same(x));
    Tensor y = F::dropout(x, 1.0, true);
    check_values(y, std::vector<double>(12, 0.0));
    y.sum().backward();
    check_values(x.grad(), std::vector<double>(12, 0.0));
}

TEST_CASE("dropout rejects p outside [0, 1]") {
    CHECK(error_of([] { F::dropout(ones({2}), 1.5); }) ==
          "dropout probability has to be between 0 and 1, but got 1.5");
    CHECK(error_of([] { F::dropout(ones({2}), -0.1, false); }) ==
          "dropout probability has to be between 0 and 1, but got -0.1");
    CHECK(error_of([] { F::dropout(arange(2), 0.5); }) ==
          "dropout: expected a floating point tensor, got int64");
}

// ---- mse_loss ----------------------------------------------------------------------------------

TEST_CASE("mse_loss of known values, each reduction") {
    Tensor x = tensor({1, 2, 3, 4}, {2, 2}, float64);
    Tensor t = tensor({0, 2, 5, 1}, {2, 2}, float64);
    Tensor none = F::mse_loss(x, t, F::Reduction::none);
    CHECK(none.shape() == Shape{2, 2});
    check_values(none, {1, 0, 4, 9});
    check_values(F::mse_loss(x, t), {3.5});
    check_values(F::mse_loss(x, t, F::Reduction::sum), {14});
    CHECK(F::mse_loss(x, t).dim() == 0);
}

TEST_CASE("mse_loss gradcheck, input and target, non-contiguous") {
    for (F::Reduction reduction : all_reductions) {
        auto fn = [reduction](const std::vector<Tensor>& in) {
            return F::mse_loss(in[0], in[1], reduction);
        };
        CHECK(gradcheck(fn, {leaf({3, 4}, 31), leaf({3, 4}, 32)}));
        CHECK(gradcheck(fn, {transposed_leaf(3, 4, 33), leaf({3, 4}, 34)}));
    }
}

TEST_CASE("mse_loss does not broadcast") {
    CHECK(error_of([] { F::mse_loss(zeros({3, 1}), zeros({3})); }) ==
          "mse_loss: target of shape (3) does not match input of shape (3, 1)");
}

// ---- cross_entropy, nll_loss -------------------------------------------------------------------

TEST_CASE("cross_entropy of known logits, each reduction") {
    Tensor logits = tensor({1, 2, 3, 1, -1, 0.5}, {2, 3}, float64);
    Tensor target = tensor({2, 0}, int64);
    Tensor none = F::cross_entropy(logits, target, F::Reduction::none);
    CHECK(none.shape() == Shape{2});
    check_values(none, {0.4076059644443806, 0.5549569196419908}, 1e-12);
    check_values(F::cross_entropy(logits, target), {0.4812814420431857}, 1e-12);
    check_values(F::cross_entropy(logits, target, F::Reduction::sum), {0.9625628840863714}, 1e-12);
}

TEST_CASE("cross_entropy gradient is (softmax - one_hot) / N") {
    Tensor logits = tensor({1, 2, 3, 1, -1, 0.5}, {2, 3}, float64).requires_grad_();
    F::cross_entropy(logits, tensor({2, 0}, int64)).backward();
    Tensor p = F::softmax(logits.detach(), 1);
    Tensor one_hot = tensor({0, 0, 1, 1, 0, 0}, {2, 3}, float64);
    check_values(logits.grad(), ((p - one_hot) / 2.0).to_vector<double>(), 1e-12);
    // Row 0 by hand: softmax(1, 2, 3) - (0, 0, 1), halved.
    CHECK(logits.grad().to_vector<double>()[2] ==
          doctest::Approx((0.6652409557748217 - 1) / 2).epsilon(1e-12));
}

TEST_CASE("cross_entropy equals nll_loss of log_softmax") {
    Tensor logits = leaf({5, 4}, 41).detach();
    Tensor target = targets(5, 4, 42);
    for (F::Reduction reduction : all_reductions) {
        check_values(F::cross_entropy(logits, target, reduction),
                     F::nll_loss(F::log_softmax(logits, -1), target, reduction)
                         .to_vector<double>(),
                     1e-12);
    }
}

TEST_CASE("nll_loss picks -log_probs[n, target_n]") {
    Tensor lp = tensor({-0.5, -1.5, -2.5, -3.0, -0.25, -4.0}, {2, 3}, float64);
    Tensor target = tensor({1, 2}, int64);
    check_values(F::nll_loss(lp, target, F::Reduction::none), {1.5, 4.0});
    check_values(F::nll_loss(lp, target), {2.75});
    check_values(F::nll_loss(lp, target, F::Reduction::sum), {5.5});
    // A -inf log-probability that is not picked does not spoil the loss.
    Tensor with_inf = tensor({-INFINITY, -0.5, 0}, float64);
    check_values(F::nll_loss(with_inf, scalar_tensor(1, int64)), {0.5});
}

TEST_CASE("cross_entropy and nll_loss on a single (C) input with a () target") {
    Tensor logits = tensor({1, 2, 3}, float64);
    Tensor target = scalar_tensor(0, int64);
    Tensor none = F::cross_entropy(logits, target, F::Reduction::none);
    CHECK(none.dim() == 0);
    check_values(none, {2.4076059644443806}, 1e-12);
    check_values(F::cross_entropy(logits, target), {2.4076059644443806}, 1e-12);
    check_values(F::nll_loss(logits, target, F::Reduction::sum), {-1});
}

TEST_CASE("cross_entropy stays finite at +-1000") {
    Tensor logits = tensor({1000, -1000, 0, -1000, -1000, 1000}, {2, 3}, float64)
                        .requires_grad_();
    Tensor target = tensor({1, 2}, int64);
    check_values(F::cross_entropy(logits, target, F::Reduction::none), {2000, 0});
    F::cross_entropy(logits, target, F::Reduction::sum).backward();
    // softmax is (1, 0, 0) and (0, 0, 1): the gradients are exactly softmax - one_hot.
    check_values(logits.grad(), {1, -1, 0, 0, 0, 0});
    Tensor f32 = tensor({1000, -1000, 0}, float32);
    check_values(F::cross_entropy(f32, scalar_tensor(0, int64)), {0});
    check_values(F::cross_entropy(f32, scalar_tensor(1, int64)), {2000});
}

TEST_CASE("cross_entropy ignore_index: no loss, no gradient, mean over the rest") {
    Tensor logits = tensor({1, 2, 3, 5, 5, 5, 1, -1, 0.5}, {3, 3}, float64).requires_grad_();
    Tensor target = tensor({2, -100, 0}, int64);
    check_values(F::cross_entropy(logits, target, F::Reduction::none),
                 {0.4076059644443806, 0, 0.5549569196419908}, 1e-12);
    check_values(F::cross_entropy(logits, target, F::Reduction::sum), {0.9625628840863714}, 1e-12);
    Tensor loss = F::cross_entropy(logits, target);
    check_values(loss, {0.4812814420431857}, 1e-12);
    loss.backward();
    std::vector<double> grad = logits.grad().to_vector<double>();
    CHECK(grad[3] == 0.0);
    CHECK(grad[4] == 0.0);
    CHECK(grad[5] == 0.0);
    CHECK(grad[2] == doctest::Approx((0.6652409557748217 - 1) / 2).epsilon(1e-12));

    // An ignore_index inside [0, C) ignores that class.
    Tensor lp = tensor({-0.5, -1.5, -2.5, -3.0, -0.25, -4.0}, {2, 3}, float64);
    check_values(F::nll_loss(lp, tensor({1, 2}, int64), F::Reduction::mean, 1), {4.0});
    // All ignored: the mean is 0/0, NaN, as in PyTorch.
    CHECK(std::isnan(F::nll_loss(lp, tensor({1, 1}, int64), F::Reduction::mean, 1).item()));
    check_values(F::nll_loss(lp, tensor({1, 1}, int64), F::Reduction::sum, 1), {0});
}

TEST_CASE("cross_entropy and nll_loss gradcheck, each reduction, non-contiguous") {
    Tensor target = targets(4, 5, 51);
    Tensor with_ignored = tensor({3, -100, 0, 4}, int64);
    for (F::Reduction reduction : all_reductions) {
        auto ce = [&](const std::vector<Tensor>& in) {
            return F::cross_entropy(in[0], target, reduction);
        };
        auto ce_ignored = [&](const std::vector<Tensor>& in) {
            return F::cross_entropy(in[0], with_ignored, reduction);
        };
        auto nll = [&](const std::vector<Tensor>& in) {
            return F::nll_loss(in[0], target, reduction);
        };
        auto single = [&](const std::vector<Tensor>& in) {
            return F::cross_entropy(in[0], scalar_tensor(2, int64), reduction);
        };
        CHECK(gradcheck(ce, {leaf({4, 5}, 52)}));
        CHECK(gradcheck(ce, {transposed_leaf(4, 5, 53)}));
        CHECK(gradcheck(ce_ignored, {leaf({4, 5}, 54)}));
        CHECK(gradcheck(nll, {transposed_leaf(4, 5, 55)}));
        CHECK(gradcheck(single, {leaf({5}, 56)}));
    }
}

TEST_CASE("cross_entropy and nll_loss reject bad targets and shapes") {
    Tensor logits = zeros({2, 3});
    CHECK(error_of([&] { F::cross_entropy(logits, tensor({0, 5}, int64)); }) ==
          "cross_entropy: target 5 is out of bounds for 3 classes");
    CHECK(error_of([&] { F::nll_loss(logits, tensor({-1, 0}, int64)); }) ==
          "nll_loss: target -1 is out of bounds for 3 classes");
    CHECK(error_of([&] {
              F::cross_entropy(logits, tensor({0, 1}, float32));
          }) == "cross_entropy: expected target of dtype int64 (class indices), but got float32");
    CHECK(error_of([&] { F::cross_entropy(logits, tensor({0, 1, 2}, int64)); }) ==
          "cross_entropy: expected input batch_size (2) to match target batch_size (3)");
    CHECK(error_of([&] { F::cross_entropy(zeros({2, 3, 4}), tensor({0, 1}, int64)); }) ==
          "cross_entropy: expected input of shape (N, C) or (C), but got shape (2, 3, 4)");
    CHECK(error_of([&] { F::cross_entropy(logits, scalar_tensor(0, int64)); })
              .find("cross_entropy: expected target of 1 dims") != std::string::npos);
    CHECK(error_of([&] { F::nll_loss(arange(3), scalar_tensor(0, int64)); }) ==
          "nll_loss: expected a floating point input, got int64");
}

// ---- binary_cross_entropy_with_logits ----------------------------------------------------------

TEST_CASE("binary_cross_entropy_with_logits of known values, each reduction") {
    Tensor x = tensor({-2, 0, 0.5, 3}, float64);
    Tensor t = tensor({0, 1, 0.25, 1}, float64);
    check_values(F::binary_cross_entropy_with_logits(x, t, F::Reduction::none),
                 {0.1269280110429726, 0.6931471805599453, 0.8490769841801067, 0.04858735157374196},
                 1e-12);
    check_values(F::binary_cross_entropy_with_logits(x, t), {0.42943488183919165}, 1e-12);
    check_values(F::binary_cross_entropy_with_logits(x, t, F::Reduction::sum),
                 {1.7177395273567666}, 1e-12);
}

TEST_CASE("binary_cross_entropy_with_logits is stable at +-1000 with gradient sigmoid(x) - t") {
    Tensor x = tensor({1000, -1000, 1000, 0, 0}, float64).requires_grad_();
    Tensor t = tensor({0, 1, 1, 1, 0.25}, float64);
    Tensor loss = F::binary_cross_entropy_with_logits(x, t, F::Reduction::none);
    check_values(loss, {1000, 1000, 0, std::log(2.0), std::log(2.0)}, 1e-12);
    loss.sum().backward();
    // sigmoid(x) - t, including the kink-free value 0.5 - t at x = 0.
    check_values(x.grad(), {1, -1, 0, -0.5, 0.25}, 1e-12);
}

TEST_CASE("binary_cross_entropy_with_logits gradcheck, each reduction, non-contiguous") {
    Generator generator(61);
    Tensor t = rand({3, 4}, float64, &generator);
    for (F::Reduction reduction : all_reductions) {
        auto fn = [reduction](const std::vector<Tensor>& in) {
            return F::binary_cross_entropy_with_logits(in[0], in[1], reduction);
        };
        CHECK(gradcheck(fn, {leaf({3, 4}, 62), t.clone().requires_grad_()}));
        CHECK(gradcheck(fn, {transposed_leaf(3, 4, 63), t}));
    }
}

TEST_CASE("binary_cross_entropy_with_logits rejects mismatched shapes") {
    CHECK(error_of([] { F::binary_cross_entropy_with_logits(zeros({3, 1}), zeros({3})); }) ==
          "binary_cross_entropy_with_logits: target size (3) must be the same as input size "
          "(3, 1)");
    CHECK(error_of([] { F::binary_cross_entropy_with_logits(arange(3), arange(3)); }) ==
          "binary_cross_entropy_with_logits: expected a floating point input, got int64");
}
