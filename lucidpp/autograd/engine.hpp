#pragma once
// backward(): reverse-mode differentiation over the tape.
#include <functional>

#include "lucidpp/tensor/tensor.hpp"

namespace lucid::autograd {

// Accumulates d(root)/d(leaf), weighted by `gradient`, into the grad of every leaf that
// requires grad and that `root` depends on. Without retain_graph the saved tensors of the
// nodes it passes are freed, and a second backward through them is an error.
void backward(const Tensor& root, const Tensor& gradient, bool retain_graph = false);

// Runs `callback` once the backward pass now running has written every .grad, before it
// returns; callable only from inside a backward (from a hook or a node's backward), as
// torch's Variable._execution_engine.queue_callback. A pass that throws drops its callbacks.
void queue_callback(std::function<void()> callback);

}  // namespace lucid::autograd
