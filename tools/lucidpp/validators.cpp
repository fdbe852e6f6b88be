#include "validators.hpp"

#include <fmt/format.h>
#include <fmt/ranges.h>

#include <algorithm>

#include "lucidpp/tasks/registry.hpp"

namespace lucid::cli {

CLI::Validator one_of(std::vector<std::string> choices) {
    return CLI::Validator(
        [choices](std::string& value) -> std::string {
            if (std::find(choices.begin(), choices.end(), value) != choices.end()) return "";
            return fmt::format("'{}' is not one of: {}", value, fmt::join(choices, ", "));
        },
        "");
}

CLI::Validator task_name() {
    return CLI::Validator(
        [](std::string& value) -> std::string {
            const std::vector<std::string> names = tasks::task_names();
            if (std::find(names.begin(), names.end(), value) != names.end()) return "";
            return fmt::format("unknown task '{}'; the tasks are: {}", value,
                               fmt::join(names, ", "));
        },
        "");
}

namespace {

// A validator of numbers: `ok` says whether a value is allowed, `rule` what is.
template <class Ok>
CLI::Validator number_check(Ok ok, std::string rule) {
    return CLI::Validator(
        [ok, rule](std::string& value) -> std::string {
            double number = 0.0;
            if (!CLI::detail::lexical_cast(value, number))
                return fmt::format("'{}' is not a number", value);
            return ok(number) ? "" : fmt::format("{}, got {}", rule, value);
        },
        "");
}

}  // namespace

CLI::Validator positive() {
    return number_check([](double x) { return x > 0.0; }, "must be positive");
}

CLI::Validator non_negative() {
    return number_check([](double x) { return x >= 0.0; }, "must not be negative");
}

CLI::Validator probability_below_one() {
    return number_check([](double x) { return x >= 0.0 && x < 1.0; }, "must be in [0, 1)");
}

}  // namespace lucid::cli
