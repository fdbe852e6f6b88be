#include "lucidpp/optim/adamw.hpp"

#include "lucidpp/autograd/grad_mode.hpp"
#include "lucidpp/optim/adam_update.hpp"

namespace lucid::optim {

using nlohmann::json;

namespace {

// The two option structs differ only in weight_decay's default.
AdamOptions as_adam(const AdamWOptions& o) {
    return {o.lr, o.betas, o.eps, o.weight_decay, o.amsgrad, o.maximize};
}

AdamWOptions as_adamw(const AdamOptions& o) {
    return {o.lr, o.betas, o.eps, o.weight_decay, o.amsgrad, o.maximize};
}

}  // namespace

AdamW::AdamW(std::vector<Tensor> params, const AdamWOptions& options) {
    add_param_group(std::move(params), options);
}

void AdamW::step() {
    NoGradGuard no_grad;
    for (std::size_t g = 0; g < param_groups().size(); ++g) {
        for (const Tensor& param : param_groups()[g].params) {
            const Tensor grad = param.grad();
            if (!grad.defined()) continue;
            detail::adam_update(param, grad, state_of(param), param_groups()[g].lr,
                                as_adam(options_[g]), /*decoupled_weight_decay=*/true, name());
        }
    }
}

void AdamW::validate(const AdamWOptions& options) const {
    detail::check_adam_options(as_adam(options), name());
}
json AdamW::options_to_json(const AdamWOptions& options) const {
    return detail::adam_options_to_json(as_adam(options));
}
AdamWOptions AdamW::options_from_json(const json& json, const std::string& where) const {
    return as_adamw(detail::adam_options_from_json(json, where));
}
json AdamW::state_to_json(const AdamState& state) const {
    return detail::adam_state_to_json(state);
}
AdamState AdamW::state_from_json(const json& json, const Tensor& param,
                                 const std::string& where) const {
    return detail::adam_state_from_json(json, param, where);
}

}  // namespace lucid::optim
