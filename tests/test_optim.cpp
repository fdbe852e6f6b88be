// lucid::optim: hand-computed steps of SGD, Adam and AdamW, gradient clipping, the schedulers'
// lr sequences, state_dict round trips and errors, and parity with PyTorch 1.13: every run in
// tests/data/optim_golden.json (written by tools/make_optim_golden.py) is replayed on the same
// GRU + Linear model and must match every parameter after every step, the lr and the loss.
#include <nlohmann/json.hpp>

#include <cmath>
#include <fstream>
#include <limits>
#include <memory>

#include "helpers.hpp"
#include "lucidpp/nn/functional.hpp"
#include "lucidpp/nn/gru.hpp"
#include "lucidpp/nn/linear.hpp"

using namespace lucid;
using lucid::testing::check_values;
using lucid::testing::error_of;

namespace {

// A float64 leaf that requires grad.
Tensor param_of(const std::vector<double>& values, Dtype dtype = float64) {
    return tensor(values, dtype).requires_grad_();
}

void set_grad(const Tensor& param, const std::vector<double>& values) {
    param.set_grad(tensor(values, param.shape(), param.dtype()));
}

// Every element of `actual` is exactly `expected`.
void check_exact(const Tensor& actual, const std::vector<double>& expected) {
    CHECK(actual.to_vector<double>() == expected);
}

bool contains(const std::string& text, const std::string& part) {
    return text.find(part) != std::string::npos;
}

// Adam on one scalar, written from the formula in adam.hpp: the reference for the hand checks.
struct ScalarAdam {
    double lr, beta1, beta2, eps, weight_decay;
    bool amsgrad = false, decoupled = false;
    double m = 0, v = 0, v_max = 0;
    int t = 0;

    double step(double theta, double g) {
        ++t;
        if (decoupled) theta *= 1 - lr * weight_decay;
        else g += weight_decay * theta;
        m = beta1 * m + (1 - beta1) * g;
        v = beta2 * v + (1 - beta2) * g * g;
        v_max = std::max(v_max, v);
        const double m_hat = m / (1 - std::pow(beta1, t));
        const double v_hat = (amsgrad ? v_max : v) / (1 - std::pow(beta2, t));
        return theta - lr * m_hat / (std::sqrt(v_hat) + eps);
    }
};

}  // namespace

// ---- SGD -------------------------------------------------------------------------------------

TEST_CASE("optim: SGD plain step is theta - lr g") {
    Tensor w = param_of({1.0, 2.0});
    optim::SGD sgd({w}, {.lr = 0.1});
    set_grad(w, {0.5, -1.0});
    sgd.step();
    check_values(w, {0.95, 2.1}, 1e-15);
    CHECK(w.requires_grad());
    CHECK(w.grad().defined());  // step does not touch gradients
}

TEST_CASE("optim: SGD momentum, dampening and weight decay, two steps by hand") {
    Tensor w = param_of({1.0});
    optim::SGD sgd({w}, {.lr = 0.1, .momentum = 0.9, .dampening = 0.5, .weight_decay = 0.1});
    set_grad(w, {2.0});
    sgd.step();
    // d = 2 + 0.1 * 1 = 2.1; first buffer = d (no dampening); theta = 1 - 0.1 * 2.1
    check_values(sgd.state(w)->momentum_buffer, {2.1}, 1e-15);
    check_values(w, {0.79}, 1e-15);
    set_grad(w, {-1.0});
    sgd.step();
    // d = -1 + 0.1 * 0.79 = -0.921; b = 0.9 * 2.1 + 0.5 * d = 1.4295; theta = 0.79 - 0.14295
    check_values(sgd.state(w)->momentum_buffer, {1.4295}, 1e-14);
    check_values(w, {0.64705}, 1e-14);
}

TEST_CASE("optim: SGD nesterov and maximize by hand") {
    Tensor w = param_of({1.0});
    optim::SGD nesterov({w}, {.lr = 0.1, .momentum = 0.9, .nesterov = true});
    set_grad(w, {2.0});
    nesterov.step();  // b = 2, d = 2 + 0.9 * 2 = 3.8
    check_values(w, {0.62}, 1e-15);
    set_grad(w, {1.0});
    nesterov.step();  // b = 0.9 * 2 + 1 = 2.8, d = 1 + 0.9 * 2.8 = 3.52
    check_values(w, {0.268}, 1e-14);

    Tensor u = param_of({1.0});
    optim::SGD ascent({u}, {.lr = 0.1, .maximize = true});
    set_grad(u, {2.0});
    ascent.step();
    check_values(u, {1.2}, 1e-15);
}

TEST_CASE("optim: SGD updates float32 parameters in float32") {
    Tensor w = param_of({1.0, -3.0}, float32);
    optim::SGD sgd({w}, {.lr = 0.1, .momentum = 0.5});
    set_grad(w, {0.25, 1.0});
    sgd.step();
    CHECK(w.dtype() == float32);
    CHECK(sgd.state(w)->momentum_buffer.dtype() == float32);
    const std::vector<float> values = w.to_vector<float>();
    CHECK(values[0] == 1.0f + -0.1f * 0.25f);
    CHECK(values[1] == -3.0f + -0.1f * 1.0f);
}

TEST_CASE("optim: step skips parameters without a gradient and updates non-contiguous ones") {
    Tensor a = param_of({1.0, 2.0});
    Tensor b = param_of({3.0});
    Tensor t = tensor({1, 2, 3, 4, 5, 6}, {2, 3}, float64).t();  // (3, 2), not contiguous
    t.requires_grad_();
    optim::SGD sgd({a, b, t}, {.lr = 0.5, .momentum = 0.9});
    set_grad(a, {1.0, 1.0});
    t.set_grad(ones({3, 2}, float64));
    const auto version = t.version();
    sgd.step();
    check_values(a, {0.5, 1.5}, 1e-15);
    check_exact(b, {3.0});
    CHECK(sgd.state(b) == nullptr);  // no state for a parameter never stepped
    CHECK(sgd.state(a) != nullptr);
    CHECK_FALSE(t.is_contiguous());
    check_values(t, {0.5, 3.5, 1.5, 4.5, 2.5, 5.5}, 1e-15);
    CHECK(t.version() > version);
}

// ---- Adam and AdamW --------------------------------------------------------------------------

TEST_CASE("optim: Adam first step moves each parameter by lr g / (|g| + eps)") {
    Tensor w = param_of({1.0, -2.0});
    optim::Adam adam({w}, {.lr = 0.1});
    set_grad(w, {2.0, -0.5});
    adam.step();
    check_values(w, {1.0 - 0.1 * 2.0 / (2.0 + 1e-8), -2.0 + 0.1 * 0.5 / (0.5 + 1e-8)}, 1e-15);
    const optim::AdamState* state = adam.state(w);
    REQUIRE(state != nullptr);
    CHECK(state->step == 1);
    check_values(state->exp_avg, {0.2, -0.05}, 1e-15);
    check_values(state->exp_avg_sq, {0.004, 0.00025}, 1e-15);
    CHECK_FALSE(state->max_exp_avg_sq.defined());
}

