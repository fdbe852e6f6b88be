// Post-accumulate-grad hooks (autograd/hooks.hpp): when they run, what .grad holds then, and
// that a backward that throws after some hooks ran still leaves every .grad as it was.
#include <doctest/doctest.h>

#include <string>
#include <vector>

#include "lucidpp/lucid.hpp"

using namespace lucid;

namespace {

// The gradient of every leaf, read when a hook runs, in the order the hooks run.
struct HookLog {
    std::vector<std::string> order;
    std::vector<std::vector<double>> grads;

    autograd::RemovableHandle watch(const Tensor& leaf, std::string name) {
        return autograd::register_post_accumulate_grad_hook(
            leaf, [this, name = std::move(name)](const Tensor& t) {
                order.push_back(name);
                grads.push_back(t.grad().to(float64).to_vector<double>());
            });
    }
};

}  // namespace

TEST_CASE("a hook sees its leaf's final gradient in .grad, before earlier layers are done") {
    Tensor x = tensor({0.5, -1.0}, float64);
    Tensor w1 = tensor({2.0, 3.0}, float64).requires_grad_();
    Tensor w2 = tensor({-1.0, 4.0}, float64).requires_grad_();
    HookLog log;
    auto h1 = log.watch(w1, "w1");
    auto h2 = log.watch(w2, "w2");
    std::vector<bool> w1_had_grad_when_w2_ran;
    auto probe = autograd::register_post_accumulate_grad_hook(
        w2, [&](const Tensor&) { w1_had_grad_when_w2_ran.push_back(w1.grad().defined()); });

    Tensor h = (w1 * x).tanh();  // w1 is used first, so its gradient is final last
    Tensor y = (w2 * h).sum();
    y.backward();

    REQUIRE(log.order == std::vector<std::string>{"w2", "w1"});
    CHECK(w1_had_grad_when_w2_ran == std::vector<bool>{false});
    // dy/dw2 = tanh(w1 x); dy/dw1 = w2 (1 - tanh^2(w1 x)) x
    const double t0 = std::tanh(1.0), t1 = std::tanh(-3.0);
    CHECK(log.grads[0][0] == doctest::Approx(t0).epsilon(1e-15));
    CHECK(log.grads[0][1] == doctest::Approx(t1).epsilon(1e-15));
    CHECK(log.grads[1][0] == doctest::Approx(-1.0 * (1 - t0 * t0) * 0.5).epsilon(1e-15));
    CHECK(log.grads[1][1] == doctest::Approx(4.0 * (1 - t1 * t1) * -1.0).epsilon(1e-15));
}

TEST_CASE("a leaf used at two places on the tape runs its hook once, with the sum") {
    Tensor w = tensor({1.5}, float64).requires_grad_();
    HookLog log;
    auto handle = log.watch(w, "w");
    Tensor a = w * 2.0;          // early use
    Tensor b = (a * a).sum();    // 4 w^2
    Tensor c = (w * 3.0).sum();  // late use
    (b + c).backward();
    REQUIRE(log.order.size() == 1);
    CHECK(log.grads[0][0] == doctest::Approx(8 * 1.5 + 3).epsilon(1e-15));
}

TEST_CASE("the hook sees the gradient summed onto an existing .grad") {
    Tensor w = tensor({2.0}, float64).requires_grad_();
    HookLog log;
    auto handle = log.watch(w, "w");
    (w * 3.0).sum().backward();
    (w * 5.0).sum().backward();
    REQUIRE(log.grads.size() == 2);
    CHECK(log.grads[0][0] == 3.0);
    CHECK(log.grads[1][0] == 8.0);
}

TEST_CASE("no hook runs for a leaf that gets no gradient, nor after its handle is gone") {
    Tensor used = tensor({1.0}, float64).requires_grad_();
    Tensor unused = tensor({1.0}, float64).requires_grad_();
    HookLog log;
    auto a = log.watch(used, "used");
    auto b = log.watch(unused, "unused");
    (used * 2.0).sum().backward();
    CHECK(log.order == std::vector<std::string>{"used"});

    a.remove();
    { auto gone = log.watch(used, "scoped"); }
    (used * 2.0).sum().backward();
    CHECK(log.order.size() == 1);
    CHECK(autograd::any_post_accumulate_grad_hook());  // `b` still holds one
}

TEST_CASE("a backward that throws after hooks ran puts every .grad back") {
    Tensor w1 = tensor({1.0, 2.0}, float64).requires_grad_();
    Tensor w2 = tensor({3.0}, float64).requires_grad_();
    (w2 * 1.0).sum().backward();  // w2.grad = [1]
    HookLog log;
    auto h2 = log.watch(w2, "w2");
    // An op whose backward fails, used before w2: its node runs after w2's gradient is final.
    Tensor failing = autograd::record(
        "failing", {w1}, w1.detach() * 1.0,
        [](const Tensor&) -> autograd::Gradients { throw Error("failing: backward on purpose"); });
    Tensor y = (failing.sum() * w2).sum();
    CHECK_THROWS_WITH_AS(y.backward(), doctest::Contains("backward on purpose"), Error);
    CHECK(log.order == std::vector<std::string>{"w2"});  // it ran before the failure
    CHECK(w2.grad().item() == 1.0);                      // and its .grad is restored
    CHECK(!w1.grad().defined());
}

TEST_CASE("hooks need a leaf that requires grad") {
    Tensor plain = tensor({1.0}, float64);
    CHECK_THROWS_WITH_AS(
        (void)autograd::register_post_accumulate_grad_hook(plain, [](const Tensor&) {}),
        "register_post_accumulate_grad_hook: only leaf tensors that require grad can have post "
        "accumulate grad hooks (got a tensor that does not require grad)",
        Error);
    Tensor leaf = tensor({1.0}, float64).requires_grad_();
    Tensor inner = leaf * 2.0;
    CHECK_THROWS_WITH_AS(
        (void)autograd::register_post_accumulate_grad_hook(inner, [](const Tensor&) {}),
        doctest::Contains("(got a non-leaf tensor)"), Error);
}
