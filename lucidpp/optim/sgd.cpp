#include "lucidpp/optim/sgd.hpp"

#include "lucidpp/autograd/grad_mode.hpp"
#include "lucidpp/optim/param_update.hpp"
#include "lucidpp/tensor/creation.hpp"

namespace lucid::optim {

namespace {

// One SGD step of n elements (see sgd.hpp); `First` says that the momentum buffer is new.
//
// Sutskever et al. (2013), "On the importance of initialization and momentum in deep learning",
// eqs. 1-4, keep a velocity v that holds the step itself:
//   momentum:  v_{t+1} = mu v_t - gamma grad f(theta_t),           theta_{t+1} = theta_t + v_{t+1}
//   Nesterov:  v_{t+1} = mu v_t - gamma grad f(theta_t + mu v_t),  theta_{t+1} = theta_t + v_{t+1}
// PyTorch's buffer b holds gradients instead, v = -gamma b, so the lr multiplies the whole buffer
// at each step: the same steps while the lr is constant, but a new lr acts at once instead of
// entering v one gradient at a time. For Nesterov, PyTorch's theta is the paper's look-ahead
// point phi = theta + mu v, where the gradient is taken; written in phi and b, the paper's step is
//   b_{t+1} = mu b_t + grad f(phi_t),   phi_{t+1} = phi_t - gamma (grad f(phi_t) + mu b_{t+1}),
// the `g + mu b_t` below. Dampening (b gets (1 - tau) g) is PyTorch's, and the first buffer
// skips it: b_1 = g, the paper's b_1 = mu b_0 + g with b_0 = 0.
//
// One instance per combination of options (with_constants): no branch in the loop, which the
// compiler vectorises.
template <class T, bool Maximize, bool Decay, bool Momentum, bool First, bool Nesterov>
void sgd_elements(T* __restrict theta, const T* __restrict grad, T* __restrict b, std::int64_t n,
                  double lr, const SGDOptions& o) {
    const T lambda = static_cast<T>(o.weight_decay);
    const T mu = static_cast<T>(o.momentum);
    const T one_minus_dampening = static_cast<T>(1.0 - o.dampening);
    const T minus_lr = static_cast<T>(-lr);
    for (std::int64_t i = 0; i < n; ++i) {
        T g = Maximize ? -grad[i] : grad[i];
        if constexpr (Decay) g = g + lambda * theta[i];
        if constexpr (Momentum) {
            const T b_t = First ? g : b[i] * mu + one_minus_dampening * g;
            b[i] = b_t;
            g = Nesterov ? g + mu * b_t : b_t;
        }
        theta[i] = theta[i] + minus_lr * g;
    }
}

}  // namespace

SGD::SGD(std::vector<Tensor> params, const SGDOptions& options) {
    add_param_group(std::move(params), options);
}

void SGD::step() {
    NoGradGuard no_grad;
    for (std::size_t g = 0; g < param_groups().size(); ++g) {
        const SGDOptions& o = options_[g];
        const double lr = param_groups()[g].lr;
        for (const Tensor& param : param_groups()[g].params) {
            const Tensor grad = param.grad();
            if (!grad.defined()) continue;
            SGDState& state = state_of(param);
            const bool first = o.momentum != 0 && !state.momentum_buffer.defined();
            if (first) state.momentum_buffer = zeros(param.shape(), param.dtype());
            update_parameter(
                param, grad, "SGD.step", [&]<class T>(T* theta, const T* gradient, std::int64_t n) {
                    T* b = o.momentum != 0 ? state.momentum_buffer.data_ptr<T>() : nullptr;
                    with_constants(
                        [&](auto maximize, auto decay, auto momentum, auto is_first,
                            auto nesterov) {
                            sgd_elements<T, maximize, decay, momentum, is_first, nesterov>(
                                theta, gradient, b, n, lr, o);
                        },
                        o.maximize, o.weight_decay != 0, o.momentum != 0, first, o.nesterov);
                });
        }
    }
}

void SGD::validate(const SGDOptions& o) const {
    check_option(!(o.lr < 0.0), fmt::format("Invalid learning rate: {}", o.lr));
    check_option(!(o.momentum < 0.0), fmt::format("Invalid momentum value: {}", o.momentum));
    check_option(!(o.weight_decay < 0.0),
                 fmt::format("Invalid weight_decay value: {}", o.weight_decay));
    check_option(!o.nesterov || (o.momentum > 0 && o.dampening == 0),
                 "Nesterov momentum requires a momentum and zero dampening");
}

}  // namespace lucid::optim
