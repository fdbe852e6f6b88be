// Fits y = 3x - 2 (plus noise) with a one-feature linear model, using only tensors and autograd:
// the forward pass records a tape, backward() fills the gradients, and a plain gradient-descent
// step updates the parameters under NoGradGuard. Prints the falling loss.
#include <fmt/format.h>

#include <lucidpp/lucid.hpp>

int main() {
    lucid::manual_seed(0);
    const double true_slope = 3.0, true_intercept = -2.0;

    // 64 samples, x in [-1, 1), y with a little Gaussian noise.
    lucid::Tensor x = lucid::rand({64, 1}) * 2.0 - 1.0;
    lucid::Tensor y = x * true_slope + true_intercept + 0.05 * lucid::randn({64, 1});

    lucid::Tensor weight = lucid::zeros({1, 1}).requires_grad_();
    lucid::Tensor bias = lucid::zeros({1}).requires_grad_();
    const double learning_rate = 0.2;

    for (int step = 0; step <= 100; ++step) {
        lucid::Tensor prediction = lucid::matmul(x, weight) + bias;
        lucid::Tensor loss = (prediction - y).pow(2.0).mean();

        weight.zero_grad();
        bias.zero_grad();
        loss.backward();
        {
            lucid::NoGradGuard no_grad;  // the update itself is not part of the model
            weight.sub_(weight.grad() * learning_rate);
            bias.sub_(bias.grad() * learning_rate);
        }
        if (step % 10 == 0) fmt::print("step {:3d}  loss {:.6f}\n", step, loss.item<double>());
    }
    fmt::print("fitted y = {:.3f} x + {:.3f}   (true: y = {} x + {})\n", weight.item<double>(),
               bias.item<double>(), true_slope, true_intercept);
    return 0;
}
