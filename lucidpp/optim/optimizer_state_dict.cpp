// The state_dict of every optimizer, in one place: PyTorch's layout (Optimizer::state_dict and
// load_state_dict; see optimizer.hpp), the bookkeeping every optimizer shares (TypedOptimizer's
// part, compiled here once per optimizer, so that no public header needs nlohmann/json.hpp),
// and each optimizer's options and state under PyTorch's keys. The algorithms in sgd.cpp,
// adam.cpp and adamw.cpp know nothing of JSON.
#include <nlohmann/json.hpp>

#include <cmath>
#include <map>

#include "lucidpp/optim/adam.hpp"
#include "lucidpp/optim/adamw.hpp"
#include "lucidpp/optim/optimizer.hpp"
#include "lucidpp/optim/sgd.hpp"
#include "lucidpp/optim/state_json.hpp"
#include "lucidpp/tensor/error.hpp"

namespace lucid::optim {

using nlohmann::json;

// ---- The layout ------------------------------------------------------------------------------

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

// ---- What every optimizer shares -------------------------------------------------------------

namespace {

// How an optimizer's options (one entry of "param_groups", without the lr, which Optimizer
// writes) and its state of one parameter (one entry of "state") look in JSON: one
// specialisation per optimizer.
template <class Options, class State>
struct JsonForm;

}  // namespace

template <class Options, class State>
json TypedOptimizer<Options, State>::group_options_to_json(std::size_t group) const {
    return JsonForm<Options, State>::options_to_json(options(group));
}

template <class Options, class State>
json TypedOptimizer<Options, State>::param_state_to_json(const Tensor& param) const {
    const State* found = state(param);
    return found ? JsonForm<Options, State>::state_to_json(*found) : json();
}

template <class Options, class State>
void TypedOptimizer<Options, State>::load_options_and_state(const json& groups,
                                                            const std::vector<json>& state,
                                                            const std::vector<Tensor>& params) {
    using Form = JsonForm<Options, State>;
    const std::string where = name() + ".load_state_dict";
    std::vector<Options> options;
    for (std::size_t g = 0; g < groups.size(); ++g) {
        options.push_back(
            Form::options_from_json(groups[g], fmt::format("{}: param_groups[{}]", where, g)));
        validate(options.back());
    }
    std::unordered_map<const TensorImpl*, State> loaded;
    for (std::size_t i = 0; i < params.size(); ++i) {
        if (state[i].is_null()) continue;
        loaded[params[i].impl_ptr().get()] =
            Form::state_from_json(state[i], params[i], fmt::format("{}: state[\"{}\"]", where, i));
    }
    options_ = std::move(options);
    state_ = std::move(loaded);
}

// ---- Each optimizer's options and state -----------------------------------------------------

namespace {

// Reads the keys of one JSON object; errors name "where.key".
struct Fields {
    const json& object;
    const std::string& where;

    const json& operator[](const char* key) const { return field(object, key, where); }
    std::string at(const char* key) const { return fmt::format("{}.{}", where, key); }
    double number(const char* key) const { return number_from_json((*this)[key], at(key)); }
    bool flag(const char* key) const { return bool_from_json((*this)[key], at(key)); }
};

template <>
struct JsonForm<SGDOptions, SGDState> {
    static json options_to_json(const SGDOptions& o) {
        return {{"lr", number_to_json(o.lr)},
                {"momentum", number_to_json(o.momentum)},
                {"dampening", number_to_json(o.dampening)},
                {"weight_decay", number_to_json(o.weight_decay)},
                {"nesterov", o.nesterov},
                {"maximize", o.maximize}};
    }

    static SGDOptions options_from_json(const json& group, const std::string& where) {
        const Fields fields{group, where};
        return {.lr = fields.number("lr"),
                .momentum = fields.number("momentum"),
                .dampening = fields.number("dampening"),
                .weight_decay = fields.number("weight_decay"),
                .nesterov = fields.flag("nesterov"),
                .maximize = fields.flag("maximize")};
    }

    static json state_to_json(const SGDState& state) {
        const Tensor& buffer = state.momentum_buffer;
        return {{"momentum_buffer", buffer.defined() ? tensor_to_json(buffer) : json()}};
    }

    // `param`: the parameter the state belongs to, whose shape and dtype its tensors take.
    static SGDState state_from_json(const json& state, const Tensor& param,
                                    const std::string& where) {
        const json& buffer = field(state, "momentum_buffer", where);
        if (buffer.is_null()) return {};
        return {tensor_from_json(buffer, param, where + ".momentum_buffer")};
    }
};

// Adam's and AdamW's: their option structs differ only in weight_decay's default.
template <class Options>
struct AdamJsonForm {
    static json options_to_json(const Options& o) {
        return {{"lr", number_to_json(o.lr)},
                {"betas", {number_to_json(o.betas[0]), number_to_json(o.betas[1])}},
                {"eps", number_to_json(o.eps)},
                {"weight_decay", number_to_json(o.weight_decay)},
                {"amsgrad", o.amsgrad},
                {"maximize", o.maximize}};
    }

    static Options options_from_json(const json& group, const std::string& where) {
        const Fields fields{group, where};
        const json& betas = fields["betas"];
        check(betas.is_array() && betas.size() == 2, "{}: expected two numbers, got {}",
              fields.at("betas"), shown_json(betas));
        return {.lr = fields.number("lr"),
                .betas = {number_from_json(betas[0], fields.at("betas")),
                          number_from_json(betas[1], fields.at("betas"))},
                .eps = fields.number("eps"),
                .weight_decay = fields.number("weight_decay"),
                .amsgrad = fields.flag("amsgrad"),
                .maximize = fields.flag("maximize")};
    }

    static json state_to_json(const AdamState& state) {
        json out = {{"step", state.step},
                    {"exp_avg", tensor_to_json(state.exp_avg)},
                    {"exp_avg_sq", tensor_to_json(state.exp_avg_sq)}};
        if (state.max_exp_avg_sq.defined()) {
            out["max_exp_avg_sq"] = tensor_to_json(state.max_exp_avg_sq);
        }
        return out;
    }

    static AdamState state_from_json(const json& j, const Tensor& param, const std::string& where) {
        AdamState state;
        // PyTorch keeps the step as a float tensor; a whole number is accepted in either form.
        const double step = number_from_json(field(j, "step", where), where + ".step");
        check(step >= 0 && step == std::floor(step) && step < 9.0e15,
              "{}.step: expected a whole number of steps, got {}", where, step);
        state.step = static_cast<std::int64_t>(step);
        state.exp_avg = tensor_from_json(field(j, "exp_avg", where), param, where + ".exp_avg");
        state.exp_avg_sq =
            tensor_from_json(field(j, "exp_avg_sq", where), param, where + ".exp_avg_sq");
        if (j.contains("max_exp_avg_sq")) {
            state.max_exp_avg_sq =
                tensor_from_json(j["max_exp_avg_sq"], param, where + ".max_exp_avg_sq");
        }
        return state;
    }
};

template <>
struct JsonForm<AdamOptions, AdamState> : AdamJsonForm<AdamOptions> {};
template <>
struct JsonForm<AdamWOptions, AdamState> : AdamJsonForm<AdamWOptions> {};

}  // namespace

template class TypedOptimizer<SGDOptions, SGDState>;
template class TypedOptimizer<AdamOptions, AdamState>;
template class TypedOptimizer<AdamWOptions, AdamState>;

}  // namespace lucid::optim