TEST_CASE("optim: Adam with weight decay and maximize follows the formula over several steps") {
    const std::vector<double> grads = {0.3, -1.2, 0.7, 0.05, -0.4};
    Tensor w = param_of({0.5});
    optim::Adam adam({w}, {.lr = 0.05, .betas = {0.8, 0.95}, .eps = 1e-6, .weight_decay = 0.1});
    ScalarAdam reference{.lr = 0.05, .beta1 = 0.8, .beta2 = 0.95, .eps = 1e-6,
                         .weight_decay = 0.1};
    double expected = 0.5;
    for (double g : grads) {
        set_grad(w, {g});
        adam.step();
        expected = reference.step(expected, g);
        check_values(w, {expected}, 1e-13);
    }
    CHECK(adam.state(w)->step == 5);

    Tensor u = param_of({0.5});
    optim::Adam ascent({u}, {.lr = 0.05, .maximize = true});
    ScalarAdam up{.lr = 0.05, .beta1 = 0.9, .beta2 = 0.999, .eps = 1e-8, .weight_decay = 0};
    expected = 0.5;
    for (double g : grads) {
        set_grad(u, {g});
        ascent.step();
        expected = up.step(expected, -g);
        check_values(u, {expected}, 1e-13);
    }
}

TEST_CASE("optim: Adam amsgrad keeps the largest second moment and so differs from Adam") {
    const std::vector<double> grads = {10.0, 0.1, 0.1, 0.1};
    Tensor plain = param_of({1.0});
    Tensor ams = param_of({1.0});
    optim::Adam adam({plain}, {.lr = 0.1, .betas = {0.9, 0.5}});
    optim::Adam amsgrad({ams}, {.lr = 0.1, .betas = {0.9, 0.5}, .amsgrad = true});
    ScalarAdam reference{.lr = 0.1, .beta1 = 0.9, .beta2 = 0.5, .eps = 1e-8, .weight_decay = 0,
                         .amsgrad = true};
    double expected = 1.0;
    for (double g : grads) {
        set_grad(plain, {g});
        set_grad(ams, {g});
        adam.step();
        amsgrad.step();
        expected = reference.step(expected, g);
    }
    check_values(ams, {expected}, 1e-13);
    // v fell from 50 to about 6.3, the max stayed at 50: amsgrad took smaller steps.
    check_values(amsgrad.state(ams)->max_exp_avg_sq, {50.0}, 1e-15);
    CHECK(amsgrad.state(ams)->exp_avg_sq.item() < 7.0);
    CHECK(std::abs(plain.item() - ams.item()) > 1e-3);
    CHECK(plain.item() < ams.item());
}

TEST_CASE("optim: AdamW decays the weights apart from the gradient") {
    Tensor w = param_of({2.0});
    optim::AdamW adamw({w}, {.lr = 0.1, .weight_decay = 0.5});
    set_grad(w, {1.0});
    adamw.step();
    // theta (1 - lr lambda) - lr g / (|g| + eps)
    check_values(w, {2.0 * (1 - 0.05) - 0.1 / (1.0 + 1e-8)}, 1e-15);

    ScalarAdam reference{.lr = 0.1, .beta1 = 0.9, .beta2 = 0.999, .eps = 1e-8,
                         .weight_decay = 0.5, .decoupled = true};
    double expected = reference.step(2.0, 1.0);
    for (double g : {-0.5, 0.25, 2.0}) {
        set_grad(w, {g});
        adamw.step();
        expected = reference.step(expected, g);
    }
    check_values(w, {expected}, 1e-13);

    Tensor v = param_of({1.0});
    optim::AdamW defaults({v});
    CHECK(defaults.options().weight_decay == 1e-2);
    CHECK(defaults.options().lr == 1e-3);
    CHECK(optim::Adam({v}).options().weight_decay == 0.0);
}

TEST_CASE("optim: AdamW with amsgrad and maximize follows the formula") {
    Tensor w = param_of({0.3, -0.7});
    optim::AdamW adamw({w}, {.lr = 0.05, .betas = {0.5, 0.6}, .eps = 1e-4, .weight_decay = 0.2,
                             .amsgrad = true, .maximize = true});
    std::vector<ScalarAdam> reference(2, ScalarAdam{.lr = 0.05, .beta1 = 0.5, .beta2 = 0.6,
                                                    .eps = 1e-4, .weight_decay = 0.2,
                                                    .amsgrad = true, .decoupled = true});
    std::vector<double> expected = {0.3, -0.7};
    for (const auto& grads : std::vector<std::vector<double>>{{2, -1}, {0.1, 0.5}, {-0.2, 0.05}}) {
        set_grad(w, grads);
        adamw.step();
        for (std::size_t i = 0; i < 2; ++i) {
            expected[i] = reference[i].step(expected[i], -grads[i]);
        }
        check_values(w, expected, 1e-13);
    }
}

TEST_CASE("optim: step runs under NoGradGuard and records no graph") {
    Tensor w = param_of({1.0, 2.0});
    optim::Adam adam({w}, {.lr = 0.1});
    (w * w).sum().backward();
    REQUIRE(GradMode::is_enabled());
    adam.step();
    CHECK(GradMode::is_enabled());
    CHECK(w.is_leaf());
    CHECK(w.grad_fn() == nullptr);
    CHECK(w.requires_grad());
    // The updated parameter feeds a new graph as usual.
    adam.zero_grad();
    (w * 3.0).sum().backward();
    check_values(w.grad(), {3.0, 3.0}, 1e-15);
}

TEST_CASE("optim: optimizers are used through the Optimizer base") {
    Tensor a = param_of({1.0});
    Tensor b = param_of({1.0});
    std::vector<std::unique_ptr<optim::Optimizer>> optimizers;
    optimizers.push_back(std::make_unique<optim::SGD>(std::vector<Tensor>{a},
                                                      optim::SGDOptions{.lr = 0.5}));
    optimizers.push_back(std::make_unique<optim::AdamW>(std::vector<Tensor>{b},
                                                        optim::AdamWOptions{.lr = 0.1}));
    CHECK(optimizers[0]->name() == "SGD");
    CHECK(optimizers[1]->name() == "AdamW");
    for (auto& optimizer : optimizers) {
        optimizer->zero_grad();
        set_grad(optimizer->param_groups()[0].params[0], {1.0});
        optimizer->step();
    }
    check_values(a, {0.5}, 1e-15);
    check_values(b, {1.0 * (1 - 0.1 * 0.01) - 0.1 / (1 + 1e-8)}, 1e-15);
}

// ---- options, groups, zero_grad --------------------------------------------------------------

