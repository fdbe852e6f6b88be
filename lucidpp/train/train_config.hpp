#pragma once
// TrainConfig: everything that defines a training run of a bundled task. It is written as
// config.json into the run folder and inside every checkpoint, and read back from both.
//
// One set of rules checks every value, wherever it comes from: a config file, a checkpoint's
// config, or a `lucidpp train` flag (check_config_value). Integers must be exact (3.7 is not a
// hidden size) and within the limits below, which keep a run inside what a machine can hold;
// docs/cli.md lists them.
#include <nlohmann/json.hpp>

#include <cstdint>
#include <string>

#include "lucidpp/io/json_fields.hpp"
#include "lucidpp/tasks/task.hpp"

namespace lucid::training {

struct TrainConfig {
    std::string task = "adding";
    std::uint64_t seed = 0;
    tasks::Hyperparameters hyper;    // model, sizes, optimizer, lr, clip, steps, batch, eval_every
    std::string scheduler = "none";  // none | cosine | step
    bool stop_when_solved = true;
    std::string nonfinite = "stop";  // stop | skip: a NaN or infinite loss or gradient norm

    // The task's default hyperparameters for `task`.
    static TrainConfig defaults_for(const std::string& task);
};

// The limits of the sizes. A model may in addition hold at most max_parameters parameters, and
// one time step at most max_step_values activations (batch_size x hidden x layers x gates).
inline constexpr std::int64_t max_hidden = std::int64_t{1} << 16;
inline constexpr std::int64_t max_layers = 256;
inline constexpr std::int64_t max_batch_size = std::int64_t{1} << 20;
inline constexpr std::int64_t max_steps = std::int64_t{1} << 50;
inline constexpr std::int64_t max_parameters = std::int64_t{1} << 28;
inline constexpr std::int64_t max_step_values = std::int64_t{1} << 28;

// The config as JSON, flat, in this order: task, seed, the hyperparameters (as the next
// function writes them), scheduler, stop_when_solved, nonfinite.
nlohmann::ordered_json to_json(const TrainConfig& config);
nlohmann::ordered_json to_json(const tasks::Hyperparameters& hyper);

// Reads a config; keys not given keep the values of `base`. Unknown keys, wrong types and
// values out of range are errors "<file>: <key>: <problem>".
TrainConfig config_from_json(const io::JsonField& json, const TrainConfig& base);
TrainConfig config_from_json(const nlohmann::json& json, const TrainConfig& base);  // "config"
// Sets one key of `config` from `value`, checking it by the rules above.
void set_config_key(TrainConfig& config, const std::string& key, const io::JsonField& value);
// Checks one value by the rules, for a flag: throws lucid::Error with the bare problem.
void check_config_value(const std::string& key, const nlohmann::json& value);
// Throws an error naming the first value out of its range (a negative hidden size, ...), or a
// model too big for the limits above.
void validate(const TrainConfig& config);

}  // namespace lucid::training
