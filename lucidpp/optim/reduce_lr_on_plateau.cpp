#include "lucidpp/optim/reduce_lr_on_plateau.hpp"

#include <nlohmann/json.hpp>

#include <algorithm>
#include <limits>

#include "lucidpp/optim/state_json.hpp"
#include "lucidpp/tensor/error.hpp"

namespace lucid::optim {

using nlohmann::json;

namespace {

// Checks the options and fills min_lrs (one per group) from min_lr when it is empty.
ReduceLROnPlateauOptions checked(ReduceLROnPlateauOptions options, std::size_t groups) {
    check(options.factor < 1.0, "ReduceLROnPlateau: Factor should be < 1.0.");
    check(options.mode == "min" || options.mode == "max", "ReduceLROnPlateau: mode {} is unknown!",
          options.mode);
    check(options.threshold_mode == "rel" || options.threshold_mode == "abs",
          "ReduceLROnPlateau: threshold mode {} is unknown!", options.threshold_mode);
    check(options.patience >= 0, "ReduceLROnPlateau: patience must be non-negative, got {}",
          options.patience);
    check(options.cooldown >= 0, "ReduceLROnPlateau: cooldown must be non-negative, got {}",
          options.cooldown);
    if (options.min_lrs.empty()) options.min_lrs.assign(groups, options.min_lr);
    check(options.min_lrs.size() == groups, "ReduceLROnPlateau: expected {} min_lrs, got {}",
          groups, options.min_lrs.size());
    return options;
}

// The worst value for the mode, which every metric beats: where `best` starts.
double mode_worse(const std::string& mode) {
    const double infinity = std::numeric_limits<double>::infinity();
    return mode == "min" ? infinity : -infinity;
}

std::vector<double> group_lrs(const Optimizer& optimizer) {
    std::vector<double> lrs;
    for (const ParamGroup& group : optimizer.param_groups()) lrs.push_back(group.lr);
    return lrs;
}

}  // namespace

ReduceLROnPlateau::ReduceLROnPlateau(Optimizer& optimizer, const ReduceLROnPlateauOptions& options)
    : optimizer_(optimizer),
      options_(checked(options, optimizer.param_groups().size())),
      best_(mode_worse(options_.mode)),
      last_lr_(group_lrs(optimizer)) {}

bool ReduceLROnPlateau::is_better(double metric) const {
    const double threshold = options_.threshold;
    if (options_.mode == "min") {
        return options_.threshold_mode == "rel" ? metric < best_ * (1. - threshold)
                                                : metric < best_ - threshold;
    }
    return options_.threshold_mode == "rel" ? metric > best_ * (threshold + 1.)
                                            : metric > best_ + threshold;
}

void ReduceLROnPlateau::step(double metric) {
    check(options_.min_lrs.size() == optimizer_.param_groups().size(),
          "ReduceLROnPlateau: the optimizer has {} parameter groups, but the scheduler was made "
          "for {}",
          optimizer_.param_groups().size(), options_.min_lrs.size());
    last_epoch_ += 1;
    if (is_better(metric)) {
        best_ = metric;
        num_bad_epochs_ = 0;
    } else {
        num_bad_epochs_ += 1;
    }
    if (in_cooldown()) {
        cooldown_counter_ -= 1;
        num_bad_epochs_ = 0;  // bad epochs in cooldown do not count
    }
    if (num_bad_epochs_ > options_.patience) {
        reduce_lr();
        cooldown_counter_ = options_.cooldown;
        num_bad_epochs_ = 0;
    }
    last_lr_ = group_lrs(optimizer_);
}

void ReduceLROnPlateau::reduce_lr() {
    for (std::size_t g = 0; g < optimizer_.param_groups().size(); ++g) {
        double& lr = optimizer_.param_groups()[g].lr;
        const double new_lr = std::max(lr * options_.factor, options_.min_lrs[g]);
        if (lr - new_lr > options_.eps) lr = new_lr;
    }
}

json ReduceLROnPlateau::state_dict() const {
    json min_lrs = json::array();
    for (double min_lr : options_.min_lrs) min_lrs.push_back(number_to_json(min_lr));
    json last_lr = json::array();
    for (double lr : last_lr_) last_lr.push_back(number_to_json(lr));
    return {{"mode", options_.mode},
            {"factor", number_to_json(options_.factor)},
            {"patience", options_.patience},
            {"threshold", number_to_json(options_.threshold)},
            {"threshold_mode", options_.threshold_mode},
            {"cooldown", options_.cooldown},
            {"min_lrs", std::move(min_lrs)},
            {"eps", number_to_json(options_.eps)},
            {"best", number_to_json(best_)},
            {"num_bad_epochs", num_bad_epochs_},
            {"cooldown_counter", cooldown_counter_},
            {"last_epoch", last_epoch_},
            {"_last_lr", std::move(last_lr)}};
}

void ReduceLROnPlateau::load_state_dict(const json& state) {
    const std::string where = "ReduceLROnPlateau.load_state_dict";
    auto at = [&](const char* key) { return fmt::format("{}: {}", where, key); };
    auto number = [&](const char* key) {
        return number_from_json(field(state, key, where), at(key));
    };
    auto integer = [&](const char* key) {
        return integer_from_json(field(state, key, where), at(key));
    };
    auto numbers = [&](const char* key) {
        const json& list = field(state, key, where);
        check(list.is_array(), "{}: expected a list of numbers, got {}", at(key), shown_json(list));
        std::vector<double> values;
        for (const json& value : list) values.push_back(number_from_json(value, at(key)));
        return values;
    };
    ReduceLROnPlateauOptions options{
        .mode = string_from_json(field(state, "mode", where), at("mode")),
        .factor = number("factor"),
        .patience = integer("patience"),
        .threshold = number("threshold"),
        .threshold_mode =
            string_from_json(field(state, "threshold_mode", where), at("threshold_mode")),
        .cooldown = integer("cooldown"),
        .min_lr = 0.0,
        .min_lrs = numbers("min_lrs"),
        .eps = number("eps"),
    };
    check(!options.min_lrs.empty(), "{}: min_lrs: expected one per group", where);
    options = checked(std::move(options), optimizer_.param_groups().size());
    const double best = number("best");
    const std::int64_t num_bad_epochs = integer("num_bad_epochs");
    const std::int64_t cooldown_counter = integer("cooldown_counter");
    const std::int64_t last_epoch = integer("last_epoch");
    std::vector<double> last_lr = numbers("_last_lr");
    check(last_lr.size() == optimizer_.param_groups().size(),
          "{}: _last_lr: expected {} numbers, got {}", where, optimizer_.param_groups().size(),
          last_lr.size());

    options_ = std::move(options);
    best_ = best;
    num_bad_epochs_ = num_bad_epochs;
    cooldown_counter_ = cooldown_counter;
    last_epoch_ = last_epoch;
    last_lr_ = std::move(last_lr);
}

}  // namespace lucid::optim