TEST_CASE("optim: invalid options throw with PyTorch's wording") {
    Tensor w = param_of({1.0});
    CHECK(error_of([&] { optim::SGD({w}, {.lr = -1}); }) == "SGD: Invalid learning rate: -1");
    CHECK(error_of([&] { optim::SGD({w}, {.lr = 0.1, .momentum = -0.5}); }) ==
          "SGD: Invalid momentum value: -0.5");
    CHECK(error_of([&] { optim::SGD({w}, {.lr = 0.1, .weight_decay = -2}); }) ==
          "SGD: Invalid weight_decay value: -2");
    CHECK(error_of([&] { optim::SGD({w}, {.lr = 0.1, .nesterov = true}); }) ==
          "SGD: Nesterov momentum requires a momentum and zero dampening");
    CHECK(contains(error_of([&] {
                       optim::SGD({w}, {.lr = 0.1, .momentum = 0.9, .dampening = 0.1,
                                        .nesterov = true});
                   }),
                   "Nesterov momentum requires a momentum and zero dampening"));
    CHECK(error_of([&] { optim::Adam({w}, {.lr = -0.1}); }) ==
          "Adam: Invalid learning rate: -0.1");
    CHECK(error_of([&] { optim::Adam({w}, {.eps = -1e-8}); }) ==
          "Adam: Invalid epsilon value: -1e-08");
    CHECK(error_of([&] { optim::Adam({w}, {.betas = {1.0, 0.999}}); }) ==
          "Adam: Invalid beta parameter at index 0: 1");
    CHECK(error_of([&] { optim::Adam({w}, {.betas = {0.9, -0.1}}); }) ==
          "Adam: Invalid beta parameter at index 1: -0.1");
    CHECK(error_of([&] { optim::AdamW({w}, {.weight_decay = -1}); }) ==
          "AdamW: Invalid weight_decay value: -1");
    CHECK(contains(error_of([&] { optim::Adam({w}, {.lr = std::nan("")}); }),
                   "Invalid learning rate: nan"));
}

TEST_CASE("optim: parameter lists are checked") {
    Tensor w = param_of({1.0});
    CHECK(error_of([&] { optim::SGD({}, {.lr = 0.1}); }) ==
          "SGD: optimizer got an empty parameter list");
    CHECK(error_of([&] { optim::Adam({w * 2.0}); }) == "Adam: can't optimize a non-leaf Tensor");
    CHECK(contains(error_of([&] { optim::SGD({arange(3)}, {.lr = 0.1}); }),
                   "can only optimize floating point Tensors, got int64"));
    CHECK(contains(error_of([&] { optim::SGD({w, w}, {.lr = 0.1}); }), "duplicate parameters"));
    optim::SGD sgd({w}, {.lr = 0.1});
    CHECK(error_of([&] { sgd.add_param_group({w}, {.lr = 0.2}); }) ==
          "SGD: some parameters appear in more than one parameter group");
    CHECK(sgd.param_groups().size() == 1);
}

TEST_CASE("optim: param groups have their own options and lr") {
    Tensor a = param_of({1.0});
    Tensor b = param_of({1.0});
    optim::SGD sgd({a}, {.lr = 0.1});
    sgd.add_param_group({b}, {.lr = 0.01, .momentum = 0.9});
    REQUIRE(sgd.param_groups().size() == 2);
    CHECK(sgd.options(1).momentum == 0.9);
    set_grad(a, {1.0});
    set_grad(b, {1.0});
    sgd.step();
    check_values(a, {0.9}, 1e-15);
    check_values(b, {0.99}, 1e-15);

    sgd.param_groups()[0].lr = 0.5;  // what a scheduler does
    CHECK(sgd.options(0).lr == 0.5);
    sgd.step();
    check_values(a, {0.4}, 1e-15);

    sgd.set_options(0, {.lr = 0.25, .weight_decay = 1.0});
    CHECK(sgd.param_groups()[0].lr == 0.25);
    CHECK(error_of([&] { sgd.set_options(0, {.lr = -1}); }) == "SGD: Invalid learning rate: -1");
    CHECK(sgd.options(0).weight_decay == 1.0);
    CHECK(contains(error_of([&] { sgd.options(2); }), "no parameter group 2"));
}

TEST_CASE("optim: zero_grad drops gradients or zeroes them in place") {
    Tensor w = param_of({1.0, 2.0});
    optim::SGD sgd({w}, {.lr = 0.1});
    set_grad(w, {3.0, 4.0});
    Tensor grad = w.grad();
    sgd.zero_grad(/*set_to_none=*/false);
    REQUIRE(w.grad().defined());
    CHECK(w.grad().is_same(grad));
    check_exact(w.grad(), {0.0, 0.0});

    sgd.zero_grad();
    CHECK_FALSE(w.grad().defined());
    sgd.step();  // no gradient: nothing moves
    check_exact(w, {1.0, 2.0});

    (w * w).sum().backward();
    check_exact(w.grad(), {2.0, 4.0});
}

// ---- state_dict ------------------------------------------------------------------------------

TEST_CASE("optim: SGD state_dict has PyTorch's layout") {
    Tensor a = param_of({1.0, 2.0});
    Tensor b = param_of({3.0});
    Tensor c = param_of({4.0});
    optim::SGD sgd({a, b}, {.lr = 0.1, .momentum = 0.9});
    sgd.add_param_group({c}, {.lr = 0.2});
    set_grad(a, {0.5, 0.25});
    set_grad(c, {1.0});
    sgd.step();
    const nlohmann::json dict = sgd.state_dict();
    CHECK(dict["param_groups"].size() == 2);
    CHECK(dict["param_groups"][0]["params"] == nlohmann::json::array({0, 1}));
    CHECK(dict["param_groups"][1]["params"] == nlohmann::json::array({2}));
    CHECK(dict["param_groups"][0]["lr"] == 0.1);
    CHECK(dict["param_groups"][0]["momentum"] == 0.9);
    CHECK(dict["param_groups"][1]["nesterov"] == false);
    CHECK(dict["state"].size() == 2);  // b had no gradient
    const nlohmann::json& buffer = dict["state"]["0"]["momentum_buffer"];
    CHECK(buffer["dtype"] == "float64");
    CHECK(buffer["shape"] == nlohmann::json::array({2}));
    CHECK(buffer["data"] == nlohmann::json::array({0.5, 0.25}));
    CHECK(dict["state"]["2"]["momentum_buffer"].is_null());  // momentum 0: a None buffer
}

TEST_CASE("optim: state round-trips exactly through JSON text, float32 and non-finite too") {
    Tensor w = param_of({0.1, 0.2, 0.3}, float32);
    optim::Adam adam({w}, {.lr = 0.01, .amsgrad = true});
    set_grad(w, {1.0f / 3, std::numeric_limits<double>::infinity(), 0.7});
    adam.step();
    const nlohmann::json dict = nlohmann::json::parse(adam.state_dict().dump());
    CHECK(dict["state"]["0"]["exp_avg_sq"]["data"][1] == "inf");

    Tensor copy = param_of({0.1, 0.2, 0.3}, float32);
    optim::Adam restored({copy}, {.lr = 0.5});
    restored.load_state_dict(dict);
    CHECK(restored.options().lr == 0.01);
    CHECK(restored.options().amsgrad);
    const optim::AdamState* state = restored.state(copy);
    REQUIRE(state != nullptr);
    CHECK(state->step == 1);
    CHECK(state->exp_avg.dtype() == float32);
    CHECK(state->exp_avg.to_vector<float>() == adam.state(w)->exp_avg.to_vector<float>());
    CHECK(std::isinf(state->exp_avg_sq.to_vector<float>()[1]));
    CHECK(state->max_exp_avg_sq.to_vector<float>() ==
          adam.state(w)->max_exp_avg_sq.to_vector<float>());
}

