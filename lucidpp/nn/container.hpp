#pragma once
// Sequential (a chain of one-tensor modules) and ModuleList (an indexable list of modules).
// Both own their modules; children are named "0", "1", ... as in PyTorch.
#include <memory>
#include <vector>

#include "lucidpp/nn/module.hpp"
#include "lucidpp/tensor/error.hpp"

namespace lucid::nn {

class Sequential : public UnaryModule {
public:
    Sequential() = default;
    template <class... Modules>
    explicit Sequential(std::shared_ptr<Modules>... modules) {
        (push_back(std::move(modules)), ...);
    }

    void push_back(std::shared_ptr<UnaryModule> module);
    template <class M, class... Args>
    M& emplace_back(Args&&... args) {
        auto module = std::make_shared<M>(std::forward<Args>(args)...);
        push_back(module);
        return *module;
    }

    Tensor forward(const Tensor& input) override;
    std::size_t size() const { return layers_.size(); }
    UnaryModule& operator[](std::size_t index) const;
    std::string name() const override { return "Sequential"; }

private:
    std::vector<std::shared_ptr<UnaryModule>> layers_;
};

class ModuleList : public Module {
public:
    void push_back(std::shared_ptr<Module> module);
    std::size_t size() const { return modules_.size(); }
    Module& operator[](std::size_t index) const;
    template <class M>
    M& at(std::size_t index) const {
        Module& module = (*this)[index];
        auto* typed = dynamic_cast<M*>(&module);
        check(typed != nullptr, "ModuleList: module {} is a {}, not the requested type", index,
              module.name());
        return *typed;
    }
    std::string name() const override { return "ModuleList"; }

private:
    std::vector<std::shared_ptr<Module>> modules_;
};

}  // namespace lucid::nn
