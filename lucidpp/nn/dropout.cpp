#include "lucidpp/nn/dropout.hpp"

#include "lucidpp/nn/functional.hpp"

namespace lucid::nn {

Dropout::Dropout(double p, Generator* generator) : p(p), generator(generator) {
    check(p >= 0.0 && p <= 1.0,
          "Dropout: dropout probability has to be between 0 and 1, but got {}", p);
}

Tensor Dropout::forward(const Tensor& input) {
    return functional::dropout(input, p, is_training(), generator);
}

// Python prints a float with a decimal point: "p=0.0", not "p=0".
std::string Dropout::extra_repr() const {
    std::string number = fmt::format("{}", p);
    if (number.find_first_of(".en") == std::string::npos) number += ".0";
    return "p=" + number;
}

}  // namespace lucid::nn
