// linear: y = x W^T + b, the affine map of nn.Linear. Leading dims of x are folded into one
// batch dim so the whole product is a single GEMM (W^T reaches BLAS as a transpose flag).
#include "lucidpp/nn/functional.hpp"

#include "lucidpp/ops/arithmetic.hpp"
#include "lucidpp/ops/linalg.hpp"
#include "lucidpp/tensor/error.hpp"

namespace lucid::nn::functional {

namespace {

void check_linear_shapes(const Tensor& input, const Tensor& weight, const Tensor& bias) {
    check(weight.dim() == 2,
          "linear: weight must be 2-D (out_features, in_features), but got shape {}",
          weight.shape());
    check(input.dim() >= 1, "linear: input must have at least 1 dim, but got shape {}",
          input.shape());
    check(input.size(-1) == weight.size(1),
          "linear: input of shape {} does not match weight of shape {}: expected last dim {}",
          input.shape(), weight.shape(), weight.size(1));
    if (!bias.defined()) return;
    check(bias.dim() == 1 && bias.size(0) == weight.size(0),
          "linear: bias of shape {} does not match weight of shape {}: expected shape ({})",
          bias.shape(), weight.shape(), weight.size(0));
}

}  // namespace

Tensor linear(const Tensor& input, const Tensor& weight, const Tensor& bias) {
    check_linear_shapes(input, weight, bias);
    Tensor y;
    if (input.dim() <= 2) {
        y = matmul(input, weight.t());
    } else {
        // (*, in) -> (batch, in) -> (batch, out) -> (*, out)
        Shape out_shape = input.shape();
        out_shape.back() = weight.size(0);
        y = matmul(input.reshape({-1, input.size(-1)}), weight.t()).reshape(out_shape);
    }
    return bias.defined() ? y + bias : y;
}

}  // namespace lucid::nn::functional
