// The parent project's program: a few lucidpp calls, printed with fmt.
#include <lucidpp/lucid.hpp>

#include <fmt/core.h>

int main() {
    lucid::Tensor x = lucid::tensor({1.0, 2.0, 3.0}, lucid::float64).requires_grad_();
    lucid::Tensor loss = (x * x).sum();
    loss.backward();
    fmt::print("parent: loss {} grad {}\n", loss.item<double>(), x.grad());
}
