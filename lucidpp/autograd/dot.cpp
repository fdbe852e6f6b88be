#include "lucidpp/autograd/dot.hpp"

#include <map>
#include <vector>

#include "lucidpp/autograd/node.hpp"

namespace lucid::autograd {

std::string to_dot(const Tensor& tensor) {
    std::string out = "digraph autograd {\n  rankdir=BT;\n  node [fontname=\"Helvetica\"];\n";
    std::map<const void*, std::string> names;
    auto name_of = [&](const void* p) {
        auto [it, fresh] = names.try_emplace(p, fmt::format("n{}", names.size()));
        return std::pair{it->second, fresh};
    };

    if (!tensor.grad_fn()) {
        auto [id, fresh] = name_of(tensor.impl_ptr().get());
        out += fmt::format("  {} [shape=ellipse, label=\"leaf {}\"];\n", id, tensor.shape());
        return out + "}\n";
    }
    // An explicit stack, not recursion: graphs can be deep.
    std::vector<const Node*> stack{tensor.grad_fn().get()};
    name_of(stack.back());
    while (!stack.empty()) {
        const Node* node = stack.back();
        stack.pop_back();
        std::string id = names.at(node);
        std::vector<std::string> shapes;
        for (const Shape& shape : node->output_shapes()) shapes.push_back(to_string(shape));
        out += fmt::format("  {} [shape=box, label=\"{}\\n{}\\n#{}\"];\n", id, node->name(),
                           fmt::join(shapes, " "), node->sequence_nr());
        for (const Edge& edge : node->next_edges()) {
            if (edge.node) {
                auto [input, fresh] = name_of(edge.node.get());
                if (fresh) stack.push_back(edge.node.get());
                out += fmt::format("  {} -> {};\n", input, id);
            } else if (edge.leaf) {
                auto [input, fresh] = name_of(edge.leaf.get());
                if (fresh) {
                    out += fmt::format("  {} [shape=ellipse, style=filled, fillcolor=lightblue, "
                                       "label=\"leaf {}\"];\n",
                                       input, edge.leaf->shape);
                }
                out += fmt::format("  {} -> {};\n", input, id);
            }
        }
    }
    return out + "}\n";
}

}  // namespace lucid::autograd
