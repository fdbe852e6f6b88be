#include "lucidpp/optim/adam.hpp"

#include <cmath>

#include "lucidpp/autograd/grad_mode.hpp"
#include "lucidpp/optim/adam_update.hpp"
#include "lucidpp/optim/param_update.hpp"
#include "lucidpp/optim/state_json.hpp"
#include "lucidpp/tensor/creation.hpp"

namespace lucid::optim {

using nlohmann::json;

namespace detail {

void check_adam_options(const AdamOptions& o, const std::string& name) {
    // Written as PyTorch's `not 0.0 <= x`, so that NaN is rejected too.
    check(0.0 <= o.lr, "{}: Invalid learning rate: {}", name, o.lr);
    check(0.0 <= o.eps, "{}: Invalid epsilon value: {}", name, o.eps);
    check(0.0 <= o.betas[0] && o.betas[0] < 1.0, "{}: Invalid beta parameter at index 0: {}",
          name, o.betas[0]);
    check(0.0 <= o.betas[1] && o.betas[1] < 1.0, "{}: Invalid beta parameter at index 1: {}",
          name, o.betas[1]);
    check(0.0 <= o.weight_decay, "{}: Invalid weight_decay value: {}", name, o.weight_decay);
}

namespace {

// max that lets NaN through, as torch.maximum.
template <class T>
T maximum(T a, T b) {
    return (a != a || a > b) ? a : b;
}

template <class T>
void adam_elements(T* theta, const T* grad, T* m, T* v, T* v_max, std::int64_t n,
                   const AdamOptions& o, double lr, std::int64_t step, bool decoupled) {
    const double bias_correction1 = 1.0 - std::pow(o.betas[0], static_cast<double>(step));
    const double bias_correction2 = 1.0 - std::pow(o.betas[1], static_cast<double>(step));
    const T minus_step_size = static_cast<T>(-(lr / bias_correction1));
    const T bias_correction2_sqrt = static_cast<T>(std::sqrt(bias_correction2));
    const T beta1 = static_cast<T>(o.betas[0]), beta2 = static_cast<T>(o.betas[1]);
    const T one_minus_beta1 = static_cast<T>(1.0 - o.betas[0]);
    const T one_minus_beta2 = static_cast<T>(1.0 - o.betas[1]);
    const T eps = static_cast<T>(o.eps), weight_decay = static_cast<T>(o.weight_decay);
    const T decay = static_cast<T>(1.0 - lr * o.weight_decay);
    for (std::int64_t i = 0; i < n; ++i) {
        T g = o.maximize ? -grad[i] : grad[i];
        if (decoupled) {
            theta[i] = theta[i] * decay;
        } else if (o.weight_decay != 0) {
            g = g + weight_decay * theta[i];
        }
        m[i] = m[i] * beta1 + one_minus_beta1 * g;
        v[i] = v[i] * beta2 + one_minus_beta2 * g * g;
        T second_moment = v[i];
        if (o.amsgrad) second_moment = v_max[i] = maximum(v_max[i], v[i]);
        const T denom = std::sqrt(second_moment) / bias_correction2_sqrt + eps;
        theta[i] = theta[i] + minus_step_size * m[i] / denom;
    }
}

}  // namespace

void adam_update(const Tensor& param, const Tensor& grad, AdamState& state, double lr,
                 const AdamOptions& o, bool decoupled_weight_decay, const std::string& name) {
    if (!state.exp_avg.defined()) {
        state.exp_avg = zeros(param.shape(), param.dtype());
        state.exp_avg_sq = zeros(param.shape(), param.dtype());
    }
    if (o.amsgrad && !state.max_exp_avg_sq.defined()) {
        state.max_exp_avg_sq = zeros(param.shape(), param.dtype());
    }
    update_parameter(param, grad, name + ".step", [&]<class T>(T* theta, const T* g,
                                                                std::int64_t n) {
        state.step += 1;
        T* v_max = o.amsgrad ? state.max_exp_avg_sq.data_ptr<T>() : nullptr;
        adam_elements(theta, g, state.exp_avg.data_ptr<T>(), state.exp_avg_sq.data_ptr<T>(),
                      v_max, n, o, lr, state.step, decoupled_weight_decay);
    });
}

json adam_options_to_json(const AdamOptions& o) {
    return {{"lr", number_to_json(o.lr)},
            {"betas", {number_to_json(o.betas[0]), number_to_json(o.betas[1])}},
            {"eps", number_to_json(o.eps)},
            {"weight_decay", number_to_json(o.weight_decay)},
            {"amsgrad", o.amsgrad},
            {"maximize", o.maximize}};
}

AdamOptions adam_options_from_json(const json& j, const std::string& where) {
    auto at = [&](const char* key) { return fmt::format("{}.{}", where, key); };
    auto number = [&](const char* key) { return number_from_json(field(j, key, where), at(key)); };
    auto flag = [&](const char* key) { return bool_from_json(field(j, key, where), at(key)); };
    const json& betas = field(j, "betas", where);
    check(betas.is_array() && betas.size() == 2, "{}: expected two numbers, got {}", at("betas"),
          betas.dump());
    return {.lr = number("lr"),
            .betas = {number_from_json(betas[0], at("betas")),
                      number_from_json(betas[1], at("betas"))},
            .eps = number("eps"),
            .weight_decay = number("weight_decay"),
            .amsgrad = flag("amsgrad"),
            .maximize = flag("maximize")};
}

json adam_state_to_json(const AdamState& state) {
    json out = {{"step", state.step},
                {"exp_avg", tensor_to_json(state.exp_avg)},
                {"exp_avg_sq", tensor_to_json(state.exp_avg_sq)}};
    if (state.max_exp_avg_sq.defined()) {
        out["max_exp_avg_sq"] = tensor_to_json(state.max_exp_avg_sq);
    }
    return out;
}

AdamState adam_state_from_json(const json& j, const Tensor& param, const std::string& where) {
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

}  // namespace detail

Adam::Adam(std::vector<Tensor> params, const AdamOptions& options) {
    add_param_group(std::move(params), options);
}

void Adam::step() {
    NoGradGuard no_grad;
    for (std::size_t g = 0; g < param_groups().size(); ++g) {
        for (const Tensor& param : param_groups()[g].params) {
            const Tensor grad = param.grad();
            if (!grad.defined()) continue;
            detail::adam_update(param, grad, state_of(param), param_groups()[g].lr, options_[g],
                                /*decoupled_weight_decay=*/false, name());
        }
    }
}

void Adam::validate(const AdamOptions& options) const {
    detail::check_adam_options(options, name());
}
json Adam::options_to_json(const AdamOptions& options) const {
    return detail::adam_options_to_json(options);
}
AdamOptions Adam::options_from_json(const json& json, const std::string& where) const {
    return detail::adam_options_from_json(json, where);
}
json Adam::state_to_json(const AdamState& state) const {
    return detail::adam_state_to_json(state);
}
AdamState Adam::state_from_json(const json& json, const Tensor& param,
                                const std::string& where) const {
    return detail::adam_state_from_json(json, param, where);
}

}  // namespace lucid::optim
