#pragma once
// backward(): reverse-mode differentiation over the tape.
#include "lucidpp/tensor/tensor.hpp"

namespace lucid::autograd {

// Accumulates d(root)/d(leaf), weighted by `gradient`, into the grad of every leaf that
// requires grad and that `root` depends on. Without retain_graph the saved tensors of the
// nodes it passes are freed, and a second backward through them is an error.
void backward(const Tensor& root, const Tensor& gradient, bool retain_graph = false);

}  // namespace lucid::autograd
