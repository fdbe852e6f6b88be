#pragma once
// TrainConfig: everything that defines a training run of a bundled task. It is written as
// config.json into the run folder and inside every checkpoint, and read back from both.
#include <nlohmann/json.hpp>

#include <cstdint>
#include <string>

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

// The config as JSON, flat, in this order: task, seed, the hyperparameters (as the next
// function writes them), scheduler, stop_when_solved, nonfinite.
nlohmann::ordered_json to_json(const TrainConfig& config);
nlohmann::ordered_json to_json(const tasks::Hyperparameters& hyper);
// Reads a config; keys not given keep the values of `base`. Unknown keys and wrong types are
// errors that name the key.
TrainConfig config_from_json(const nlohmann::json& json, const TrainConfig& base);
// Throws an error naming the first value out of its range (a negative hidden size, ...).
void validate(const TrainConfig& config);

}  // namespace lucid::training