TEST_CASE("optim: load_state_dict checks counts and shapes and changes nothing when it fails") {
    Tensor a = param_of({1.0, 2.0});
    optim::SGD sgd({a}, {.lr = 0.1, .momentum = 0.9});
    set_grad(a, {1.0, 1.0});
    sgd.step();
    const nlohmann::json good = sgd.state_dict();

    Tensor b = param_of({5.0, 6.0});
    optim::SGD other({b}, {.lr = 0.7});
    auto unchanged = [&] {
        CHECK(other.param_groups()[0].lr == 0.7);
        CHECK(other.state(b) == nullptr);
    };

    nlohmann::json two_groups = good;
    two_groups["param_groups"].push_back(good["param_groups"][0]);
    CHECK(contains(error_of([&] { other.load_state_dict(two_groups); }),
                   "loaded state dict has a different number of parameter groups"));
    unchanged();

    nlohmann::json bigger = good;
    bigger["param_groups"][0]["params"] = {0, 1};
    CHECK(contains(error_of([&] { other.load_state_dict(bigger); }),
                   "loaded state dict contains a parameter group that doesn't match the size of "
                   "optimizer's group"));
    unchanged();

    nlohmann::json wrong_shape = good;
    wrong_shape["state"]["0"]["momentum_buffer"]["shape"] = {1, 2};
    CHECK(contains(error_of([&] { other.load_state_dict(wrong_shape); }),
                   "momentum_buffer has shape (1, 2), expected (2) (the parameter's)"));
    unchanged();

    nlohmann::json bad_option = good;
    bad_option["param_groups"][0]["momentum"] = -1.0;
    CHECK(error_of([&] { other.load_state_dict(bad_option); }) ==
          "SGD: Invalid momentum value: -1");
    unchanged();

    nlohmann::json missing = good;
    missing["param_groups"][0].erase("dampening");
    CHECK(contains(error_of([&] { other.load_state_dict(missing); }), "missing \"dampening\""));
    CHECK(contains(error_of([&] { other.load_state_dict(nlohmann::json::array()); }),
                   "expected an object with \"state\" and \"param_groups\""));
    unchanged();

    other.load_state_dict(good);
    CHECK(other.param_groups()[0].lr == 0.1);
    check_exact(other.state(b)->momentum_buffer, {1.0, 1.0});
}

TEST_CASE("optim: Adam state_dict holds step and moments; another kind's dict is refused") {
    Tensor w = param_of({1.0, 2.0});
    optim::Adam adam({w}, {.lr = 0.1, .betas = {0.8, 0.9}});
    set_grad(w, {1.0, -2.0});
    adam.step();
    adam.step();
    const nlohmann::json dict = adam.state_dict();
    CHECK(dict["param_groups"][0]["betas"] == nlohmann::json::array({0.8, 0.9}));
    CHECK(dict["param_groups"][0]["amsgrad"] == false);
    const nlohmann::json& state = dict["state"]["0"];
    CHECK(state["step"] == 2);
    CHECK(state["exp_avg"]["data"][0].get<double>() == doctest::Approx(0.36).epsilon(1e-15));
    CHECK(state["exp_avg_sq"]["data"][1].get<double>() == doctest::Approx(0.76).epsilon(1e-15));
    CHECK_FALSE(state.contains("max_exp_avg_sq"));

    Tensor u = param_of({1.0, 2.0});
    optim::SGD sgd({u}, {.lr = 0.1});
    CHECK(error_of([&] { adam.load_state_dict(sgd.state_dict()); }) ==
          "Adam.load_state_dict: param_groups[0]: missing \"betas\"");
    CHECK(adam.state(w)->step == 2);

    nlohmann::json stray = dict;
    stray["state"]["5"] = state;
    CHECK(error_of([&] { adam.load_state_dict(stray); }) ==
          "Adam.load_state_dict: state for parameter \"5\", which no group lists");
    nlohmann::json bad_step = dict;
    bad_step["state"]["0"]["step"] = 1.5;
    CHECK(contains(error_of([&] { adam.load_state_dict(bad_step); }),
                   "expected a whole number of steps, got 1.5"));
    CHECK(adam.state(w)->step == 2);
}

// ---- clipping --------------------------------------------------------------------------------

TEST_CASE("optim: clip_grad_norm_ scales all gradients by max_norm / total norm") {
    Tensor a = param_of({0.0, 0.0});
    Tensor b = param_of({0.0});
    Tensor c = param_of({0.0});  // no gradient: ignored
    set_grad(a, {3.0, 4.0});
    set_grad(b, {12.0});
    const double total = optim::clip_grad_norm_({a, b, c}, 6.5);
    CHECK(total == doctest::Approx(13.0).epsilon(1e-15));
    const double coef = 6.5 / (13.0 + 1e-6);
    check_values(a.grad(), {3.0 * coef, 4.0 * coef}, 1e-15);
    check_values(b.grad(), {12.0 * coef}, 1e-15);
    CHECK_FALSE(c.grad().defined());

    // Below max_norm the coefficient is clamped to 1: nothing changes.
    set_grad(a, {0.3, 0.4});
    CHECK(optim::clip_grad_norm_({a}, 1.0) == doctest::Approx(0.5).epsilon(1e-15));
    check_exact(a.grad(), {0.3, 0.4});

    CHECK(optim::clip_grad_norm_({c}, 1.0) == 0.0);
}

TEST_CASE("optim: clip_grad_norm_ with the inf norm and the 1-norm") {
    Tensor a = param_of({0.0, 0.0});
    Tensor b = param_of({0.0});
    set_grad(a, {1.0, -4.0});
    set_grad(b, {2.0});
    CHECK(optim::clip_grad_norm_({a, b}, 2.0, optim::inf) == 4.0);
    check_values(a.grad(), {2.0 / (4.0 + 1e-6), -8.0 / (4.0 + 1e-6)}, 1e-15);

    set_grad(a, {1.0, -4.0});
    set_grad(b, {2.0});
    CHECK(optim::clip_grad_norm_({a, b}, 14.0, 1.0) == 7.0);
    check_exact(b.grad(), {2.0});
    CHECK(optim::clip_grad_norm_({a, b}, 100.0, 3.0) ==
          doctest::Approx(std::cbrt(1.0 + 64.0 + 8.0)).epsilon(1e-14));
}

