// A program written the way a user of the installed library writes one: it sees only the
// installed headers and links through pkg-config. check_install.sh builds and runs it.
#include <cmath>
#include <cstdio>
#include <vector>

#include <lucidpp/lucid.hpp>

namespace {

int failures = 0;

void expect_near(double actual, double expected, const char* what) {
    if (std::abs(actual - expected) > 1e-12) {
        std::fprintf(stderr, "consumer: %s is %.17g, expected %.17g\n", what, actual, expected);
        ++failures;
    }
}

}  // namespace

int main() {
    try {
        // loss = sum(3 x^2) + sum(W x): d loss/dx = 6x + W^T 1, d loss/dW = 1 x^T.
        lucid::Tensor x = lucid::tensor({1.0, 2.0, 3.0}, lucid::float64).requires_grad_();
        lucid::Tensor weight =
            lucid::tensor({1.0, 0.0, -1.0, 0.5, 0.5, 0.5}, {2, 3}, lucid::float64).requires_grad_();
        lucid::Tensor loss = (x * x * 3.0).sum() + lucid::matmul(weight, x).sum();
        loss.backward();

        expect_near(loss.item<double>(), 42.0 - 2.0 + 3.0, "loss");
        std::vector<double> dx = x.grad().to_vector<double>();
        expect_near(dx[0], 6.0 + 1.5, "dloss/dx[0]");
        expect_near(dx[1], 12.0 + 0.5, "dloss/dx[1]");
        expect_near(dx[2], 18.0 - 0.5, "dloss/dx[2]");
        std::vector<double> dw = weight.grad().to_vector<double>();
        expect_near(dw[2], 3.0, "dloss/dW[0][2]");
        expect_near(dw[3], 1.0, "dloss/dW[1][0]");

        // Gradients are summed before a node propagates: b = a + a; c = b + b gives 4.
        lucid::Tensor a = lucid::scalar_tensor(1.0, lucid::float64).requires_grad_();
        lucid::Tensor b = a + a;
        (b + b).backward();
        expect_near(a.grad().item<double>(), 4.0, "d(4a)/da");

        if (failures > 0) return 1;
        fmt::print("lucidpp consumer OK: x.grad() = {}\n", x.grad());
        return 0;
    } catch (const lucid::Error& error) {
        std::fprintf(stderr, "consumer: lucid::Error: %s\n", error.what());
        return 1;
    }
}
