#include "lucidpp/optim/sgd.hpp"

#include "lucidpp/autograd/grad_mode.hpp"
#include "lucidpp/optim/param_update.hpp"
#include "lucidpp/optim/state_json.hpp"
#include "lucidpp/tensor/creation.hpp"

namespace lucid::optim {

using nlohmann::json;

SGD::SGD(std::vector<Tensor> params, const SGDOptions& options) {
    add_param_group(std::move(params), options);
}

void SGD::validate(const SGDOptions& o) const {
    check_option(!(o.lr < 0.0), fmt::format("Invalid learning rate: {}", o.lr));
    check_option(!(o.momentum < 0.0), fmt::format("Invalid momentum value: {}", o.momentum));
    check_option(!(o.weight_decay < 0.0),
                 fmt::format("Invalid weight_decay value: {}", o.weight_decay));
    check_option(!o.nesterov || (o.momentum > 0 && o.dampening == 0),
                 "Nesterov momentum requires a momentum and zero dampening");
}

namespace {

// One SGD step of n elements; `first` says that the momentum buffer is new (b_1 = g).
template <class T>
void sgd_update(T* theta, const T* grad, T* buffer, bool first, std::int64_t n, double lr,
                const SGDOptions& o) {
    const T weight_decay = static_cast<T>(o.weight_decay);
    const T momentum = static_cast<T>(o.momentum);
    const T one_minus_dampening = static_cast<T>(1.0 - o.dampening);
    const T minus_lr = static_cast<T>(-lr);
    for (std::int64_t i = 0; i < n; ++i) {
        T g = o.maximize ? -grad[i] : grad[i];
        if (o.weight_decay != 0) g = g + weight_decay * theta[i];
        if (o.momentum != 0) {
            buffer[i] = first ? g : buffer[i] * momentum + one_minus_dampening * g;
            g = o.nesterov ? g + momentum * buffer[i] : buffer[i];
        }
        theta[i] = theta[i] + minus_lr * g;
    }
}

}  // namespace

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
            update_parameter(param, grad, "SGD.step", [&]<class T>(T* theta, const T* gradient,
                                                                 std::int64_t n) {
                T* buffer = o.momentum != 0 ? state.momentum_buffer.data_ptr<T>() : nullptr;
                sgd_update(theta, gradient, buffer, first, n, lr, o);
            });
        }
    }
}

json SGD::options_to_json(const SGDOptions& o) const {
    return {{"lr", number_to_json(o.lr)},
            {"momentum", number_to_json(o.momentum)},
            {"dampening", number_to_json(o.dampening)},
            {"weight_decay", number_to_json(o.weight_decay)},
            {"nesterov", o.nesterov},
            {"maximize", o.maximize}};
}

SGDOptions SGD::options_from_json(const json& j, const std::string& where) const {
    auto number = [&](const char* key) {
        return number_from_json(field(j, key, where), fmt::format("{}.{}", where, key));
    };
    auto flag = [&](const char* key) {
        return bool_from_json(field(j, key, where), fmt::format("{}.{}", where, key));
    };
    return {.lr = number("lr"),
            .momentum = number("momentum"),
            .dampening = number("dampening"),
            .weight_decay = number("weight_decay"),
            .nesterov = flag("nesterov"),
            .maximize = flag("maximize")};
}

json SGD::state_to_json(const SGDState& state) const {
    return {{"momentum_buffer",
             state.momentum_buffer.defined() ? tensor_to_json(state.momentum_buffer) : json()}};
}

SGDState SGD::state_from_json(const json& j, const Tensor& param, const std::string& where) const {
    const json& buffer = field(j, "momentum_buffer", where);
    if (buffer.is_null()) return {};
    return {tensor_from_json(buffer, param, where + ".momentum_buffer")};
}

}  // namespace lucid::optim