TEST_CASE("optim: clip_grad_norm_ with a non-finite norm") {
    Tensor a = param_of({0.0, 0.0});
    set_grad(a, {std::numeric_limits<double>::infinity(), 1.0});
    CHECK(error_of([&] { optim::clip_grad_norm_({a}, 1.0, 2.0, true); }) ==
          "clip_grad_norm_: The total norm of order 2 for gradients from `parameters` is "
          "non-finite, so it cannot be clipped. To disable this error and scale the gradients "
          "by the non-finite norm anyway, set `error_if_nonfinite=False`");
    CHECK(std::isinf(a.grad().to_vector<double>()[0]));  // unchanged
    CHECK(a.grad().to_vector<double>()[1] == 1.0);
    // Without the check, PyTorch's arithmetic: the coefficient is 1 / inf = 0.
    CHECK(std::isinf(optim::clip_grad_norm_({a}, 1.0)));
    CHECK(std::isnan(a.grad().to_vector<double>()[0]));
    CHECK(a.grad().to_vector<double>()[1] == 0.0);
}

TEST_CASE("optim: clip_grad_norm_ on float32 gradients") {
    Tensor a = param_of({0.0, 0.0}, float32);
    set_grad(a, {6.0, 8.0});
    CHECK(optim::clip_grad_norm_({a}, 5.0) == 10.0);
    CHECK(a.grad().dtype() == float32);
    const std::vector<float> clipped = a.grad().to_vector<float>();
    const auto coef = static_cast<float>(5.0 / (10.0 + 1e-6));
    CHECK(clipped[0] == 6.0f * coef);
    CHECK(clipped[1] == 8.0f * coef);
}

TEST_CASE("optim: clip_grad_value_ clamps each element") {
    Tensor a = param_of({0.0, 0.0, 0.0});
    Tensor b = param_of({0.0});
    set_grad(a, {-3.0, 0.5, 2.0});
    optim::clip_grad_value_({a, b}, 1.0);
    check_exact(a.grad(), {-1.0, 0.5, 1.0});
    CHECK_FALSE(b.grad().defined());
    CHECK(contains(error_of([&] { optim::clip_grad_value_({a}, -1.0); }),
                   "clip_value must be non-negative"));
}

// ---- schedulers ------------------------------------------------------------------------------

namespace {

// The lr after construction and after each of `steps` steps.
template <class Scheduler>
std::vector<double> lr_sequence(optim::Optimizer& optimizer, Scheduler& scheduler, int steps) {
    std::vector<double> lrs{optimizer.param_groups()[0].lr};
    for (int i = 0; i < steps; ++i) {
        scheduler.step();
        CHECK(scheduler.get_last_lr()[0] == optimizer.param_groups()[0].lr);
        lrs.push_back(optimizer.param_groups()[0].lr);
    }
    return lrs;
}

void check_sequence(const std::vector<double>& actual, const std::vector<double>& expected,
                    double tolerance = 1e-15) {
    REQUIRE(actual.size() == expected.size());
    for (std::size_t i = 0; i < actual.size(); ++i) {
        INFO("epoch ", i);
        CHECK(actual[i] == doctest::Approx(expected[i]).epsilon(tolerance));
    }
}

}  // namespace

TEST_CASE("optim: StepLR, MultiStepLR and ExponentialLR sequences") {
    Tensor w = param_of({1.0});
    optim::SGD sgd({w}, {.lr = 1.0});
    optim::StepLR step(sgd, 2, 0.5);
    check_sequence(lr_sequence(sgd, step, 5), {1, 1, 0.5, 0.5, 0.25, 0.25});
    CHECK(step.last_epoch() == 5);
    CHECK(sgd.param_groups()[0].initial_lr == 1.0);

    optim::SGD sgd2({param_of({1.0})}, {.lr = 1.0});
    optim::MultiStepLR multi(sgd2, {4, 1, 4}, 0.1);  // 4 listed twice: gamma^2 there
    check_sequence(lr_sequence(sgd2, multi, 5), {1, 0.1, 0.1, 0.1, 1e-3, 1e-3});

    optim::SGD sgd3({param_of({1.0})}, {.lr = 2.0});
    optim::ExponentialLR exponential(sgd3, 0.5);
    check_sequence(lr_sequence(sgd3, exponential, 3), {2, 1, 0.5, 0.25});
}

TEST_CASE("optim: CosineAnnealingLR follows the closed form, past T_max too") {
    Tensor w = param_of({1.0});
    optim::SGD sgd({w}, {.lr = 0.1});
    optim::CosineAnnealingLR cosine(sgd, 4, 0.01);
    std::vector<double> expected;
    for (int t = 0; t <= 12; ++t) {
        expected.push_back(0.01 + (0.1 - 0.01) * (1 + std::cos(std::numbers::pi * t / 4)) / 2);
    }
    const std::vector<double> lrs = lr_sequence(sgd, cosine, 12);
    check_sequence(lrs, expected, 1e-12);
    CHECK(lrs[4] == doctest::Approx(0.01).epsilon(1e-14));  // the minimum at T_max
    CHECK(lrs[8] == doctest::Approx(0.1).epsilon(1e-14));   // back up at 2 T_max
}

TEST_CASE("optim: LinearLR warms up from start_factor to end_factor") {
    Tensor w = param_of({1.0});
    optim::SGD sgd({w}, {.lr = 0.4});
    optim::LinearLR linear(sgd, 0.25, 1.0, 3);
    check_sequence(lr_sequence(sgd, linear, 5), {0.1, 0.2, 0.3, 0.4, 0.4, 0.4}, 1e-15);

    optim::SGD sgd2({param_of({1.0})}, {.lr = 3.0});
    optim::LinearLR defaults(sgd2);  // 1/3 to 1 over 5 epochs
    check_sequence(lr_sequence(sgd2, defaults, 6),
                   {1.0, 1.4, 1.8, 2.2, 2.6, 3.0, 3.0}, 1e-14);

    CHECK(contains(error_of([&] { optim::LinearLR(sgd2, 0.0); }),
                   "Starting multiplicative factor expected to be greater than 0"));
    CHECK(contains(error_of([&] { optim::LinearLR(sgd2, 0.5, 1.5); }),
                   "Ending multiplicative factor expected to be between 0 and 1"));
    CHECK(contains(error_of([&] { optim::StepLR(sgd2, 0); }), "step_size must be positive"));
    CHECK(contains(error_of([&] { optim::CosineAnnealingLR(sgd2, 0); }),
                   "T_max must be positive"));
}

TEST_CASE("optim: schedulers chain, and base_lrs come from the first one") {
    Tensor w = param_of({1.0});
    optim::SGD sgd({w}, {.lr = 1.0});
    optim::ExponentialLR first(sgd, 0.5);
    first.step();
    optim::StepLR second(sgd, 1, 0.1);  // epoch 0 keeps the lr
    CHECK(second.base_lrs()[0] == 1.0);
    CHECK(sgd.param_groups()[0].lr == 0.5);
    first.step();
    second.step();
    CHECK(sgd.param_groups()[0].lr == doctest::Approx(0.025).epsilon(1e-15));
}

