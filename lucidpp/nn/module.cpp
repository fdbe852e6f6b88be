#include "lucidpp/nn/module.hpp"

#include <cxxabi.h>

#include <algorithm>
#include <cstdlib>
#include <memory>
#include <typeinfo>
#include <map>
#include <ostream>
#include <set>

#include "lucidpp/autograd/grad_mode.hpp"
#include "lucidpp/kernels/copy.hpp"

namespace lucid::nn {

namespace {

void check_name(const std::string& name, const char* what) {
    check(!name.empty() && name.find('.') == std::string::npos,
          "register_{}: name must be non-empty and contain no \".\", got \"{}\"", what, name);
}

NamedTensors without_duplicates(NamedTensors named) {
    std::set<const TensorImpl*> seen;
    std::erase_if(named, [&](const auto& entry) {
        return !seen.insert(entry.second.impl_ptr().get()).second;
    });
    return named;
}

std::string quoted_list(const std::vector<std::string>& names) {
    std::vector<std::string> quoted;
    for (const std::string& name : names) quoted.push_back("\"" + name + "\"");
    return fmt::format("{}", fmt::join(quoted, ", "));
}

// Indents every line after the first by two spaces, for nesting a repr.
std::string indented(const std::string& text) {
    std::string out;
    for (char c : text) {
        out += c;
        if (c == '\n') out += "  ";
    }
    return out;
}

}  // namespace

Tensor Module::register_parameter(std::string name, Tensor tensor, bool requires_grad) {
    check_name(name, "parameter");
    if (tensor.defined() && requires_grad) tensor.requires_grad_();
    for (auto& [known, slot] : parameters_) {
        if (known == name) return slot = tensor;
    }
    parameters_.emplace_back(std::move(name), tensor);
    return tensor;
}

Tensor Module::register_buffer(std::string name, Tensor tensor) {
    check_name(name, "buffer");
    for (auto& [known, slot] : buffers_) {
        if (known == name) return slot = tensor;
    }
    buffers_.emplace_back(std::move(name), tensor);
    return tensor;
}

Module& Module::register_module(std::string name, Module& child) {
    check_name(name, "module");
    check(&child != this, "register_module: a module cannot be its own child");
    for (auto& [known, slot] : children_) {
        if (known == name) return *(slot = &child);
    }
    children_.emplace_back(std::move(name), &child);
    return child;
}

Module& Module::register_module(std::string name, std::shared_ptr<Module> child) {
    check(child != nullptr, "register_module: module \"{}\" is null", name);
    owned_children_.push_back(child);
    return register_module(std::move(name), *child);
}

void Module::collect(const std::string& prefix, bool parameters, bool recurse,
                     NamedTensors& out) const {
    for (const auto& [name, tensor] : parameters ? parameters_ : buffers_) {
        if (tensor.defined()) out.emplace_back(prefix + name, tensor);
    }
    if (!recurse) return;
    for (const auto& [name, child] : children_) {
        child->collect(prefix + name + ".", parameters, recurse, out);
    }
}

// A tensor shared by two modules (tied weights) is listed once, under its first name, as
// PyTorch does; otherwise an optimizer would update it twice per step.
NamedTensors Module::named_parameters(bool recurse) const {
    NamedTensors out;
    collect("", true, recurse, out);
    return without_duplicates(std::move(out));
}

NamedTensors Module::named_buffers(bool recurse) const {
    NamedTensors out;
    collect("", false, recurse, out);
    return without_duplicates(std::move(out));
}

std::vector<Tensor> Module::parameters(bool recurse) const {
    std::vector<Tensor> out;
    for (auto& [name, tensor] : named_parameters(recurse)) out.push_back(tensor);
    return out;
}

std::vector<Module*> Module::children() const {
    std::vector<Module*> out;
    for (const auto& [name, child] : children_) out.push_back(child);
    return out;
}

std::vector<std::pair<std::string, Module*>> Module::named_children() const { return children_; }

std::vector<Module*> Module::modules() {
    std::vector<Module*> out{this};
    for (const auto& [name, child] : children_) {
        std::vector<Module*> below = child->modules();
        out.insert(out.end(), below.begin(), below.end());
    }
    // A module registered twice is visited once, as PyTorch's modules().
    std::set<Module*> seen;
    std::erase_if(out, [&](Module* module) { return !seen.insert(module).second; });
    return out;
}

Module& Module::apply(const std::function<void(Module&)>& fn) {
    for (const auto& [name, child] : children_) child->apply(fn);
    fn(*this);
    return *this;
}

void Module::train(bool training) {
    training_ = training;
    for (const auto& [name, child] : children_) child->train(training);
}

void Module::zero_grad() {
    for (Tensor& parameter : parameters()) parameter.zero_grad();
}

std::int64_t Module::num_parameters() const {
    std::int64_t count = 0;
    for (const Tensor& parameter : parameters()) count += parameter.numel();
    return count;
}

// Unlike named_parameters, keeps every name of a shared tensor, as PyTorch's state_dict.
StateDict Module::state_dict() const {
    StateDict dict;
    collect("", true, true, dict);
    collect("", false, true, dict);
    return dict;
}

void Module::load_state_dict(const StateDict& dict, bool strict) {
    StateDict own = state_dict();
    std::map<std::string, const Tensor*> given;
    for (const auto& [name, tensor] : dict) given[name] = &tensor;

    std::vector<std::string> missing, unexpected, mismatched;
    for (const auto& [name, tensor] : own) {
        auto found = given.find(name);
        if (found == given.end()) {
            missing.push_back(name);
            continue;
        }
        const Tensor& source = *found->second;
        if (!source.defined()) {
            mismatched.push_back(
                fmt::format("{}: the tensor in the checkpoint is undefined.", name));
        } else if (source.shape() != tensor.shape()) {
            mismatched.push_back(fmt::format(
                "size mismatch for {}: copying a param with shape {} from checkpoint, the shape "
                "in current model is {}.",
                name, source.shape(), tensor.shape()));
        } else if (source.dtype() != tensor.dtype()) {
            mismatched.push_back(fmt::format(
                "dtype mismatch for {}: copying a param with dtype {} from checkpoint, the dtype "
                "in current model is {}.",
                name, source.dtype(), tensor.dtype()));
        }
    }
    for (const auto& [name, tensor] : dict) {
        bool known = std::any_of(own.begin(), own.end(),
                                 [&name = name](auto& p) { return p.first == name; });
        if (!known) unexpected.push_back(name);
    }

    std::string problems;
    if (strict && !missing.empty()) {
        problems += fmt::format("\n\tMissing key(s) in state_dict: {}.", quoted_list(missing));
    }
    if (strict && !unexpected.empty()) {
        problems +=
            fmt::format("\n\tUnexpected key(s) in state_dict: {}.", quoted_list(unexpected));
    }
    for (const std::string& line : mismatched) problems += "\n\t" + line;
    check(problems.empty(), "Error(s) in loading state_dict for {}:{}", name(), problems);

    NoGradGuard no_grad;
    for (auto& [name, tensor] : own) {
        auto found = given.find(name);
        if (found != given.end()) tensor.copy_(*found->second);
    }
}

// As PyTorch, only floating point tensors convert: an integer buffer (a step count) keeps its type.
void Module::to(Dtype dtype) {
    check(lucid::is_floating_point(dtype),
          "Module.to only accepts floating point dtypes, but got desired dtype={}", dtype);
    for (auto& [name, tensor] : state_dict()) {
        if (!tensor.is_floating_point() || tensor.dtype() == dtype) continue;
        Tensor converted = kernels::contiguous_copy(tensor, dtype);
        tensor.set_data(converted);
    }
}

// As PyTorch: a leaf with a one-line extra_repr stays on one line; otherwise the extra_repr
// lines and then "(name): child" lines follow, each indented by two spaces.
std::string Module::name() const {
    const char* mangled = typeid(*this).name();
    int status = 0;
    std::unique_ptr<char, decltype(&std::free)> demangled(
        abi::__cxa_demangle(mangled, nullptr, nullptr, &status), &std::free);
    std::string full = status == 0 && demangled ? demangled.get() : mangled;
    std::size_t last = full.rfind("::");
    return last == std::string::npos ? full : full.substr(last + 2);
}

std::string Module::repr() const {
    std::string extra = extra_repr();
    if (children_.empty() && extra.find('\n') == std::string::npos) {
        return name() + "(" + extra + ")";
    }
    std::vector<std::string> lines;
    if (!extra.empty()) lines.push_back(extra);
    for (const auto& [child_name, child] : children_) {
        lines.push_back(fmt::format("({}): {}", child_name, child->repr()));
    }
    std::string text = name() + "(\n";
    for (const std::string& line : lines) text += "  " + indented(line) + "\n";
    return text + ")";
}

std::ostream& operator<<(std::ostream& out, const Module& module) {
    return out << module.repr();
}

}  // namespace lucid::nn
