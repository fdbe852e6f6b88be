#include "lucidpp/nn/linear.hpp"

#include <cmath>

#include "lucidpp/nn/functional.hpp"
#include "lucidpp/nn/init.hpp"
#include "lucidpp/tensor/creation.hpp"

namespace lucid::nn {

Linear::Linear(const LinearOptions& options) : options_(options) {
    check(options.in_features > 0 && options.out_features > 0,
          "Linear: in_features and out_features must be positive, got {} and {}",
          options.in_features, options.out_features);
    weight = register_parameter(
        "weight", empty({options.out_features, options.in_features}, float32, "Linear"));
    if (options.bias) {
        bias = register_parameter("bias", empty({options.out_features}, float32, "Linear"));
    }
    reset_parameters();
}

void Linear::reset_parameters() {
    // kaiming_uniform_(a=sqrt(5)) reduces to this bound, the same for weight and bias.
    const double bound = 1.0 / std::sqrt(static_cast<double>(options_.in_features));
    init::uniform_(weight, -bound, bound);
    if (bias.defined()) init::uniform_(bias, -bound, bound);
}

Tensor Linear::forward(const Tensor& input) {
    return functional::linear(input, weight, bias);
}

std::string Linear::extra_repr() const {
    return fmt::format("in_features={}, out_features={}, bias={}", options_.in_features,
                       options_.out_features, options_.bias ? "True" : "False");
}

}  // namespace lucid::nn
