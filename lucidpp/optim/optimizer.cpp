#include "lucidpp/optim/optimizer.hpp"

#include <map>
#include <unordered_set>

#include "lucidpp/autograd/grad_mode.hpp"
#include "lucidpp/optim/state_json.hpp"
#include "lucidpp/tensor/error.hpp"

namespace lucid::optim {

using nlohmann::json;

void Optimizer::check_option(bool ok, const std::string& message) const {
    check(ok, "{}: {}", name(), message);
}

void Optimizer::add_group(std::vector<Tensor> params, double lr) {
    check_option(!params.empty(), "optimizer got an empty parameter list");
    std::unordered_set<const TensorImpl*> seen;
    for (const ParamGroup& group : groups_) {
        for (const Tensor& param : group.params) seen.insert(param.impl_ptr().get());
    }
    std::unordered_set<const TensorImpl*> in_this_group;
    for (const Tensor& param : params) {
        check_option(param.defined(), "optimizer can only optimize defined Tensors");
        check_option(param.is_floating_point(),
                     fmt::format("can only optimize floating point Tensors, got {}",
                                 param.dtype()));
        check_option(param.is_leaf(), "can't optimize a non-leaf Tensor");
        check_option(!seen.contains(param.impl_ptr().get()),
                     "some parameters appear in more than one parameter group");
        check_option(in_this_group.insert(param.impl_ptr().get()).second,
                     "optimizer contains a parameter group with duplicate parameters");
    }
    groups_.push_back(ParamGroup{std::move(params), lr, std::nullopt});
}

void Optimizer::zero_grad(bool set_to_none) {
    NoGradGuard no_grad;
    for (ParamGroup& group : groups_) {
        for (Tensor& param : group.params) {
            if (set_to_none) {
                param.zero_grad();
            } else if (Tensor grad = param.grad(); grad.defined()) {
                grad.zero_();
            }
        }
    }
}

json Optimizer::state_dict() const {
    json state = json::object();
    json groups = json::array();
    std::int64_t index = 0;
    for (std::size_t g = 0; g < groups_.size(); ++g) {
        json group = group_options_to_json(g);
        group["lr"] = number_to_json(groups_[g].lr);
        if (groups_[g].initial_lr) group["initial_lr"] = number_to_json(*groups_[g].initial_lr);
        json indices = json::array();
        for (const Tensor& param : groups_[g].params) {
            if (json entry = param_state_to_json(param); !entry.is_null()) {
                state[std::to_string(index)] = std::move(entry);
            }
            indices.push_back(index++);
        }
        group["params"] = std::move(indices);
        groups.push_back(std::move(group));
    }
    return {{"state", std::move(state)}, {"param_groups", std::move(groups)}};
}

namespace {

// PyTorch's load_state_dict maps the saved parameter ids, in group order, onto the current
// parameters in group order. Returns saved id -> position among the current parameters.
std::map<std::int64_t, std::size_t> saved_id_positions(const json& saved_groups,
                                                       const std::string& where) {
    std::map<std::int64_t, std::size_t> positions;
    std::size_t position = 0;
    for (std::size_t g = 0; g < saved_groups.size(); ++g) {
        const std::string at = fmt::format("{}: param_groups[{}].params", where, g);
        for (const json& id : field(saved_groups[g], "params", where)) {
            positions[integer_from_json(id, at)] = position++;
        }
    }
    return positions;
}

}  // namespace

void Optimizer::load_state_dict(const json& state_dict) {
    const std::string where = name() + ".load_state_dict";
    check(state_dict.is_object() && state_dict.contains("state") &&
              state_dict.contains("param_groups"),
          "{}: expected an object with \"state\" and \"param_groups\"", where);
    const json& saved_groups = state_dict["param_groups"];
    const json& saved_state = state_dict["state"];
    check(saved_groups.is_array(), "{}: \"param_groups\" must be a list", where);
    check(saved_state.is_object(), "{}: \"state\" must be an object", where);
    check(saved_groups.size() == groups_.size(),
          "{}: loaded state dict has a different number of parameter groups ({}, expected {})",
          where, saved_groups.size(), groups_.size());

    std::vector<Tensor> params;
    std::vector<double> lrs;
    std::vector<std::optional<double>> initial_lrs;
    for (std::size_t g = 0; g < groups_.size(); ++g) {
        const json& saved = saved_groups[g];
        const json& ids = field(saved, "params", where);
        check(ids.is_array() && ids.size() == groups_[g].params.size(),
              "{}: loaded state dict contains a parameter group that doesn't match the size of "
              "optimizer's group (group {} has {} parameters, the saved one {})",
              where, g, groups_[g].params.size(), ids.is_array() ? ids.size() : 0);
        params.insert(params.end(), groups_[g].params.begin(), groups_[g].params.end());
        const std::string at = fmt::format("{}: param_groups[{}]", where, g);
        lrs.push_back(number_from_json(field(saved, "lr", at), at + ".lr"));
        initial_lrs.push_back(saved.contains("initial_lr")
                                  ? std::optional(number_from_json(saved["initial_lr"], at))
                                  : std::nullopt);
    }

    const auto positions = saved_id_positions(saved_groups, where);
    std::vector<json> state(params.size());
    for (const auto& [key, value] : saved_state.items()) {
        std::int64_t id = -1;
        try {
            id = std::stoll(key);
        } catch (const std::exception&) {
        }
        auto found = positions.find(id);
        check(found != positions.end(), "{}: state for parameter \"{}\", which no group lists",
              where, key);
        state[found->second] = value;
    }

    load_options_and_state(saved_groups, state, params);  // throws before changing anything
    for (std::size_t g = 0; g < groups_.size(); ++g) {
        groups_[g].lr = lrs[g];
        groups_[g].initial_lr = initial_lrs[g];
    }
}

}  // namespace lucid::optim
