#pragma once
// Module: the base of every layer and model, as torch.nn.Module.
//
// A module owns named parameters (tensors that require grad), named buffers (state that is
// saved but not trained), and named child modules. A model is a plain struct that derives from
// Module, holds its layers as members, and registers them in its constructor:
//
//   struct Tagger : lucid::nn::Module {
//       lucid::nn::Embedding embed{100, 16};
//       lucid::nn::GRU gru{{.input_size = 16, .hidden_size = 32}};
//       lucid::nn::Linear head{32, 5};
//       Tagger() {
//           register_module("embed", embed);
//           register_module("gru", gru);
//           register_module("head", head);
//       }
//   };
//
// Children are registered by reference, so a module is neither copyable nor movable: keep it
// where it was built (or hold it in a std::unique_ptr / std::shared_ptr).
#include <cstdint>
#include <functional>
#include <iosfwd>
#include <memory>
#include <string>
#include <utility>
#include <vector>

#include "lucidpp/nn/forward_hook.hpp"
#include "lucidpp/tensor/tensor.hpp"

namespace lucid::nn {

// Name -> tensor in registration order, with dotted names for nested modules
// ("encoder.weight_ih_l0"), as PyTorch's state_dict.
using NamedTensors = std::vector<std::pair<std::string, Tensor>>;
using StateDict = NamedTensors;

class Module {
public:
    Module() = default;
    virtual ~Module() = default;
    Module(const Module&) = delete;
    Module& operator=(const Module&) = delete;

    // Registers `tensor` under `name` and returns a handle to it (the same tensor: assign it
    // to the member that the forward pass uses). Registering a name again replaces the entry.
    Tensor register_parameter(std::string name, Tensor tensor, bool requires_grad = true);
    Tensor register_buffer(std::string name, Tensor tensor);
    Module& register_module(std::string name, Module& child);
    Module& register_module(std::string name, std::shared_ptr<Module> child);

    // A tensor registered under several names (tied weights) is listed once, under its first.
    std::vector<Tensor> parameters(bool recurse = true) const;
    NamedTensors named_parameters(bool recurse = true) const;
    NamedTensors named_buffers(bool recurse = true) const;
    std::vector<Module*> children() const;
    std::vector<std::pair<std::string, Module*>> named_children() const;
    std::vector<Module*> modules();  // this module first, then every descendant, depth first
    // Calls fn on every descendant, then on this module (PyTorch's order).
    Module& apply(const std::function<void(Module&)>& fn);

    void train(bool training = true);  // also sets every child
    void eval() { train(false); }
    bool is_training() const { return training_; }
    void zero_grad();
    std::int64_t num_parameters() const;

    // Parameters then buffers, each under its dotted name (every name of a tied tensor);
    // tensors share storage with the module.
    StateDict state_dict() const;
    // Copies every tensor of `dict` into the module. Checks every name, shape and dtype first;
    // reports all missing and unexpected keys in one error (unexpected ones only when strict);
    // changes nothing when it throws.
    void load_state_dict(const StateDict& dict, bool strict = true);

    // Converts every floating point parameter and buffer to the floating point `dtype` in place
    // (handles stay valid; integer buffers keep their dtype).
    void to(Dtype dtype);

    // PyTorch's repr: "GRU(3, 5, num_layers=2)", nested modules indented by name.
    // By default the class's own name, without namespaces (a user's `struct Tagger` prints as
    // "Tagger"), as PyTorch uses type(module).__name__.
    virtual std::string name() const;
    virtual std::string extra_repr() const { return ""; }
    std::string repr() const;

private:
    void collect(const std::string& prefix, bool parameters, bool recurse, NamedTensors& out) const;

    NamedTensors parameters_;
    NamedTensors buffers_;
    std::vector<std::pair<std::string, Module*>> children_;
    std::vector<std::shared_ptr<Module>> owned_children_;
    bool training_ = true;
};

// A module whose forward maps one tensor to one tensor; what Sequential chains.
class UnaryModule : public Module {
public:
    virtual Tensor forward(const Tensor& input) = 0;
    Tensor operator()(const Tensor& input) {
        Tensor output = forward(input);
        if (forward_hook_set()) report_forward(*this, {output});
        return output;
    }
};

// Writes module.repr(), so that `std::cout << model` prints what print(model) prints in PyTorch.
std::ostream& operator<<(std::ostream& out, const Module& module);

}  // namespace lucid::nn
