#pragma once
// TypedOptimizer<Options, State>: the bookkeeping an optimizer shares with every other, so that
// sgd.cpp and adam.cpp hold the algorithm only.
//
// Options is the algorithm's aggregate of hyper-parameters (with `lr`), one per group. State is
// what the algorithm keeps per parameter, keyed by the parameter's identity (PyTorch's
// optimizer.state[p]). The derived class says how to check options and how both look in JSON.
#include <nlohmann/json.hpp>

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
    virtual nlohmann::json options_to_json(const Options& options) const = 0;
    virtual Options options_from_json(const nlohmann::json& json,
                                      const std::string& where) const = 0;
    virtual nlohmann::json state_to_json(const State& state) const = 0;
    // The state of `param`, checked against its shape.
    virtual State state_from_json(const nlohmann::json& json, const Tensor& param,
                                  const std::string& where) const = 0;

    // The state of `param`, default-constructed on first use.
    State& state_of(const Tensor& param) { return state_[param.impl_ptr().get()]; }

    std::vector<Options> options_;  // one per group; options_[g].lr is not read (see options())

private:
    nlohmann::json group_options_to_json(std::size_t group) const override {
        return options_to_json(options(group));
    }

    nlohmann::json param_state_to_json(const Tensor& param) const override {
        const State* found = state(param);
        return found ? state_to_json(*found) : nlohmann::json();
    }

    void load_options_and_state(const nlohmann::json& groups,
                                const std::vector<nlohmann::json>& state,
                                const std::vector<Tensor>& params) override {
        const std::string where = name() + ".load_state_dict";
        std::vector<Options> options;
        for (std::size_t g = 0; g < groups.size(); ++g) {
            options.push_back(options_from_json(groups[g], fmt::format("{}: param_groups[{}]",
                                                                       where, g)));
            validate(options.back());
        }
        std::unordered_map<const TensorImpl*, State> loaded;
        for (std::size_t i = 0; i < params.size(); ++i) {
            if (state[i].is_null()) continue;
            loaded[params[i].impl_ptr().get()] =
                state_from_json(state[i], params[i], fmt::format("{}: state[\"{}\"]", where, i));
        }
        options_ = std::move(options);
        state_ = std::move(loaded);
    }

    std::unordered_map<const TensorImpl*, State> state_;
};

}  // namespace lucid::optim
