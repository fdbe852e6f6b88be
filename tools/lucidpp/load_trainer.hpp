#pragma once
// A Trainer rebuilt from a checkpoint: built from a config, then restored. Errors (missing,
// truncated or corrupt file, a field of the wrong type or out of range, a checkpoint that does
// not fit the config) are lucid::Error "<file>: <key>: <problem>".
#include <nlohmann/json.hpp>

#include <memory>
#include <string>

#include "lucidpp/train/trainer.hpp"

namespace lucid::cli {

// With the config saved in the checkpoint (for `eval` and `sample`).
std::unique_ptr<training::Trainer> load_trainer(const std::string& checkpoint_path);

// The config saved in a checkpoint read from `path`.
training::TrainConfig saved_config(const nlohmann::json& checkpoint, const std::string& path);

// With `config`, which may differ from the saved one only where Trainer::restore allows.
std::unique_ptr<training::Trainer> restore_trainer(const nlohmann::json& checkpoint,
                                                   const training::TrainConfig& config,
                                                   const std::string& path);

}  // namespace lucid::cli
