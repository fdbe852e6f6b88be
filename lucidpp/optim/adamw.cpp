#include "lucidpp/optim/adamw.hpp"

#include "lucidpp/autograd/grad_mode.hpp"
#include "lucidpp/optim/adam_step.hpp"

namespace lucid::optim {

namespace {

// The two option structs differ only in weight_decay's default.
AdamOptions as_adam(const AdamWOptions& o) {
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
            detail::adam_step(param, grad, state_of(param), param_groups()[g].lr,
                              as_adam(options_[g]), detail::WeightDecay::decoupled, name());
        }
    }
}

void AdamW::validate(const AdamWOptions& options) const {
    detail::check_adam_options(as_adam(options), name());
}

}  // namespace lucid::optim
