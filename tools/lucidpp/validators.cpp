#include "validators.hpp"

#include <fmt/format.h>
#include <fmt/ranges.h>

#include "lucidpp/tensor/error.hpp"
#include "lucidpp/train/train_config.hpp"

namespace lucid::cli {

namespace {

// A flag's text as the JSON value a config file would hold: a string key takes the text as it
// is, any other parses it ("3.7", "1e20", "true").
nlohmann::json flag_value(const std::string& key, const std::string& text) {
    if (training::to_json(training::TrainConfig{})[key].is_string()) return text;
    try {
        return nlohmann::json::parse(text);
    } catch (const nlohmann::json::out_of_range&) {
        throw Error(fmt::format("{} is out of the range of a double", text));
    } catch (const nlohmann::json::exception&) {
        throw Error(fmt::format("'{}' is not a finite number", text));
    }
}

}  // namespace

CLI::Validator config_value(std::string key) {
    return CLI::Validator(
        [key](std::string& text) -> std::string {
            training::TrainConfig scratch;
            try {
                training::set_config_key(scratch, key, io::JsonField(flag_value(key, text), ""));
            } catch (const Error& error) {
                return error.what();
            }
            const nlohmann::ordered_json value = training::to_json(scratch)[key];
            text = value.is_string() ? value.get<std::string>() : value.dump();
            return "";
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
                return fmt::format("'{}' is not a finite number", value);
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

}  // namespace lucid::cli
