#include "lucidpp/optim/adam.hpp"

#include <cmath>

#include "lucidpp/autograd/grad_mode.hpp"
#include "lucidpp/optim/adam_step.hpp"
#include "lucidpp/optim/param_update.hpp"
#include "lucidpp/tensor/creation.hpp"

namespace lucid::optim {

namespace detail {

namespace {

// max that lets NaN through, as torch.maximum.
template <class T>
T maximum(T a, T b) {
    return (a != a || a > b) ? a : b;
}

// Algorithm 1 (see adam.hpp) over n elements at step t, in PyTorch's arrangement. PyTorch never
// forms m_hat and v_hat: it folds the two bias corrections into a step size and a denominator,
//   alpha m_hat_t / (sqrt(v_hat_t) + eps) = step_size m_t / denom,  where
//   step_size = alpha / (1 - beta1^t),   denom = sqrt(v_t) / sqrt(1 - beta2^t) + eps,
// the same number in exact arithmetic, since m_hat_t = m_t / (1 - beta1^t) and
// sqrt(v_hat_t) = sqrt(v_t) / sqrt(1 - beta2^t); eps stays where the paper puts it (not its
// Section 2 variant, eps_hat added to sqrt(v_t)). Each element is computed in PyTorch's order
// of operations (its addcdiv_ is theta + (-step_size) m / denom), so it rounds as PyTorch's.
//
// One instance per combination of options (with_constants), and __restrict buffers: the loop
// has no branch and vectorises (the library is built with -fno-math-errno, so sqrt is one
// instruction). The divisions stay: a multiplication by a hoisted reciprocal rounds differently.
template <class T, bool Maximize, bool Decoupled, bool L2Penalty, bool Amsgrad>
void adam_elements(T* __restrict theta, const T* __restrict grad, T* __restrict m, T* __restrict v,
                   T* __restrict v_max, std::int64_t n, const AdamOptions& o, double lr,
                   std::int64_t t) {
    const double bias_correction1 = 1.0 - std::pow(o.betas[0], static_cast<double>(t));
    const double bias_correction2 = 1.0 - std::pow(o.betas[1], static_cast<double>(t));
    const T minus_step_size = static_cast<T>(-(lr / bias_correction1));
    const T sqrt_bias_correction2 = static_cast<T>(std::sqrt(bias_correction2));
    const T beta1 = static_cast<T>(o.betas[0]), beta2 = static_cast<T>(o.betas[1]);
    const T one_minus_beta1 = static_cast<T>(1.0 - o.betas[0]);
    const T one_minus_beta2 = static_cast<T>(1.0 - o.betas[1]);
    const T eps = static_cast<T>(o.eps), lambda = static_cast<T>(o.weight_decay);
    const T decay = static_cast<T>(1.0 - lr * o.weight_decay);  // AdamW's 1 - alpha lambda
    for (std::int64_t i = 0; i < n; ++i) {
        T g = Maximize ? -grad[i] : grad[i];
        if constexpr (Decoupled) theta[i] = theta[i] * decay;
        if constexpr (L2Penalty) g = g + lambda * theta[i];
        const T m_t = m[i] * beta1 + one_minus_beta1 * g;
        const T v_t = v[i] * beta2 + one_minus_beta2 * g * g;
        m[i] = m_t;
        v[i] = v_t;
        T v_prime = v_t;
        if constexpr (Amsgrad) v_prime = v_max[i] = maximum(v_max[i], v_t);
        const T denom = std::sqrt(v_prime) / sqrt_bias_correction2 + eps;  // sqrt(v_hat_t) + eps
        theta[i] = theta[i] + minus_step_size * m_t / denom;  // = theta - alpha m_hat_t / denom
    }
}

}  // namespace

void check_adam_options(const AdamOptions& o, const std::string& name) {
    // Written as PyTorch's `not 0.0 <= x`, so that NaN is rejected too.
    check(0.0 <= o.lr, "{}: Invalid learning rate: {}", name, o.lr);
    check(0.0 <= o.eps, "{}: Invalid epsilon value: {}", name, o.eps);
    check(0.0 <= o.betas[0] && o.betas[0] < 1.0, "{}: Invalid beta parameter at index 0: {}", name,
          o.betas[0]);
    check(0.0 <= o.betas[1] && o.betas[1] < 1.0, "{}: Invalid beta parameter at index 1: {}", name,
          o.betas[1]);
    check(0.0 <= o.weight_decay, "{}: Invalid weight_decay value: {}", name, o.weight_decay);
}

void adam_step(const Tensor& param, const Tensor& grad, AdamState& state, double lr,
               const AdamOptions& o, WeightDecay weight_decay, const std::string& name) {
    if (!state.exp_avg.defined()) {  // m_0 = v_0 = 0
        state.exp_avg = zeros(param.shape(), param.dtype());
        state.exp_avg_sq = zeros(param.shape(), param.dtype());
    }
    if (o.amsgrad && !state.max_exp_avg_sq.defined()) {
        state.max_exp_avg_sq = zeros(param.shape(), param.dtype());
    }
    update_parameter(
        param, grad, name + ".step", [&]<class T>(T* theta, const T* g, std::int64_t n) {
            state.step += 1;
            T* v_max = o.amsgrad ? state.max_exp_avg_sq.data_ptr<T>() : nullptr;
            const bool decoupled = weight_decay == WeightDecay::decoupled;
            with_constants(
                [&](auto maximize, auto decouple, auto l2_penalty, auto amsgrad) {
                    adam_elements<T, maximize, decouple, l2_penalty, amsgrad>(
                        theta, g, state.exp_avg.data_ptr<T>(), state.exp_avg_sq.data_ptr<T>(),
                        v_max, n, o, lr, state.step);
                },
                o.maximize, decoupled, !decoupled && o.weight_decay != 0, o.amsgrad);
        });
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
            detail::adam_step(param, grad, state_of(param), param_groups()[g].lr, options_[g],
                              detail::WeightDecay::l2_penalty, name());
        }
    }
}

void Adam::validate(const AdamOptions& options) const {
    detail::check_adam_options(options, name());
}

}  // namespace lucid::optim
