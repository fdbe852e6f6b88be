#include "lucidpp/optim/clip_grad.hpp"

#include <algorithm>
#include <cmath>

#include "lucidpp/autograd/grad_mode.hpp"
#include "lucidpp/tensor/error.hpp"

namespace lucid::optim {

namespace {

std::vector<Tensor> defined_grads(const std::vector<Tensor>& parameters) {
    std::vector<Tensor> grads;
    for (const Tensor& param : parameters) {
        if (Tensor grad = param.grad(); grad.defined()) grads.push_back(grad);
    }
    return grads;
}

// The p-norm of a list of values, as torch.norm(x, p) of a flat tensor.
double vector_norm(const std::vector<double>& values, double p) {
    if (std::isinf(p)) {
        double extreme = p > 0 ? 0.0 : inf;
        for (double value : values) {
            const double a = std::abs(value);
            if (std::isnan(a)) return a;
            extreme = p > 0 ? std::max(extreme, a) : std::min(extreme, a);
        }
        return extreme;
    }
    if (p == 0) {
        return static_cast<double>(
            std::count_if(values.begin(), values.end(), [](double value) { return value != 0; }));
    }
    double sum = 0;
    if (p == 1) {
        for (double value : values) sum += std::abs(value);
        return sum;
    }
    if (p == 2) {
        for (double value : values) sum += value * value;
        return std::sqrt(sum);
    }
    for (double value : values) sum += std::pow(std::abs(value), p);
    return std::pow(sum, 1.0 / p);
}

}  // namespace

double get_total_norm(const std::vector<Tensor>& tensors, double norm_type,
                      bool error_if_nonfinite) {
    if (tensors.empty()) return 0.0;
    std::vector<double> norms;
    for (const Tensor& tensor : tensors) {
        norms.push_back(vector_norm(tensor.to_vector<double>(), norm_type));
    }
    const double total_norm = vector_norm(norms, norm_type);
    check(!error_if_nonfinite || std::isfinite(total_norm),
          "clip_grad_norm_: The total norm of order {} for gradients from `parameters` is "
          "non-finite, so it cannot be clipped. To disable this error and scale the gradients "
          "by the non-finite norm anyway, set `error_if_nonfinite=False`",
          norm_type);
    return total_norm;
}

void clip_grads_with_norm_(const std::vector<Tensor>& parameters, double max_norm,
                           double total_norm) {
    // Multiplying by a coefficient clamped to 1 changes nothing, as in PyTorch, which avoids a
    // branch there to keep GPU code free of host synchronisation.
    const double clip_coef = std::min(max_norm / (total_norm + 1e-6), 1.0);
    NoGradGuard no_grad;
    for (Tensor grad : defined_grads(parameters)) grad.mul_(clip_coef);
}

double clip_grad_norm_(const std::vector<Tensor>& parameters, double max_norm, double norm_type,
                       bool error_if_nonfinite) {
    const std::vector<Tensor> grads = defined_grads(parameters);
    const double total_norm = get_total_norm(grads, norm_type, error_if_nonfinite);
    if (!grads.empty()) clip_grads_with_norm_(parameters, max_norm, total_norm);
    return total_norm;
}

void clip_grad_value_(const std::vector<Tensor>& parameters, double clip_value) {
    check(clip_value >= 0, "clip_grad_value_: clip_value must be non-negative, got {}", clip_value);
    NoGradGuard no_grad;
    for (Tensor grad : defined_grads(parameters)) grad.clamp_(-clip_value, clip_value);
}

}  // namespace lucid::optim
