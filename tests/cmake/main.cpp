// Built by tests/cmake/check_cmake.sh through find_package(lucidpp): the imported target must
// bring the headers, C++20 and fmt/spdlog/nlohmann_json.
#include <lucidpp/lucid.hpp>

#include <fmt/core.h>

int main() {
    lucid::Tensor x = lucid::tensor({1.0, 2.0, 3.0}, lucid::float64).requires_grad_();
    lucid::Tensor loss = (x * x).sum();
    loss.backward();
    fmt::print("cmake consumer: loss {} grad {}\n", loss.item<double>(), x.grad());
}
