#include "lucidpp/autograd/gradcheck.hpp"

#include <cmath>

#include "lucidpp/autograd/engine.hpp"
#include "lucidpp/autograd/grad_mode.hpp"
#include "lucidpp/kernels/copy.hpp"
#include "lucidpp/tensor/creation.hpp"

namespace lucid::autograd {

namespace {

// Storage offset of the flat (row-major) element `index` of x.
std::int64_t offset_of(const Tensor& x, std::int64_t index) {
    std::int64_t offset = x.storage_offset();
    for (std::int64_t d = x.dim() - 1; d >= 0; --d) {
        offset += (index % x.shape()[d]) * x.strides()[d];
        index /= x.shape()[d];
    }
    return offset;
}

double& element(const Tensor& x, std::int64_t index) {
    return reinterpret_cast<double*>(x.impl().storage->data())[offset_of(x, index)];
}

std::vector<double> evaluate(const GradcheckFn& fn, const std::vector<Tensor>& inputs) {
    NoGradGuard no_grad;
    return fn(inputs).to_vector<double>();
}

// numeric[j][i] = d output_i / d input_j by central differences.
std::vector<std::vector<double>> numeric_jacobian(const GradcheckFn& fn,
                                                  const std::vector<Tensor>& inputs,
                                                  const Tensor& input, double eps) {
    std::vector<std::vector<double>> columns;
    for (std::int64_t j = 0; j < input.numel(); ++j) {
        double& x = element(input, j);
        const double saved = x;
        x = saved + eps;
        std::vector<double> plus = evaluate(fn, inputs);
        x = saved - eps;
        std::vector<double> minus = evaluate(fn, inputs);
        x = saved;
        std::vector<double> column(plus.size());
        for (std::size_t i = 0; i < plus.size(); ++i) column[i] = (plus[i] - minus[i]) / (2 * eps);
        columns.push_back(std::move(column));
    }
    return columns;
}

}  // namespace

bool gradcheck(const GradcheckFn& fn, const std::vector<Tensor>& inputs,
               GradcheckOptions options) {
    for (std::size_t k = 0; k < inputs.size(); ++k) {
        check(!inputs[k].requires_grad() || inputs[k].dtype() == float64,
              "gradcheck: input {} is {}; gradcheck needs float64 inputs for precision", k,
              inputs[k].dtype());
    }
    Tensor output = fn(inputs);
    check(output.dtype() == float64, "gradcheck: the function returned a {} tensor; expected float64",
          output.dtype());
    const std::int64_t outputs = output.numel();

    // analytic[k][i] = gradient of output i with respect to input k, flattened.
    std::vector<std::vector<std::vector<double>>> analytic(inputs.size());
    for (std::int64_t i = 0; i < outputs; ++i) {
        for (const Tensor& input : inputs) {
            if (input.requires_grad()) input.zero_grad();
        }
        Tensor result = fn(inputs);
        if (!result.requires_grad()) break;
        Tensor one_hot = zeros(result.shape(), float64);
        one_hot.data_ptr<double>()[i] = 1.0;
        backward(result, one_hot);
        for (std::size_t k = 0; k < inputs.size(); ++k) {
            if (!inputs[k].requires_grad()) continue;
            Tensor grad = inputs[k].grad();
            analytic[k].push_back(grad.defined() ? grad.to_vector<double>()
                                                 : std::vector<double>(inputs[k].numel(), 0.0));
        }
    }

    for (std::size_t k = 0; k < inputs.size(); ++k) {
        const Tensor& input = inputs[k];
        if (!input.requires_grad()) continue;
        auto numeric = numeric_jacobian(fn, inputs, input, options.eps);
        for (std::int64_t j = 0; j < input.numel(); ++j) {
            for (std::int64_t i = 0; i < outputs; ++i) {
                double expected = numeric[j][i];
                double actual = analytic[k].empty() ? 0.0 : analytic[k][i][j];
                check(std::abs(actual - expected) <= options.atol + options.rtol * std::abs(expected),
                      "gradcheck: Jacobian mismatch for output {} with respect to input {} "
                      "(shape {}), element {}: numerical {:.10g}, analytical {:.10g}",
                      i, k, input.shape(), j, expected, actual);
            }
        }
        input.zero_grad();
    }
    return true;
}

bool gradcheck(const GradcheckFn& fn, const std::vector<Tensor>& inputs, double eps, double atol,
               double rtol) {
    return gradcheck(fn, inputs, GradcheckOptions{eps, atol, rtol});
}

}  // namespace lucid::autograd
