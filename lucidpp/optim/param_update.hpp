#pragma once
// How an optimizer writes into a parameter: one plain loop over contiguous buffers, written
// like the update formula, with no temporaries (PyTorch's fused addcmul_/addcdiv_ round the
// same way: each element's expression is evaluated left to right in the parameter's dtype).
// Included by the optimizers' .cpp files only.
#include <string_view>
#include <type_traits>

#include "lucidpp/tensor/dtype.hpp"
#include "lucidpp/tensor/error.hpp"
#include "lucidpp/tensor/tensor.hpp"

namespace lucid::optim {

// Calls fn.template operator()<T>(param_data, grad_data, n) with T the parameter's C++ type and
// both buffers contiguous; the result lands in `param` in place (a non-contiguous parameter is
// updated through a contiguous copy). Bumps the parameter's version, as any in-place write.
template <class Fn>
void update_parameter(const Tensor& param, const Tensor& grad, std::string_view op, Fn&& fn) {
    check(grad.shape() == param.shape() && grad.dtype() == param.dtype(),
          "{}: gradient of shape {} and dtype {} for a parameter of shape {} and dtype {}", op,
          grad.shape(), grad.dtype(), param.shape(), param.dtype());
    const Tensor dense_grad = grad.contiguous();
    const Tensor target = param.is_contiguous() ? param : param.contiguous();
    dispatch_floating(param.dtype(), op, [&]<class T>() {
        fn.template operator()<T>(target.data_ptr<T>(), dense_grad.data_ptr<T>(), param.numel());
    });
    if (target.is_same(param)) {
        param.impl().storage->bump_version();
    } else {
        Tensor(param).copy_(target);
    }
}

// Calls fn(std::bool_constant<flag>...) with the run-time flags as compile-time constants, so
// that an update loop gets one instance per combination of options: no branch on an option in
// the loop, which the compiler then vectorises.
template <class Fn>
void with_constants(Fn&& fn) {
    fn();
}
template <class Fn, class... Flags>
void with_constants(Fn&& fn, bool flag, Flags... flags) {
    if (flag) {
        with_constants([&](auto... c) { fn(std::true_type{}, c...); }, flags...);
    } else {
        with_constants([&](auto... c) { fn(std::false_type{}, c...); }, flags...);
    }
}

}  // namespace lucid::optim
