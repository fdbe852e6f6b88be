#pragma once
// Optimizer: the base of SGD, Adam and AdamW, as torch.optim.Optimizer.
//
// An optimizer holds parameter groups. Each group is a list of parameters with its own learning
// rate (and its own algorithm options, kept by the derived class). Schedulers change `lr` in
// param_groups(); step() reads it. Per-parameter state (momentum buffers, Adam's moments) lives
// in the derived class, keyed by the parameter's identity, and is created lazily on the first
// step that sees a gradient for that parameter.
//
//   optim::SGD sgd(model.parameters(), {.lr = 0.1, .momentum = 0.9});
//   for (...) {
//       sgd.zero_grad();
//       loss_of(model).backward();
//       sgd.step();
//   }
//
// An optimizer refers to its parameters (handles, not copies) and schedulers refer to their
// optimizer, so it is neither copyable nor movable: keep it where it was built.
#include <nlohmann/json_fwd.hpp>

#include <cstddef>
#include <optional>
#include <string>
#include <vector>

#include "lucidpp/tensor/tensor.hpp"

namespace lucid::optim {

struct ParamGroup {
    std::vector<Tensor> params;
    double lr = 0.0;                   // what step() uses; schedulers write it
    std::optional<double> initial_lr;  // set by the first scheduler attached (PyTorch's key)
};

class Optimizer {
public:
    virtual ~Optimizer() = default;
    Optimizer(const Optimizer&) = delete;
    Optimizer& operator=(const Optimizer&) = delete;

    // One update of every parameter that has a gradient, under NoGradGuard. Parameters whose
    // grad is undefined are skipped (their state is not created or advanced).
    virtual void step() = 0;

    // set_to_none drops every gradient (the next backward writes fresh ones); otherwise they
    // are filled with zeros in place. PyTorch 2's default, true (PyTorch 1.13's was false).
    void zero_grad(bool set_to_none = true);

    std::vector<ParamGroup>& param_groups() { return groups_; }
    const std::vector<ParamGroup>& param_groups() const { return groups_; }

    // {"state": {"0": {...}, ...}, "param_groups": [{..., "lr", "params": [0, 1]}, ...]}
    // as PyTorch's: parameters are numbered in group order, and "state" holds an entry only for
    // parameters that have state. Tensors are {"dtype", "shape", "data"} (see state_json.hpp).
    // This header declares nlohmann::json only: include <nlohmann/json.hpp> to use the result.
    nlohmann::json state_dict() const;
    // Restores options and state saved by state_dict() of an optimizer of the same kind over
    // parameters of the same shapes. Checks everything first; changes nothing when it throws.
    void load_state_dict(const nlohmann::json& state_dict);

    virtual std::string name() const = 0;  // "SGD", "Adam", ...: names the optimizer in errors

protected:
    Optimizer() = default;

    // Checks and appends a group: a non-empty list of defined, floating point leaf tensors,
    // none of which is already in a group. Derived add_param_group functions call it.
    void add_group(std::vector<Tensor> params, double lr);
    // Throws "<name>: <message>" unless `ok` (for option checks in derived classes).
    void check_option(bool ok, const std::string& message) const;

    // The derived class's part of state_dict() and load_state_dict().
    virtual nlohmann::json group_options_to_json(std::size_t group) const = 0;
    virtual nlohmann::json param_state_to_json(const Tensor& param) const = 0;  // null: none
    // Parses the saved groups' options and the saved state of every parameter (state[i] is
    // null or belongs to params[i], the parameters in group order) and then adopts them; throws
    // before changing anything.
    virtual void load_options_and_state(const nlohmann::json& groups,
                                        const std::vector<nlohmann::json>& state,
                                        const std::vector<Tensor>& params) = 0;

private:
    std::vector<ParamGroup> groups_;
};

}  // namespace lucid::optim
