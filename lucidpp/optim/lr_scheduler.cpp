#include "lucidpp/optim/lr_scheduler.hpp"

#include <nlohmann/json.hpp>

#include "lucidpp/optim/state_json.hpp"
#include "lucidpp/tensor/error.hpp"

namespace lucid::optim {

using nlohmann::json;

LRScheduler::LRScheduler(Optimizer& optimizer) : optimizer_(optimizer) {
    for (ParamGroup& group : optimizer_.param_groups()) {
        if (!group.initial_lr) group.initial_lr = group.lr;
        base_lrs_.push_back(*group.initial_lr);
    }
}

void LRScheduler::step() {
    check(base_lrs_.size() == num_groups(),
          "{}: the optimizer has {} parameter groups, but the scheduler was made for {}", name(),
          num_groups(), base_lrs_.size());
    ++step_count_;
    ++last_epoch_;
    const std::vector<double> lrs = get_lr();
    for (std::size_t g = 0; g < num_groups(); ++g) optimizer_.param_groups()[g].lr = lrs[g];
    last_lr_ = lrs;
}

namespace {

json numbers_to_json(const std::vector<double>& values) {
    json out = json::array();
    for (double value : values) out.push_back(number_to_json(value));
    return out;
}

std::vector<double> numbers_from_json(const json& value, std::size_t count,
                                      const std::string& where) {
    check(value.is_array() && value.size() == count, "{}: expected a list of {} numbers, got {}",
          where, count, shown_json(value));
    std::vector<double> out;
    for (const json& element : value) out.push_back(number_from_json(element, where));
    return out;
}

}  // namespace

json LRScheduler::state_dict() const {
    json out = options_to_json();
    out["base_lrs"] = numbers_to_json(base_lrs_);
    out["last_epoch"] = last_epoch_;
    out["_step_count"] = step_count_;
    out["_last_lr"] = numbers_to_json(last_lr_);
    return out;
}

void LRScheduler::load_state_dict(const json& state_dict) {
    const std::string where = name() + ".load_state_dict";
    check(state_dict.is_object(), "{}: expected an object, got {}", where, shown_json(state_dict));
    auto at = [&](const char* key) { return fmt::format("{}: {}", where, key); };
    std::vector<double> base_lrs =
        numbers_from_json(field(state_dict, "base_lrs", where), num_groups(), at("base_lrs"));
    std::vector<double> last_lr =
        numbers_from_json(field(state_dict, "_last_lr", where), num_groups(), at("_last_lr"));
    const std::int64_t last_epoch =
        integer_from_json(field(state_dict, "last_epoch", where), at("last_epoch"));
    const std::int64_t step_count =
        integer_from_json(field(state_dict, "_step_count", where), at("_step_count"));
    load_options(state_dict, where);  // throws before changing anything
    base_lrs_ = std::move(base_lrs);
    last_lr_ = std::move(last_lr);
    last_epoch_ = last_epoch;
    step_count_ = step_count;
}

}  // namespace lucid::optim
