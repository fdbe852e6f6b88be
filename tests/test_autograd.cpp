// The tape and the engine: accumulation, ordering, retain_graph, NoGradGuard, version checks,
// custom nodes, gradcheck itself, and the DOT export.
#include <thread>

#include "helpers.hpp"

using namespace lucid;
using lucid::testing::check_values;
using lucid::testing::error_of;
using lucid::testing::leaf;

TEST_CASE("every node sums its incoming gradients before it propagates") {
    Tensor a = tensor({2.0}).requires_grad_();
    Tensor b = a + a;
    Tensor c = b + b;
    c.backward();
    check_values(a.grad(), {4.0});
}

TEST_CASE("a diamond: both paths reach the leaf") {
    Tensor x = tensor({3.0}, float64).requires_grad_();
    Tensor y = x * x;          // dy/dx = 2x = 6
    Tensor z = y.exp() + y;    // dz/dy = e^y + 1
    z.backward();
    check_values(x.grad(), {(std::exp(9.0) + 1.0) * 6.0}, 1e-12);
}

TEST_CASE("leaf gradients accumulate across backward calls until zero_grad") {
    Tensor w = tensor({1.0, 2.0}).requires_grad_();
    CHECK_FALSE(w.grad().defined());
    (w * 3.0).sum().backward();
    check_values(w.grad(), {3, 3});
    (w * w).sum().backward();
    check_values(w.grad(), {5, 7});
    w.zero_grad();
    CHECK_FALSE(w.grad().defined());
}

TEST_CASE("leaves, requires_grad and grad_fn") {
    Tensor a = ones({2}).requires_grad_();
    Tensor b = ones({2});
    Tensor c = a * b;
    CHECK(a.is_leaf());
    CHECK(b.is_leaf());
    CHECK_FALSE(c.is_leaf());
    CHECK(c.requires_grad());
    CHECK(c.grad_fn()->name() == "mul");
    CHECK_FALSE((b * b).requires_grad());
    CHECK(error_of([&] { c.requires_grad_(false); }).find("leaf") != std::string::npos);
}

TEST_CASE("backward walks a 10,000-op chain without recursion, and frees it") {
    std::int64_t before = autograd::live_node_count();
    {
        Tensor x = tensor({1.0}, float64).requires_grad_();
        Tensor y = x;
        for (int i = 0; i < 10000; ++i) y = y * 1.0001;
        y.backward();
        check_values(x.grad(), {std::pow(1.0001, 10000)}, 1e-9);
        CHECK(autograd::live_node_count() - before == 10000);
    }
    CHECK(autograd::live_node_count() == before);
    {
        // A million-node chain dropped without backward must not overflow the stack.
        Tensor x = tensor({1.0}).requires_grad_();
        Tensor y = x;
        for (int i = 0; i < 1000000; ++i) y = -y;
    }
    CHECK(autograd::live_node_count() == before);
}

TEST_CASE("backward(gradient) weights a non-scalar output") {
    Tensor x = tensor({1, 2, 3}, float64).requires_grad_();
    Tensor y = x * x;
    y.backward(tensor({1, 0.5, -1}, float64));
    check_values(x.grad(), {2, 2, -6});
}

TEST_CASE("a second backward through a released graph is an error; retain_graph keeps it") {
    Tensor x = tensor({2.0}).requires_grad_();
    Tensor y = (x * x).exp();
    y.backward(/*retain_graph=*/true);
    y.backward();
    check_values(x.grad(), {2 * 4 * std::exp(4.0)}, 1e-5);
    std::string message = error_of([&] { y.backward(); });
    CHECK(message.find("backward through the graph a second time") != std::string::npos);
    CHECK(message.find("retain_graph") != std::string::npos);
}

TEST_CASE("NoGradGuard records nothing, and is per thread") {
    Tensor w = ones({2}).requires_grad_();
    std::int64_t before = autograd::live_node_count();
    {
        NoGradGuard no_grad;
        Tensor y = w * 2.0 + 1.0;
        CHECK_FALSE(y.requires_grad());
        CHECK(y.grad_fn() == nullptr);
        CHECK(autograd::live_node_count() == before);

        bool other_thread_records = false;
        std::thread([&] { other_thread_records = (w * 2.0).requires_grad(); }).join();
        CHECK(other_thread_records);
        {
            EnableGradGuard enable;
            CHECK((w * 2.0).requires_grad());
        }
        CHECK_FALSE(GradMode::is_enabled());
    }
    CHECK(GradMode::is_enabled());
}

TEST_CASE("modifying a saved tensor in place is caught at backward time") {
    Tensor w = tensor({1.0, 2.0}).requires_grad_();
    Tensor x = tensor({3.0, 4.0});
    Tensor y = w * x;  // saves x
    x.add_(1.0);       // allowed: x needs no grad
    std::string message = error_of([&] { y.sum().backward(); });
    CHECK(message.find("backward of mul") != std::string::npos);
    CHECK(message.find("modified by an in-place operation") != std::string::npos);
    CHECK(message.find("version 1; expected version 0") != std::string::npos);

    Tensor z = w.exp();  // saves its output
    {
        NoGradGuard no_grad;
        z.mul_(2.0);
    }
    CHECK(error_of([&] { z.sum().backward(); }).find("in-place") != std::string::npos);
}

