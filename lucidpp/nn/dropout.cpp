#include "lucidpp/nn/dropout.hpp"

#include "lucidpp/nn/functional.hpp"

namespace lucid::nn {

Dropout::Dropout(const DropoutOptions& options, Generator* generator)
    : options_(options), generator_(generator) {
    check(options.p >= 0.0 && options.p <= 1.0,
          "Dropout: dropout probability has to be between 0 and 1, but got {}", options.p);
}

Tensor Dropout::forward(const Tensor& input) {
    return functional::dropout(input, options_.p, is_training(), generator_);
}

// Python prints a float with a decimal point: "p=0.0", not "p=0".
std::string Dropout::extra_repr() const {
    std::string number = fmt::format("{}", options_.p);
    if (number.find_first_of(".en") == std::string::npos) number += ".0";
    return "p=" + number;
}

}  // namespace lucid::nn
