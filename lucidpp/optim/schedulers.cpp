#include "lucidpp/optim/schedulers.hpp"

#include <nlohmann/json.hpp>

#include <cmath>
#include <numbers>

#include "lucidpp/optim/state_json.hpp"
#include "lucidpp/tensor/error.hpp"

namespace lucid::optim {

using nlohmann::json;

namespace {

constexpr double pi = std::numbers::pi;

// lr_of(g) for every group g.
template <class Fn>
std::vector<double> per_group(std::size_t groups, Fn&& lr_of) {
    std::vector<double> lrs;
    for (std::size_t g = 0; g < groups; ++g) lrs.push_back(lr_of(g));
    return lrs;
}

void check_step_size(std::int64_t step_size) {
    check(step_size > 0, "StepLR: step_size must be positive, got {}", step_size);
}

void check_T_max(std::int64_t T_max) {
    check(T_max > 0, "CosineAnnealingLR: T_max must be positive, got {}", T_max);
}

void check_linear(double start_factor, double end_factor, std::int64_t total_iters) {
    check(start_factor > 0 && start_factor <= 1.0,
          "LinearLR: Starting multiplicative factor expected to be greater than 0 and less or "
          "equal to 1, got {}",
          start_factor);
    check(end_factor >= 0 && end_factor <= 1.0,
          "LinearLR: Ending multiplicative factor expected to be between 0 and 1, got {}",
          end_factor);
    check(total_iters >= 0, "LinearLR: total_iters must be non-negative, got {}", total_iters);
}

double number_at(const json& state, const char* key, const std::string& where) {
    return number_from_json(field(state, key, where), fmt::format("{}: {}", where, key));
}

std::int64_t integer_at(const json& state, const char* key, const std::string& where) {
    return integer_from_json(field(state, key, where), fmt::format("{}: {}", where, key));
}

}  // namespace

// ---- StepLR ----------------------------------------------------------------------------------

StepLR::StepLR(Optimizer& optimizer, std::int64_t step_size, double gamma)
    : LRScheduler(optimizer), step_size_(step_size), gamma_(gamma) {
    check_step_size(step_size);
    initial_step();
}

std::vector<double> StepLR::get_lr() const {
    const bool decay = last_epoch() != 0 && last_epoch() % step_size_ == 0;
    return per_group(num_groups(),
                     [&](std::size_t g) { return decay ? group_lr(g) * gamma_ : group_lr(g); });
}

json StepLR::options_to_json() const {
    return {{"step_size", step_size_}, {"gamma", number_to_json(gamma_)}};
}

void StepLR::load_options(const json& state, const std::string& where) {
    const std::int64_t step_size = integer_at(state, "step_size", where);
    const double gamma = number_at(state, "gamma", where);
    check_step_size(step_size);
    step_size_ = step_size;
    gamma_ = gamma;
}

// ---- MultiStepLR -----------------------------------------------------------------------------

namespace {

std::map<std::int64_t, std::int64_t> count_milestones(const std::vector<std::int64_t>& milestones) {
    std::map<std::int64_t, std::int64_t> counts;
    for (std::int64_t milestone : milestones) ++counts[milestone];
    return counts;
}

}  // namespace

MultiStepLR::MultiStepLR(Optimizer& optimizer, const std::vector<std::int64_t>& milestones,
                         double gamma)
    : LRScheduler(optimizer), milestones_(count_milestones(milestones)), gamma_(gamma) {
    initial_step();
}

std::vector<double> MultiStepLR::get_lr() const {
    auto found = milestones_.find(last_epoch());
    const double factor =
        found == milestones_.end() ? 1.0 : std::pow(gamma_, static_cast<double>(found->second));
    return per_group(num_groups(), [&](std::size_t g) {
        return found == milestones_.end() ? group_lr(g) : group_lr(g) * factor;
    });
}

json MultiStepLR::options_to_json() const {
    json milestones = json::array();  // sorted, each repeated as often as it was given
    for (const auto& [epoch, count] : milestones_) {
        for (std::int64_t i = 0; i < count; ++i) milestones.push_back(epoch);
    }
    return {{"milestones", std::move(milestones)}, {"gamma", number_to_json(gamma_)}};
}

void MultiStepLR::load_options(const json& state, const std::string& where) {
    const json& list = field(state, "milestones", where);
    check(list.is_array(), "{}: milestones: expected a list of epochs, got {}", where,
          shown_json(list));
    std::vector<std::int64_t> milestones;
    for (const json& epoch : list) {
        milestones.push_back(integer_from_json(epoch, where + ": milestones"));
    }
    const double gamma = number_at(state, "gamma", where);
    milestones_ = count_milestones(milestones);
    gamma_ = gamma;
}

// ---- ExponentialLR ---------------------------------------------------------------------------

ExponentialLR::ExponentialLR(Optimizer& optimizer, double gamma)
    : LRScheduler(optimizer), gamma_(gamma) {
    initial_step();
}

std::vector<double> ExponentialLR::get_lr() const {
    return per_group(num_groups(), [&](std::size_t g) {
        return last_epoch() == 0 ? group_lr(g) : group_lr(g) * gamma_;
    });
}

json ExponentialLR::options_to_json() const {
    return {{"gamma", number_to_json(gamma_)}};
}

void ExponentialLR::load_options(const json& state, const std::string& where) {
    gamma_ = number_at(state, "gamma", where);
}

// ---- CosineAnnealingLR -----------------------------------------------------------------------

CosineAnnealingLR::CosineAnnealingLR(Optimizer& optimizer, std::int64_t T_max, double eta_min)
    : LRScheduler(optimizer), T_max_(T_max), eta_min_(eta_min) {
    check_T_max(T_max);
    initial_step();
}

std::vector<double> CosineAnnealingLR::get_lr() const {
    const std::int64_t t = last_epoch();
    const auto T = static_cast<double>(T_max_);
    return per_group(num_groups(), [&](std::size_t g) {
        if (t == 0) return group_lr(g);
        if ((t - 1 - T_max_) % (2 * T_max_) == 0) {
            return group_lr(g) + (base_lrs()[g] - eta_min_) * (1 - std::cos(pi / T)) / 2;
        }
        return (1 + std::cos(pi * static_cast<double>(t) / T)) /
                   (1 + std::cos(pi * static_cast<double>(t - 1) / T)) * (group_lr(g) - eta_min_) +
               eta_min_;
    });
}

json CosineAnnealingLR::options_to_json() const {
    return {{"T_max", T_max_}, {"eta_min", number_to_json(eta_min_)}};
}

void CosineAnnealingLR::load_options(const json& state, const std::string& where) {
    const std::int64_t T_max = integer_at(state, "T_max", where);
    const double eta_min = number_at(state, "eta_min", where);
    check_T_max(T_max);
    T_max_ = T_max;
    eta_min_ = eta_min;
}

// ---- LinearLR --------------------------------------------------------------------------------

LinearLR::LinearLR(Optimizer& optimizer, double start_factor, double end_factor,
                   std::int64_t total_iters)
    : LRScheduler(optimizer),
      start_factor_(start_factor),
      end_factor_(end_factor),
      total_iters_(total_iters) {
    check_linear(start_factor, end_factor, total_iters);
    initial_step();
}

std::vector<double> LinearLR::get_lr() const {
    const std::int64_t t = last_epoch();
    const double s = start_factor_, e = end_factor_;
    return per_group(num_groups(), [&](std::size_t g) {
        if (t == 0) return group_lr(g) * s;
        if (t > total_iters_) return group_lr(g);
        return group_lr(g) * (1. + (e - s) / (static_cast<double>(total_iters_) * s +
                                              static_cast<double>(t - 1) * (e - s)));
    });
}

json LinearLR::options_to_json() const {
    return {{"start_factor", number_to_json(start_factor_)},
            {"end_factor", number_to_json(end_factor_)},
            {"total_iters", total_iters_}};
}

void LinearLR::load_options(const json& state, const std::string& where) {
    const double start_factor = number_at(state, "start_factor", where);
    const double end_factor = number_at(state, "end_factor", where);
    const std::int64_t total_iters = integer_at(state, "total_iters", where);
    check_linear(start_factor, end_factor, total_iters);
    start_factor_ = start_factor;
    end_factor_ = end_factor;
    total_iters_ = total_iters;
}

}  // namespace lucid::optim
