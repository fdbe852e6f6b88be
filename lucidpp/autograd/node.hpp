#pragma once
// Node: one recorded op on the tape.
//
// The tape is the order in which nodes are created. Each node takes the next position
// (`sequence_nr`) when it is made, and a node's inputs were all made before it, so reverse
// creation order is a valid order for backward: by the time backward reaches a node, every node
// that consumed its outputs has already passed its gradient down. Nodes own their inputs'
// nodes through `next_edges`, and tensors own the node that made them, so a graph lives
// exactly as long as some tensor can still reach it.
#include <atomic>
#include <cstdint>
#include <memory>
#include <string>
#include <vector>

#include "lucidpp/tensor/tensor.hpp"

namespace lucid::autograd {

// Where the gradient for one input of a node goes.
struct Edge {
    std::shared_ptr<Node> node;        // the input's grad_fn, or
    std::shared_ptr<TensorImpl> leaf;  // the input itself, a leaf that requires grad, or neither
    std::uint32_t output_nr = 0;       // which of node's outputs the input is
    Shape shape;                       // the input's shape and dtype, to check gradients against
    Dtype dtype = float32;

    bool needs_grad() const { return node || leaf; }
};

class Node {
public:
    Node(std::string name, std::vector<Edge> next_edges, std::vector<Shape> output_shapes);
    virtual ~Node();
    Node(const Node&) = delete;
    Node& operator=(const Node&) = delete;

    const std::string& name() const { return name_; }
    std::uint64_t sequence_nr() const { return sequence_nr_; }
    const std::vector<Edge>& next_edges() const { return next_edges_; }
    const std::vector<Shape>& output_shapes() const { return output_shapes_; }
    bool needs_input_grad(std::size_t input) const { return next_edges_[input].needs_grad(); }

    // Gradients of the inputs from the gradients of the outputs (one per output; an output that
    // received none is passed as an undefined tensor). Returns one tensor per input; inputs
    // that need no gradient may get an undefined tensor.
    virtual std::vector<Tensor> apply(const std::vector<Tensor>& grad_outputs) = 0;

    // Frees the tensors saved for backward; afterwards apply() must not be called.
    void release() {
        release_saved();
        released_ = true;
    }
    bool released() const { return released_; }

    // Summed incoming gradients, filled in during one backward pass.
    std::vector<Tensor> pending_grads;

protected:
    virtual void release_saved() = 0;

private:
    std::string name_;
    std::vector<Edge> next_edges_;
    std::vector<Shape> output_shapes_;
    std::uint64_t sequence_nr_;
    bool released_ = false;
};

// How many nodes are alive in this process: a dropped graph brings it back down.
std::int64_t live_node_count();

}  // namespace lucid::autograd
