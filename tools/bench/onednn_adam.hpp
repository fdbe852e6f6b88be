#pragma once
// Adam for onednn-bench (Kingma & Ba 2015, Algorithm 1) with PyTorch's defaults (lr 1e-3, betas
// 0.9 and 0.999, eps 1e-8, no weight decay) and PyTorch's arrangement of the bias corrections:
//   m = beta1 m + (1 - beta1) g,  v = beta2 v + (1 - beta2) g^2,
//   theta -= lr / (1 - beta1^t) * m / (sqrt(v) / sqrt(1 - beta2^t) + eps).
// One flat loop per parameter, vectorised by the compiler (built with -fno-math-errno, so sqrt is
// an instruction), so that the update does not weigh on the tiny config more than it must.
#include <cmath>
#include <cstddef>
#include <vector>

#include "onednn_layer.hpp"

namespace bench::onednn {

class Adam {
public:
    explicit Adam(std::vector<ParameterView> parameters, float lr = 1e-3f)
        : parameters_(std::move(parameters)), lr_(lr) {
        for (const ParameterView& p : parameters_) {
            m_.emplace_back(p.size, 0.0f);
            v_.emplace_back(p.size, 0.0f);
        }
    }

    void step() {
        ++t_;
        const float step_size = lr_ / (1.0f - std::pow(beta1_, static_cast<float>(t_)));
        const float sqrt_bias_correction2 =
            std::sqrt(1.0f - std::pow(beta2_, static_cast<float>(t_)));
        for (std::size_t k = 0; k < parameters_.size(); ++k)
            update(parameters_[k], m_[k].data(), v_[k].data(), step_size, sqrt_bias_correction2);
    }

private:
    void update(const ParameterView& p, float* __restrict m, float* __restrict v, float step_size,
                float sqrt_bias_correction2) const {
        float* __restrict theta = p.value;
        const float* __restrict g = p.grad;
        for (std::size_t i = 0; i < p.size; ++i) {
            m[i] = beta1_ * m[i] + (1.0f - beta1_) * g[i];
            v[i] = beta2_ * v[i] + (1.0f - beta2_) * g[i] * g[i];
            theta[i] -= step_size * m[i] / (std::sqrt(v[i]) / sqrt_bias_correction2 + eps_);
        }
    }

    std::vector<ParameterView> parameters_;
    std::vector<std::vector<float>> m_, v_;
    float lr_, beta1_ = 0.9f, beta2_ = 0.999f, eps_ = 1e-8f;
    long t_ = 0;
};

}  // namespace bench::onednn
