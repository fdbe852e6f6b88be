#pragma once
// CLI11 validators whose messages say what is allowed, in one line.
#include <CLI/CLI.hpp>

#include <string>
#include <vector>

namespace lucid::cli {

// "'foo' is not one of: rnn, gru, lstm"
CLI::Validator one_of(std::vector<std::string> choices);
// "unknown task 'foo'; the tasks are: adding, copy_memory, ..."
CLI::Validator task_name();
// "must be positive, got -3"
CLI::Validator positive();
// "must not be negative, got -1"
CLI::Validator non_negative();
// A number in [0, 1).
CLI::Validator probability_below_one();

}  // namespace lucid::cli
