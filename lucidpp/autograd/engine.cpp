#include "lucidpp/autograd/engine.hpp"

#include <queue>

#include "lucidpp/autograd/grad_mode.hpp"
#include "lucidpp/autograd/node.hpp"
#include "lucidpp/kernels/copy.hpp"
#include "lucidpp/tensor/creation.hpp"

namespace lucid::autograd {

namespace {

// Later on the tape comes first: the walk runs the tape backwards.
struct LaterFirst {
    bool operator()(const std::shared_ptr<Node>& a, const std::shared_ptr<Node>& b) const {
        return a->sequence_nr() < b->sequence_nr();
    }
};
using ReadyQueue = std::priority_queue<std::shared_ptr<Node>, std::vector<std::shared_ptr<Node>>,
                                       LaterFirst>;

void check_gradient(const Node& node, const Edge& edge, const Tensor& grad) {
    check(grad.shape() == edge.shape && grad.dtype() == edge.dtype,
          "backward of {}: computed a gradient of shape {} and dtype {} for an input of shape {} "
          "and dtype {}",
          node.name(), grad.shape(), grad.dtype(), edge.shape, edge.dtype);
}

// Leaf gradients are summed here during the walk and written to the leaves only once the whole
// walk succeeded, so a backward that throws leaves every .grad as it was.
using LeafGradients = std::vector<std::pair<std::shared_ptr<TensorImpl>, Tensor>>;

void add_leaf_gradient(LeafGradients& leaves, const std::shared_ptr<TensorImpl>& leaf,
                       const Tensor& grad) {
    for (auto& [known, sum] : leaves) {
        if (known == leaf) {
            sum = kernels::add(sum, grad);
            return;
        }
    }
    leaves.emplace_back(leaf, grad);
}

void accumulate_into_leaf(TensorImpl& leaf, const Tensor& grad) {
    if (!leaf.grad) {
        leaf.grad = kernels::contiguous_copy(grad, grad.dtype()).impl_ptr();
    } else {
        kernels::add_into(Tensor(leaf.grad), grad);
    }
}

// Sums a gradient into the slot of the node's output it belongs to; every slot is complete
// before the node is applied, because all consumers come later on the tape.
void accumulate_into_node(Node& node, std::uint32_t output_nr, const Tensor& grad,
                          ReadyQueue& ready, const std::shared_ptr<Node>& handle) {
    if (node.pending_grads.empty()) {
        node.pending_grads.resize(node.output_shapes().size());
        ready.push(handle);
    }
    Tensor& slot = node.pending_grads[output_nr];
    slot = slot.defined() ? kernels::add(slot, grad) : grad;
}

}  // namespace

void backward(const Tensor& root, const Tensor& gradient, bool retain_graph) {
    check(root.requires_grad(),
          "backward: element 0 of tensors does not require grad and does not have a grad_fn");
    check(gradient.shape() == root.shape(),
          "backward: gradient has shape {}, but the tensor has shape {}", gradient.shape(),
          root.shape());
    check(gradient.dtype() == root.dtype(),
          "backward: gradient has dtype {}, but the tensor has dtype {}", gradient.dtype(),
          root.dtype());

    NoGradGuard no_grad;
    if (root.is_leaf()) {
        accumulate_into_leaf(root.impl(), gradient);
        return;
    }

    ReadyQueue ready;
    LeafGradients leaves;
    std::vector<std::shared_ptr<Node>> touched;  // to clear pending gradients if we throw
    try {
        accumulate_into_node(*root.grad_fn(), root.impl().output_nr, gradient, ready,
                             root.grad_fn());
        while (!ready.empty()) {
            std::shared_ptr<Node> node = ready.top();
            ready.pop();
            touched.push_back(node);
            check(!node->released(),
                  "backward of {}: Trying to backward through the graph a second time (or "
                  "directly access saved tensors after they have already been freed). Saved "
                  "intermediate values of the graph are freed when you call backward(). Specify "
                  "retain_graph=true if you need to backward through the graph a second time.",
                  node->name());

            std::vector<Tensor> grad_outputs = std::move(node->pending_grads);
            node->pending_grads.clear();
            std::vector<Tensor> grad_inputs;
            try {
                grad_inputs = node->apply(grad_outputs);
            } catch (const Error& error) {
                throw Error(fmt::format("backward of {}: {}", node->name(), error.what()));
            }
            if (!retain_graph) node->release();

            const auto& edges = node->next_edges();
            check(grad_inputs.size() == edges.size(),
                  "backward of {}: returned {} gradients for {} inputs", node->name(),
                  grad_inputs.size(), edges.size());
            for (std::size_t i = 0; i < edges.size(); ++i) {
                const Edge& edge = edges[i];
                const Tensor& grad = grad_inputs[i];
                if (!edge.needs_grad() || !grad.defined()) continue;
                check_gradient(*node, edge, grad);
                if (edge.leaf) {
                    add_leaf_gradient(leaves, edge.leaf, grad);
                } else {
                    accumulate_into_node(*edge.node, edge.output_nr, grad, ready, edge.node);
                }
            }
        }
        for (auto& [leaf, grad] : leaves) accumulate_into_leaf(*leaf, grad);
    } catch (...) {
        for (auto& node : touched) node->pending_grads.clear();
        while (!ready.empty()) {
            ready.top()->pending_grads.clear();
            ready.pop();
        }
        throw;
    }
}

}  // namespace lucid::autograd

namespace lucid {

void Tensor::backward(bool retain_graph) const {
    check(numel() == 1,
          "backward: grad can be implicitly created only for scalar outputs, but the tensor has "
          "shape {}; pass a gradient of that shape",
          shape());
    autograd::backward(*this, ones_like(*this), retain_graph);
}

void Tensor::backward(const Tensor& gradient, bool retain_graph) const {
    autograd::backward(*this, gradient, retain_graph);
}

}  // namespace lucid