TEST_CASE("optim: schedulers set every group from its own base lr") {
    Tensor a = param_of({1.0});
    Tensor b = param_of({1.0});
    optim::SGD sgd({a}, {.lr = 0.1});
    sgd.add_param_group({b}, {.lr = 1.0});
    optim::CosineAnnealingLR cosine(sgd, 2);
    CHECK(cosine.base_lrs() == std::vector<double>{0.1, 1.0});
    cosine.step();
    CHECK(cosine.get_last_lr()[0] == doctest::Approx(0.05).epsilon(1e-15));
    CHECK(cosine.get_last_lr()[1] == doctest::Approx(0.5).epsilon(1e-15));
    cosine.step();
    CHECK(std::abs(sgd.param_groups()[1].lr) < 1e-16);

    sgd.add_param_group({param_of({1.0})}, {.lr = 0.3});
    CHECK(error_of([&] { cosine.step(); }) ==
          "CosineAnnealingLR: the optimizer has 3 parameter groups, but the scheduler was made "
          "for 2");
}

TEST_CASE("optim: ReduceLROnPlateau with one min_lr per group") {
    Tensor a = param_of({1.0});
    Tensor b = param_of({1.0});
    optim::SGD sgd({a}, {.lr = 1.0});
    sgd.add_param_group({b}, {.lr = 1.0});
    optim::ReduceLROnPlateau plateau(sgd, {.patience = 0, .min_lrs = {0.5, 0.01}});
    for (double metric : {1.0, 2.0, 3.0}) plateau.step(metric);
    CHECK(plateau.get_last_lr()[0] == 0.5);
    CHECK(plateau.get_last_lr()[1] == doctest::Approx(0.01).epsilon(1e-15));
    CHECK(plateau.num_bad_epochs() == 0);
    CHECK(plateau.state_dict()["min_lrs"] == nlohmann::json::array({0.5, 0.01}));
}

TEST_CASE("optim: scheduler state_dict round trip and errors") {
    Tensor w = param_of({1.0});
    optim::SGD sgd({w}, {.lr = 0.1});
    optim::CosineAnnealingLR cosine(sgd, 6, 0.001);
    for (int i = 0; i < 3; ++i) cosine.step();
    const nlohmann::json dict = nlohmann::json::parse(cosine.state_dict().dump());
    CHECK(dict["last_epoch"] == 3);
    CHECK(dict["_step_count"] == 4);
    CHECK(dict["T_max"] == 6);

    Tensor u = param_of({1.0});
    optim::SGD resumed_sgd({u}, {.lr = 0.1});
    optim::CosineAnnealingLR resumed(resumed_sgd, 100);
    resumed_sgd.load_state_dict(sgd.state_dict());
    resumed.load_state_dict(dict);
    CHECK(resumed.last_epoch() == 3);
    for (int i = 0; i < 5; ++i) {
        cosine.step();
        resumed.step();
        CHECK(resumed_sgd.param_groups()[0].lr == sgd.param_groups()[0].lr);
    }

    nlohmann::json bad = dict;
    bad["T_max"] = 0;
    const auto epoch = resumed.last_epoch();
    CHECK(contains(error_of([&] { resumed.load_state_dict(bad); }), "T_max must be positive"));
    bad = dict;
    bad["base_lrs"] = {0.1, 0.2};
    CHECK(contains(error_of([&] { resumed.load_state_dict(bad); }),
                   "base_lrs: expected a list of 1 numbers"));
    CHECK(resumed.last_epoch() == epoch);

    optim::SGD sgd2({param_of({1.0})}, {.lr = 1.0});
    optim::MultiStepLR multi(sgd2, {3, 1, 3}, 0.5);
    CHECK(multi.state_dict()["milestones"] == nlohmann::json::array({1, 3, 3}));
}

TEST_CASE("optim: ReduceLROnPlateau reduces after patience bad epochs, then cools down") {
    Tensor w = param_of({1.0});
    optim::SGD sgd({w}, {.lr = 1.0});
    optim::ReduceLROnPlateau plateau(
        sgd, {.factor = 0.5, .patience = 1, .threshold = 0.1, .cooldown = 1, .min_lr = 0.2});
    CHECK(plateau.get_last_lr() == std::vector<double>{1.0});
    // metric:  10 (best)  9.5 (bad 1)  9.2 (bad 2 > patience: lr 0.5, cooldown 1)
    //          9.1 (cooldown)  9.3 (bad 1)  8.0 (better)  8.5 (bad 1)  8.6 (bad 2: lr 0.25)
    //          ... (bad: lr max(0.125, 0.2) = 0.2)  ... (0.2 - 0.2 <= eps: stays)
    const std::vector<double> metrics = {10, 9.5, 9.2, 9.1, 9.3, 8.0, 8.5, 8.6, 8.7, 8.8, 8.9, 9.0,
                                         9.1};
    const std::vector<double> expected = {1, 1, 0.5, 0.5, 0.5, 0.5, 0.5, 0.25, 0.25, 0.25, 0.2,
                                          0.2, 0.2};
    for (std::size_t i = 0; i < metrics.size(); ++i) {
        plateau.step(metrics[i]);
        INFO("epoch ", i + 1);
        CHECK(sgd.param_groups()[0].lr == expected[i]);
        CHECK(plateau.get_last_lr()[0] == expected[i]);
    }
    CHECK(plateau.best() == 8.0);
    CHECK(plateau.last_epoch() == 13);
}

TEST_CASE("optim: ReduceLROnPlateau max mode, abs threshold, options and state") {
    Tensor w = param_of({1.0});
    optim::SGD sgd({w}, {.lr = 1.0});
    optim::ReduceLROnPlateau plateau(
        sgd, {.mode = "max", .factor = 0.1, .patience = 0, .threshold = 0.5,
              .threshold_mode = "abs"});
    plateau.step(1.0);  // better than -inf
    plateau.step(1.4);  // not better than 1.0 + 0.5: reduce (patience 0)
    CHECK(sgd.param_groups()[0].lr == doctest::Approx(0.1).epsilon(1e-15));
    plateau.step(1.6);  // better
    CHECK(sgd.param_groups()[0].lr == doctest::Approx(0.1).epsilon(1e-15));

    const nlohmann::json dict = nlohmann::json::parse(plateau.state_dict().dump());
    CHECK(dict["best"] == 1.6);
    CHECK(dict["mode"] == "max");
    optim::ReduceLROnPlateau fresh(sgd);
    CHECK(fresh.state_dict()["best"] == "inf");
    fresh.load_state_dict(dict);
    CHECK(fresh.best() == 1.6);
    CHECK(fresh.options().threshold_mode == "abs");
    nlohmann::json bad = dict;
    bad["threshold_mode"] = "relative";
    CHECK(contains(error_of([&] { fresh.load_state_dict(bad); }),
                   "threshold mode relative is unknown!"));
    CHECK(fresh.options().threshold_mode == "abs");

    CHECK(error_of([&] { optim::ReduceLROnPlateau(sgd, {.factor = 1.0}); }) ==
          "ReduceLROnPlateau: Factor should be < 1.0.");
    CHECK(error_of([&] { optim::ReduceLROnPlateau(sgd, {.mode = "up"}); }) ==
          "ReduceLROnPlateau: mode up is unknown!");
    CHECK(error_of([&] { optim::ReduceLROnPlateau(sgd, {.min_lrs = {0.1, 0.2}}); }) ==
          "ReduceLROnPlateau: expected 1 min_lrs, got 2");
}

