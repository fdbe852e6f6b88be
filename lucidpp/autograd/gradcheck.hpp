#pragma once
// gradcheck: compares the gradients backward() computes with central finite differences.
//
// For every input element x_j and output element y_i it checks
//     analytic  d y_i / d x_j   (backward of a one-hot gradient on y_i)
//   ~ numeric   (y_i(x_j + eps) - y_i(x_j - eps)) / (2 eps)
// within |analytic - numeric| <= atol + rtol |numeric|. Inputs must be float64 tensors; those
// that require grad are checked. They may be non-contiguous views.
#include <functional>
#include <vector>

#include "lucidpp/tensor/tensor.hpp"

namespace lucid::autograd {

using GradcheckFn = std::function<Tensor(const std::vector<Tensor>&)>;

struct GradcheckOptions {
    double eps = 1e-6;
    double atol = 1e-5;
    double rtol = 1e-3;
};

// Returns true when every entry matches; otherwise throws lucid::Error naming the input, the
// element and both values.
bool gradcheck(const GradcheckFn& fn, const std::vector<Tensor>& inputs,
               GradcheckOptions options = {});
bool gradcheck(const GradcheckFn& fn, const std::vector<Tensor>& inputs, double eps, double atol,
               double rtol);

}  // namespace lucid::autograd
