#pragma once
// The epoch-based learning rate schedulers, as torch.optim.lr_scheduler (PyTorch 1.13). Each
// computes epoch t's lr from the group's lr at epoch t-1 (see lr_scheduler.hpp); the closed form
// each one follows when nothing else touches the lr is given with it. eta_0 is the group's
// initial lr (base_lrs()).
#include <cstdint>
#include <map>
#include <vector>

#include "lucidpp/optim/lr_scheduler.hpp"

namespace lucid::optim {

// Multiplies the lr by gamma every step_size epochs: eta_t = eta_0 gamma^floor(t / step_size).
class StepLR : public LRScheduler {
public:
    StepLR(Optimizer& optimizer, std::int64_t step_size, double gamma = 0.1);
    std::string name() const override { return "StepLR"; }

private:
    std::vector<double> get_lr() const override;
    nlohmann::json options_to_json() const override;
    void load_options(const nlohmann::json& state_dict, const std::string& where) override;

    std::int64_t step_size_;
    double gamma_;
};

// Multiplies the lr by gamma at each milestone epoch (by gamma^k for a milestone listed k times):
// eta_t = eta_0 gamma^(number of milestones <= t).
class MultiStepLR : public LRScheduler {
public:
    MultiStepLR(Optimizer& optimizer, const std::vector<std::int64_t>& milestones,
                double gamma = 0.1);
    std::string name() const override { return "MultiStepLR"; }

private:
    std::vector<double> get_lr() const override;
    nlohmann::json options_to_json() const override;
    void load_options(const nlohmann::json& state_dict, const std::string& where) override;

    std::map<std::int64_t, std::int64_t> milestones_;  // epoch -> how often it is listed
    double gamma_;
};

// Multiplies the lr by gamma every epoch: eta_t = eta_0 gamma^t.
class ExponentialLR : public LRScheduler {
public:
    ExponentialLR(Optimizer& optimizer, double gamma);
    std::string name() const override { return "ExponentialLR"; }

private:
    std::vector<double> get_lr() const override;
    nlohmann::json options_to_json() const override;
    void load_options(const nlohmann::json& state_dict, const std::string& where) override;

    double gamma_;
};

// Cosine annealing from eta_0 down to eta_min over T_max epochs: Loshchilov and Hutter (2017),
// "SGDR: Stochastic Gradient Descent with Warm Restarts", eq. 5, without the restarts:
//   eta_t = eta_min + (eta_0 - eta_min) (1 + cos(pi t / T_max)) / 2
// computed as PyTorch does, recursively:
//   eta_t = eta_min + (eta_{t-1} - eta_min) (1 + cos(pi t / T_max)) / (1 + cos(pi (t-1) / T_max))
// except where the denominator vanishes (t - 1 = T_max, 3 T_max, ...), where
//   eta_t = eta_{t-1} + (eta_0 - eta_min) (1 - cos(pi / T_max)) / 2.
// Past T_max the lr climbs back up along the same cosine.
class CosineAnnealingLR : public LRScheduler {
public:
    CosineAnnealingLR(Optimizer& optimizer, std::int64_t T_max, double eta_min = 0.0);
    std::string name() const override { return "CosineAnnealingLR"; }

private:
    std::vector<double> get_lr() const override;
    nlohmann::json options_to_json() const override;
    void load_options(const nlohmann::json& state_dict, const std::string& where) override;

    std::int64_t T_max_;
    double eta_min_;
};

// Scales the lr by a factor that goes linearly from start_factor (epoch 0) to end_factor
// (epoch total_iters) and stays there; from start_factor < 1 up to 1 it is the gradual warm-up
// of Goyal et al. (2017), "Accurate, Large Minibatch SGD: Training ImageNet in 1 Hour":
//   eta_t = eta_0 (s + (e - s) min(t, total_iters) / total_iters)
// computed recursively as PyTorch does:
//   eta_t = eta_{t-1} (1 + (e - s) / (total_iters s + (t - 1) (e - s)))  for 1 <= t <= total_iters.
class LinearLR : public LRScheduler {
public:
    LinearLR(Optimizer& optimizer, double start_factor = 1.0 / 3, double end_factor = 1.0,
             std::int64_t total_iters = 5);
    std::string name() const override { return "LinearLR"; }

private:
    std::vector<double> get_lr() const override;
    nlohmann::json options_to_json() const override;
    void load_options(const nlohmann::json& state_dict, const std::string& where) override;

    double start_factor_;
    double end_factor_;
    std::int64_t total_iters_;
};

}  // namespace lucid::optim