// ---- parity with PyTorch ---------------------------------------------------------------------

namespace {

using ordered_json = nlohmann::ordered_json;

const ordered_json& golden() {
    static const ordered_json data = [] {
        return lucid::testing::read_golden("optim_golden.json");
    }();
    return data;
}

Tensor tensor_of(const ordered_json& j) {
    return tensor(j.at("data").get<std::vector<double>>(),
                  Shape(j.at("shape").get<std::vector<std::int64_t>>()), float64);
}

// torch.nn.GRU(3, 4) then torch.nn.Linear(4, 1) on the last time step, in float64, with the
// golden file's starting parameters.
struct GoldenModel : nn::Module {
    nn::GRU gru{{.input_size = 3, .hidden_size = 4}};
    nn::Linear linear{4, 1};

    GoldenModel() {
        register_module("gru", gru);
        register_module("linear", linear);
        to(float64);
        nn::StateDict start;
        for (const auto& [name, value] : golden().at("params").items()) {
            start.emplace_back(name, tensor_of(value));
        }
        load_state_dict(start);
    }

    Tensor loss() {
        static const Tensor input = tensor_of(golden().at("input"));
        static const Tensor target = tensor_of(golden().at("target"));
        auto [output, h_n] = gru(input);
        return nn::functional::mse_loss(linear(output.select(0, output.size(0) - 1)), target);
    }

    // All parameters flattened in the golden file's order.
    std::vector<double> flat_parameters() const {
        std::vector<double> flat;
        for (const auto& [name, param] : named_parameters()) {
            const std::vector<double> values = param.to_vector<double>();
            flat.insert(flat.end(), values.begin(), values.end());
        }
        return flat;
    }
};

template <class T>
T get_or(const ordered_json& j, const char* key, T otherwise) {
    return j.contains(key) ? j[key].get<T>() : otherwise;
}

std::unique_ptr<optim::Optimizer> make_optimizer(const ordered_json& j,
                                                 std::vector<Tensor> params) {
    const std::string type = j.at("type");
    if (type == "SGD") {
        return std::make_unique<optim::SGD>(
            params, optim::SGDOptions{.lr = j.at("lr"),
                                      .momentum = get_or(j, "momentum", 0.0),
                                      .dampening = get_or(j, "dampening", 0.0),
                                      .weight_decay = get_or(j, "weight_decay", 0.0),
                                      .nesterov = get_or(j, "nesterov", false),
                                      .maximize = get_or(j, "maximize", false)});
    }
    const std::array<double, 2> betas =
        get_or(j, "betas", std::array<double, 2>{0.9, 0.999});
    if (type == "Adam") {
        return std::make_unique<optim::Adam>(
            params, optim::AdamOptions{.lr = j.at("lr"),
                                       .betas = betas,
                                       .eps = get_or(j, "eps", 1e-8),
                                       .weight_decay = get_or(j, "weight_decay", 0.0),
                                       .amsgrad = get_or(j, "amsgrad", false)});
    }
    REQUIRE(type == "AdamW");
    return std::make_unique<optim::AdamW>(
        params, optim::AdamWOptions{.lr = j.at("lr"),
                                    .betas = betas,
                                    .eps = get_or(j, "eps", 1e-8),
                                    .weight_decay = get_or(j, "weight_decay", 1e-2),
                                    .amsgrad = get_or(j, "amsgrad", false)});
}

// The epoch-based scheduler of a run, or null for none and for ReduceLROnPlateau.
std::unique_ptr<optim::LRScheduler> make_scheduler(const ordered_json& j,
                                                   optim::Optimizer& optimizer) {
    if (j.is_null()) return nullptr;
    const std::string type = j.at("type");
    if (type == "StepLR") {
        return std::make_unique<optim::StepLR>(optimizer, j.at("step_size"), j.at("gamma"));
    }
    if (type == "MultiStepLR") {
        return std::make_unique<optim::MultiStepLR>(
            optimizer, j.at("milestones").get<std::vector<std::int64_t>>(), j.at("gamma"));
    }
    if (type == "ExponentialLR") {
        return std::make_unique<optim::ExponentialLR>(optimizer, j.at("gamma"));
    }
    if (type == "CosineAnnealingLR") {
        return std::make_unique<optim::CosineAnnealingLR>(optimizer, j.at("T_max"), j.at("eta_min"));
    }
    if (type == "LinearLR") {
        return std::make_unique<optim::LinearLR>(optimizer, j.at("start_factor"), j.at("end_factor"),
                                                 j.at("total_iters"));
    }
    return nullptr;
}

std::unique_ptr<optim::ReduceLROnPlateau> make_plateau(const ordered_json& j,
                                                       optim::Optimizer& optimizer) {
    if (j.is_null() || j.at("type") != "ReduceLROnPlateau") return nullptr;
    return std::make_unique<optim::ReduceLROnPlateau>(
        optimizer, optim::ReduceLROnPlateauOptions{.mode = j.at("mode"),
                                                   .factor = j.at("factor"),
                                                   .patience = j.at("patience"),
                                                   .threshold = j.at("threshold"),
                                                   .threshold_mode = j.at("threshold_mode"),
                                                   .cooldown = j.at("cooldown"),
                                                   .min_lr = j.at("min_lr"),
                                                   .eps = j.at("eps")});
}

double worst_deviation = 0.0;

// |actual - expected| <= 1e-9 max(1, |expected|), the largest deviation remembered.
void check_close(double actual, double expected) {
    const double deviation = std::abs(actual - expected) / std::max(1.0, std::abs(expected));
    worst_deviation = std::max(worst_deviation, deviation);
    CHECK(deviation <= 1e-9);
}

void check_close(const std::vector<double>& actual, const ordered_json& expected) {
    REQUIRE(actual.size() == expected.size());
    for (std::size_t i = 0; i < actual.size(); ++i) {
        INFO("parameter element ", i);
        check_close(actual[i], expected[i].get<double>());
    }
}

void replay(const ordered_json& run) {
    GoldenModel model;
    const std::vector<Tensor> params = model.parameters();
    auto optimizer = make_optimizer(run.at("optimizer"), params);
    auto scheduler = make_scheduler(run.at("scheduler"), *optimizer);
    auto plateau = make_plateau(run.at("scheduler"), *optimizer);
    const ordered_json& clip = run.at("clip");
    const int steps = golden().at("steps");
    for (int step = 0; step < steps; ++step) {
        INFO("step ", step + 1);
        optimizer->zero_grad();
        Tensor loss = model.loss();
        loss.backward();
        if (!clip.is_null()) {
            const double norm_type =
                clip.at("norm_type") == "inf" ? optim::inf : clip.at("norm_type").get<double>();
            check_close(optim::clip_grad_norm_(params, clip.at("max_norm"), norm_type),
                        run.at("total_norm").at(step));
        }
        CHECK(optimizer->param_groups()[0].lr == doctest::Approx(run.at("lr").at(step).get<double>())
                                                     .epsilon(1e-15));
        check_close(loss.item(), run.at("loss").at(step));
        optimizer->step();
        if (scheduler) scheduler->step();
        if (plateau) plateau->step(loss.item());
        if (!run.at("params").is_null()) check_close(model.flat_parameters(), run.at("params").at(step));
    }
    check_close(model.flat_parameters(), run.at("final_params"));
}

}  // namespace

