#include "lucidpp/autograd/function.hpp"

#include "lucidpp/autograd/grad_mode.hpp"

namespace lucid::autograd {

bool any_requires_grad(const std::vector<Tensor>& inputs) {
    if (!GradMode::is_enabled()) return false;
    for (const Tensor& input : inputs) {
        if (input.defined() && input.requires_grad()) return true;
    }
    return false;
}

Edge edge_to(const Tensor& input) {
    Edge edge;
    if (!input.defined()) return edge;
    edge.shape = input.shape();
    edge.dtype = input.dtype();
    if (!input.requires_grad()) return edge;
    if (input.grad_fn()) {
        edge.node = input.grad_fn();
        edge.output_nr = input.impl().output_nr;
    } else {
        edge.leaf = input.impl_ptr();
    }
    return edge;
}

FunctionNode::FunctionNode(std::string name, std::vector<Edge> edges,
                           std::vector<Shape> output_shapes, MultiBackwardFn backward)
    : Node(std::move(name), std::move(edges), std::move(output_shapes)),
      backward_(std::move(backward)) {}

std::vector<Tensor> FunctionNode::apply(const std::vector<Tensor>& grad_outputs) {
    return backward_(grad_outputs);
}

std::vector<Tensor> record(std::string name, const std::vector<Tensor>& inputs,
                           std::vector<Tensor> outputs, MultiBackwardFn backward) {
    if (!any_requires_grad(inputs)) return outputs;
    std::vector<Edge> edges;
    edges.reserve(inputs.size());
    for (const Tensor& input : inputs) edges.push_back(edge_to(input));
    std::vector<Shape> shapes;
    for (const Tensor& output : outputs) shapes.push_back(output.shape());

    auto node = std::make_shared<FunctionNode>(std::move(name), std::move(edges),
                                               std::move(shapes), std::move(backward));
    for (std::uint32_t i = 0; i < outputs.size(); ++i) {
        TensorImpl& impl = outputs[i].impl();
        impl.grad_fn = node;
        impl.output_nr = i;
        impl.requires_grad = true;
    }
    return outputs;
}

Tensor record(std::string name, const std::vector<Tensor>& inputs, Tensor output,
              BackwardFn backward) {
    if (!any_requires_grad(inputs)) return output;
    auto multi = [backward = std::move(backward)](const std::vector<Tensor>& grads) {
        return backward(grads[0]);
    };
    return record(std::move(name), inputs, std::vector<Tensor>{std::move(output)},
                  std::move(multi))[0];
}

}  // namespace lucid::autograd
