#include "lucidpp/nn/container.hpp"

namespace lucid::nn {

void Sequential::push_back(std::shared_ptr<UnaryModule> module) {
    register_module(std::to_string(layers_.size()), module);
    layers_.push_back(std::move(module));
}

Tensor Sequential::forward(const Tensor& input) {
    Tensor x = input;
    for (auto& layer : layers_) x = (*layer)(x);  // the call operator, so hooks see each layer
    return x;
}

UnaryModule& Sequential::operator[](std::size_t index) const {
    check(index < layers_.size(), "Sequential: index {} is out of range for {} modules", index,
          layers_.size());
    return *layers_[index];
}

void ModuleList::push_back(std::shared_ptr<Module> module) {
    register_module(std::to_string(modules_.size()), module);
    modules_.push_back(std::move(module));
}

Module& ModuleList::operator[](std::size_t index) const {
    check(index < modules_.size(), "ModuleList: index {} is out of range for {} modules", index,
          modules_.size());
    return *modules_[index];
}

}  // namespace lucid::nn