TEST_CASE("optim: every optimizer and scheduler matches PyTorch's trajectory") {
    const ordered_json& runs = golden().at("runs");
    REQUIRE(runs.size() >= 49);
    for (std::size_t i = 0; i < runs.size(); ++i) {
        lucid::testing::reading_golden("optim_golden.json", "runs/" + std::to_string(i), [&] {
            INFO("run ", runs[i].at("name").get<std::string>());
            replay(runs[i]);
        });
    }
    MESSAGE("optim parity: largest relative deviation from PyTorch ", worst_deviation);
}

TEST_CASE("optim: the golden runs differ where the options differ") {
    // Guards the parity test against options that are silently ignored: AMSGrad (with its other
    // options) and each scheduler must change the trajectory.
    std::map<std::string, std::vector<double>> final;
    for (const ordered_json& run : golden()["runs"]) {
        final[run["name"]] = run["final_params"].get<std::vector<double>>();
    }
    CHECK(final["adam+none"] != final["adam_amsgrad+none"]);
    CHECK(final["adam+none"] != final["adamw+none"]);
    CHECK(final["sgd+none"] != final["sgd_maximize+none"]);
    for (const char* scheduler : {"StepLR", "MultiStepLR", "ExponentialLR", "CosineAnnealingLR",
                                  "LinearLR", "ReduceLROnPlateau"}) {
        INFO(scheduler);
        CHECK(final["adam+none"] != final[std::string("adam+") + scheduler]);
    }
}

TEST_CASE("optim: training resumed from state_dicts equals uninterrupted training") {
    // 8 steps, save the model parameters and the optimizer and scheduler state as JSON text,
    // build everything afresh, load, and 8 more steps: bit for bit the 16-step run.
    auto train = [](GoldenModel& model, optim::Optimizer& optimizer,
                    optim::LRScheduler& scheduler, int steps) {
        for (int i = 0; i < steps; ++i) {
            optimizer.zero_grad();
            model.loss().backward();
            optimizer.step();
            scheduler.step();
        }
    };
    GoldenModel straight;
    optim::Adam adam(straight.parameters(), {.lr = 0.02, .weight_decay = 0.01, .amsgrad = true});
    optim::StepLR schedule(adam, 3, 0.5);
    train(straight, adam, schedule, 16);

    GoldenModel first;
    optim::Adam adam1(first.parameters(), {.lr = 0.02, .weight_decay = 0.01, .amsgrad = true});
    optim::StepLR schedule1(adam1, 3, 0.5);
    train(first, adam1, schedule1, 8);
    const std::string saved_optimizer = adam1.state_dict().dump();
    const std::string saved_scheduler = schedule1.state_dict().dump();

    GoldenModel second;
    second.load_state_dict(first.state_dict());
    optim::Adam adam2(second.parameters(), {.lr = 0.5});
    optim::StepLR schedule2(adam2, 100, 0.9);
    adam2.load_state_dict(nlohmann::json::parse(saved_optimizer));
    schedule2.load_state_dict(nlohmann::json::parse(saved_scheduler));
    train(second, adam2, schedule2, 8);

    CHECK(second.flat_parameters() == straight.flat_parameters());
    CHECK(adam2.param_groups()[0].lr == adam.param_groups()[0].lr);
    CHECK(adam2.state_dict() == adam.state_dict());
}

TEST_CASE("optim: the vectorised update loops give each element what a one-element step gives") {
    // 37 elements run through the vector body and the remainder loop; one-element parameters
    // through the remainder loop only. Every combination of the options that picks a loop.
    const std::int64_t n = 37;
    for (Dtype dtype : {float32, float64}) {
        Generator generator(11);
        const Tensor start = randn({n}, dtype, &generator);
        const std::vector<Tensor> grads = {randn({n}, dtype, &generator),
                                           randn({n}, dtype, &generator),
                                           randn({n}, dtype, &generator)};
        auto compare = [&](auto make_optimizer) {
            Tensor whole = start.clone().requires_grad_();
            std::vector<Tensor> parts;
            for (std::int64_t i = 0; i < n; ++i) {
                parts.push_back(start.slice(0, i, i + 1).clone().requires_grad_());
            }
            auto whole_optimizer = make_optimizer(std::vector<Tensor>{whole});
            auto parts_optimizer = make_optimizer(parts);
            for (const Tensor& grad : grads) {
                whole.set_grad(grad.clone());
                for (std::int64_t i = 0; i < n; ++i) {
                    parts[static_cast<std::size_t>(i)].set_grad(grad.slice(0, i, i + 1).clone());
                }
                whole_optimizer->step();
                parts_optimizer->step();
            }
            for (std::int64_t i = 0; i < n; ++i) {
                CHECK(whole.slice(0, i, i + 1).to_vector<double>() ==
                      parts[static_cast<std::size_t>(i)].to_vector<double>());
            }
        };
        for (int bits = 0; bits < 16; ++bits) {
            CAPTURE(dtype);
            CAPTURE(bits);
            const bool maximize = bits & 1, decay = bits & 2, amsgrad = bits & 4, adamw = bits & 8;
            const double weight_decay = decay ? 0.01 : 0.0;
            compare([&](std::vector<Tensor> params) -> std::unique_ptr<optim::Optimizer> {
                if (adamw) {
                    return std::make_unique<optim::AdamW>(
                        params, optim::AdamWOptions{.lr = 0.01,
                                                    .weight_decay = weight_decay,
                                                    .amsgrad = amsgrad,
                                                    .maximize = maximize});
                }
                return std::make_unique<optim::Adam>(
                    params, optim::AdamOptions{.lr = 0.01,
                                               .weight_decay = weight_decay,
                                               .amsgrad = amsgrad,
                                               .maximize = maximize});
            });
            const bool momentum = bits & 4, nesterov = bits & 8;
            if (nesterov && !momentum) continue;
            compare([&](std::vector<Tensor> params) -> std::unique_ptr<optim::Optimizer> {
                return std::make_unique<optim::SGD>(
                    params, optim::SGDOptions{.lr = 0.1,
                                              .momentum = momentum ? 0.9 : 0.0,
                                              .dampening = momentum && !nesterov ? 0.1 : 0.0,
                                              .weight_decay = weight_decay,
                                              .nesterov = nesterov,
                                              .maximize = maximize});
            });
        }
    }
}
