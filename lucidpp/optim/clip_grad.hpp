#pragma once
// Gradient clipping, as torch.nn.utils.clip_grad_norm_ and clip_grad_value_. Both change the
// parameters' .grad in place and skip parameters without a gradient.
#include <limits>
#include <vector>

#include "lucidpp/tensor/tensor.hpp"

namespace lucid::optim {

inline constexpr double inf = std::numeric_limits<double>::infinity();

// Scales all gradients by one factor so that their joint norm (the norm of all of them
// concatenated into one vector) is at most max_norm:
//   total = || (||g_1||_p, ..., ||g_k||_p) ||_p        (max |g| when p is inf)
//   g_i  <- g_i * min(max_norm / (total + 1e-6), 1)
// This is Pascanu, Mikolov and Bengio (2013), "On the difficulty of training recurrent neural
// networks", Algorithm 1 (if ||g|| >= threshold, g <- threshold g / ||g||), with PyTorch's 1e-6
// against a zero norm, so a clipped norm lands just under max_norm.
// norm_type p may be inf, -inf (the smallest |g|) or 0 (the count of non-zeros). Returns the
// total norm before clipping, as a double (PyTorch returns a 0-d tensor of the grads' dtype);
// the norm is accumulated in float64 whatever the gradients' dtype. With error_if_nonfinite a
// NaN or infinite total throws and leaves the gradients unchanged. No gradients: returns 0.
double clip_grad_norm_(const std::vector<Tensor>& parameters, double max_norm,
                       double norm_type = 2.0, bool error_if_nonfinite = false);

// The two halves of clip_grad_norm_, as torch.nn.utils.get_total_norm and
// clip_grads_with_norm_, for a loop that wants to look at the norm before clipping (the Trainer
// refuses a non-finite one). get_total_norm takes the tensors themselves (e.g. the gradients);
// clip_grads_with_norm_ scales the parameters' gradients by min(max_norm / (total_norm + 1e-6), 1).
double get_total_norm(const std::vector<Tensor>& tensors, double norm_type = 2.0,
                      bool error_if_nonfinite = false);
void clip_grads_with_norm_(const std::vector<Tensor>& parameters, double max_norm,
                           double total_norm);

// Clamps every gradient element into [-clip_value, clip_value].
void clip_grad_value_(const std::vector<Tensor>& parameters, double clip_value);

}  // namespace lucid::optim
