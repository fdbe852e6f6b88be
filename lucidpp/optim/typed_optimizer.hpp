#pragma once
// TypedOptimizer<Options, State>: the bookkeeping an optimizer shares with every other, so that
// sgd.cpp and adam.cpp hold the algorithm only.
//
// Options is the algorithm's aggregate of hyper-parameters (with `lr`), one per group. State is
// what the algorithm keeps per parameter, keyed by the parameter's identity (PyTorch's
// optimizer.state[p]). The derived class says how to check options and takes its steps; how
// both look in JSON is written in optimizer_state_dict.cpp.
#include <nlohmann/json_fwd.hpp>

#include <string>
#include <unordered_map>
#include <utility>
#include <vector>

#include "lucidpp/optim/optimizer.hpp"
#include "lucidpp/tensor/error.hpp"

namespace lucid::optim {

template <class Options, class State>
class TypedOptimizer : public Optimizer {
public:
    // A group with options of its own. C++ aggregates have no "unset" field, so every option
    // comes from `options` (PyTorch fills keys missing from the dict with the defaults).
    void add_param_group(std::vector<Tensor> params, const Options& options) {
        validate(options);
        add_group(std::move(params), options.lr);
        options_.push_back(options);
    }

    // The options of a group; `lr` is the group's current one (param_groups()[group].lr).
    Options options(std::size_t group = 0) const {
        check(group < options_.size(), "{}: no parameter group {} (there are {})", name(), group,
              options_.size());
        Options options = options_[group];
        options.lr = param_groups()[group].lr;
        return options;
    }

    // Replaces a group's options, lr included; checked as the constructor checks them.
    void set_options(std::size_t group, const Options& options) {
        this->options(group);  // checks the index
        validate(options);
        options_[group] = options;
        param_groups()[group].lr = options.lr;
    }

    // A parameter's state, or null before the first step that saw its gradient.
    const State* state(const Tensor& param) const {
        auto found = state_.find(param.impl_ptr().get());
        return found == state_.end() ? nullptr : &found->second;
    }

protected:
    TypedOptimizer() = default;

    // Throws lucid::Error with PyTorch's message for an invalid option.
    virtual void validate(const Options& options) const = 0;

    // The state of `param`, default-constructed on first use.
    State& state_of(const Tensor& param) { return state_[param.impl_ptr().get()]; }

    std::vector<Options> options_;  // one per group; options_[g].lr is not read (see options())

private:
    // The part of state_dict() and load_state_dict() that knows Options and State. Defined in
    // optimizer_state_dict.cpp, with each optimizer's JSON form, and compiled there once per
    // optimizer (the `extern template` line in each optimizer's header).
    nlohmann::json group_options_to_json(std::size_t group) const override;
    nlohmann::json param_state_to_json(const Tensor& param) const override;
    void load_options_and_state(const nlohmann::json& groups,
                                const std::vector<nlohmann::json>& state,
                                const std::vector<Tensor>& params) override;

    std::unordered_map<const TensorImpl*, State> state_;
};

}  // namespace lucid::optim
