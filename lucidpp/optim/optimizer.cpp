#include "lucidpp/optim/optimizer.hpp"

#include <unordered_set>

#include "lucidpp/autograd/grad_mode.hpp"
#include "lucidpp/tensor/error.hpp"

namespace lucid::optim {

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
        check_option(
            param.is_floating_point(),
            fmt::format("can only optimize floating point Tensors, got {}", param.dtype()));
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

}  // namespace lucid::optim