TEST_CASE("in-place ops on tensors that require grad need NoGradGuard") {
    Tensor w = ones({2}).requires_grad_();
    std::string message = error_of([&] { w.add_(1.0); });
    CHECK(message.find("add_: a leaf tensor that requires grad") != std::string::npos);
    CHECK(error_of([&] { (w * 2.0).mul_(2.0); }).find("mul_: a tensor that requires grad") !=
          std::string::npos);
    {
        NoGradGuard no_grad;
        w.add_(1.0);
    }
    check_values(w, {2, 2});
}

TEST_CASE("a failed backward leaves no half-summed gradients behind") {
    Tensor w = tensor({1.0}).requires_grad_();
    Tensor x = tensor({2.0});
    Tensor y = w * x + w;
    x.fill_(5.0);
    CHECK_FALSE(error_of([&] { y.backward(); }).empty());
    CHECK_FALSE(w.grad().defined());
}

namespace {

// A custom op with a deliberately wrong backward (d/dx x^2 taken as x instead of 2x).
Tensor broken_square(const Tensor& x) {
    Tensor out;
    {
        NoGradGuard no_grad;
        out = x * x;
    }
    return autograd::record("broken_square", {x}, out,
                            [saved = autograd::SavedTensor(x)](const Tensor& grad) {
                                return autograd::Gradients{grad * saved.get()};
                            });
}

}  // namespace

TEST_CASE("custom ops record through autograd::record") {
    Tensor x = tensor({3.0}, float64).requires_grad_();
    Tensor y = broken_square(x);
    CHECK(y.grad_fn()->name() == "broken_square");
    y.backward();
    check_values(x.grad(), {3.0});
}

TEST_CASE("gradcheck passes a correct op and names the input and element of a wrong one") {
    Tensor x = leaf({2, 3}, 1);
    Tensor y = leaf({3}, 2);
    CHECK(autograd::gradcheck([](const std::vector<Tensor>& in) { return in[0] * in[1] + in[0]; },
                              {x, y}));
    std::string message = error_of([&] {
        autograd::gradcheck([](const std::vector<Tensor>& in) { return broken_square(in[0]) + in[1]; },
                            {y, x.detach()});
    });
    CHECK(message.find("Jacobian mismatch") != std::string::npos);
    CHECK(message.find("input 0") != std::string::npos);
    CHECK(message.find("element 0") != std::string::npos);

    Tensor f = randn({3}).requires_grad_();
    CHECK(error_of([&] {
              autograd::gradcheck([](const std::vector<Tensor>& in) { return in[0] * 2.0; }, {f});
          }).find("float64") != std::string::npos);
}

TEST_CASE("gradcheck works on non-contiguous inputs") {
    Tensor x = randn({4, 3}, float64).t();
    x.requires_grad_();
    CHECK_FALSE(x.is_contiguous());
    CHECK(autograd::gradcheck(
        [](const std::vector<Tensor>& in) { return (in[0] * in[0]).sum(1); }, {x}));
}

TEST_CASE("multi-output nodes: an unused output passes an undefined gradient") {
    Tensor x = tensor({1.0, 2.0}, float64).requires_grad_();
    Tensor a = x * 2.0, b = x * 3.0;
    bool second_was_undefined = false;
    std::vector<Tensor> outputs = autograd::record(
        "pair", {x}, std::vector<Tensor>{a.detach(), b.detach()},
        [&](const std::vector<Tensor>& grads) {
            second_was_undefined = !grads[1].defined();
            return autograd::Gradients{grads[0] * 2.0};
        });
    outputs[0].sum().backward();
    CHECK(second_was_undefined);
    check_values(x.grad(), {2, 2});
}

TEST_CASE("backward errors: non-scalar without gradient, no grad, wrong gradient shape") {
    Tensor x = ones({2, 2}).requires_grad_();
    Tensor y = x * 2.0;
    std::string message = error_of([&] { y.backward(); });
    CHECK(message.find("grad can be implicitly created only for scalar outputs") != std::string::npos);
    CHECK(message.find("(2, 2)") != std::string::npos);
    CHECK(error_of([&] { ones({1}).backward(); }).find("does not require grad") != std::string::npos);
    CHECK(error_of([&] { y.backward(ones({3})); }).find("gradient has shape (3)") != std::string::npos);
}

TEST_CASE("to_dot draws the graph with op names and shapes") {
    Tensor w = ones({3, 2}).requires_grad_();
    Tensor x = ones({4, 3});
    Tensor loss = matmul(x, w).tanh().sum();
    std::string dot = autograd::to_dot(loss);
    CHECK(dot.rfind("digraph autograd {", 0) == 0);
    CHECK(dot.find("matmul") != std::string::npos);
    CHECK(dot.find("tanh") != std::string::npos);
    CHECK(dot.find("sum") != std::string::npos);
    CHECK(dot.find("(4, 2)") != std::string::npos);
    CHECK(dot.find("leaf (3, 2)") != std::string::npos);
    CHECK(std::count(dot.begin(), dot.end(), '>') == 3);  // leaf->matmul->tanh->sum
}
