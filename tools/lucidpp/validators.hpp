#pragma once
// CLI11 validators whose messages say what is allowed, in one line.
#include <CLI/CLI.hpp>

#include <string>
#include <vector>

namespace lucid::cli {

// A value of the config key `key`, checked by the rules that check a config file
// (training::set_config_key): "must be an integer in [1, 65536], got 1e20", "unknown task
// 'foo'; the tasks are: ...". A valid value is rewritten in its plain form (1e3 -> 1000) for
// the flag's type.
CLI::Validator config_value(std::string key);
// "must be positive, got -3"
CLI::Validator positive();
// "must not be negative, got -1"
CLI::Validator non_negative();

}  // namespace lucid::cli
