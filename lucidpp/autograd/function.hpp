#pragma once
// record(): how an op puts itself on the tape. An op computes its output with kernels, then,
// only if some input needs a gradient, records a node holding its backward function:
//
//   Tensor y = ...forward...;
//   return autograd::record("exp", {x}, y, [y = SavedTensor(y)](const Tensor& grad) {
//       return Gradients{grad * y.get()};            // d exp(x)/dx = exp(x)
//   });
//
// The backward returns one gradient per input, in the order of `inputs`, each of the input's
// shape; an undefined tensor means "no gradient". Backward runs with recording turned off.
#include <functional>
#include <string>
#include <vector>

#include "lucidpp/autograd/node.hpp"
#include "lucidpp/autograd/saved_tensor.hpp"

namespace lucid::autograd {

using Gradients = std::vector<Tensor>;
using BackwardFn = std::function<Gradients(const Tensor& grad_output)>;
using MultiBackwardFn = std::function<Gradients(const std::vector<Tensor>& grad_outputs)>;

// True when recording is on and some input requires grad: the op must then record a node.
bool any_requires_grad(const std::vector<Tensor>& inputs);

// Records a node for a one-output op and returns `output` with the node as its grad_fn.
// When no input requires grad (or under NoGradGuard) it records nothing and returns `output`.
Tensor record(std::string name, const std::vector<Tensor>& inputs, Tensor output,
              BackwardFn backward);

// The same for an op with several outputs. An output that gets no gradient is passed to
// `backward` as an undefined tensor.
std::vector<Tensor> record(std::string name, const std::vector<Tensor>& inputs,
                           std::vector<Tensor> outputs, MultiBackwardFn backward);

// The node record() creates; public so that custom ops (and tests) can subclass Node.
class FunctionNode : public Node {
public:
    FunctionNode(std::string name, std::vector<Edge> edges, std::vector<Shape> output_shapes,
                 MultiBackwardFn backward);
    std::vector<Tensor> apply(const std::vector<Tensor>& grad_outputs) override;

protected:
    void release_saved() override { backward_ = nullptr; }

private:
    MultiBackwardFn backward_;
};

// The edge through which a gradient reaches `input`.
Edge edge_to(const Tensor& input);

}  // namespace lucid::autograd
