#include "lucidpp/autograd/node.hpp"

namespace lucid::autograd {

namespace {
std::atomic<std::uint64_t> next_sequence_nr{0};
std::atomic<std::int64_t> live_nodes{0};
}  // namespace

Node::Node(std::string name, std::vector<Edge> next_edges, std::vector<Shape> output_shapes)
    : name_(std::move(name)),
      next_edges_(std::move(next_edges)),
      output_shapes_(std::move(output_shapes)),
      sequence_nr_(next_sequence_nr.fetch_add(1, std::memory_order_relaxed)) {
    live_nodes.fetch_add(1, std::memory_order_relaxed);
}

// Dropping the last tensor of a long chain would otherwise free the chain recursively, one
// stack frame per node. Instead, input nodes this node owns alone are detached and freed here,
// in a loop.
Node::~Node() {
    std::vector<std::shared_ptr<Node>> orphans;
    for (Edge& edge : next_edges_) {
        if (edge.node) orphans.push_back(std::move(edge.node));
    }
    while (!orphans.empty()) {
        std::shared_ptr<Node> node = std::move(orphans.back());
        orphans.pop_back();
        if (node.use_count() == 1) {
            for (Edge& edge : node->next_edges_) {
                if (edge.node) orphans.push_back(std::move(edge.node));
            }
        }
    }
    live_nodes.fetch_sub(1, std::memory_order_relaxed);
}

std::int64_t live_node_count() { return live_nodes.load(std::memory_order_relaxed); }

}  // namespace lucid::autograd
