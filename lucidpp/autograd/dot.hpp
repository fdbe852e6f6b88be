#pragma once
// Graph export for teaching: the graph that produced a tensor, as Graphviz DOT.
#include <string>

#include "lucidpp/tensor/tensor.hpp"

namespace lucid::autograd {

// One box per node (op name, output shapes, tape position) and one ellipse per leaf that
// requires grad; arrows point the way data flowed forward. Render with `dot -Tsvg`.
std::string to_dot(const Tensor& tensor);

}  // namespace lucid::autograd
