#pragma once
// `lucidpp train [TASK]`: train a model on a bundled task into a run folder.
//
// The config is built in layers, each overriding the one before: the task's defaults
// (TrainConfig::defaults_for), then --config FILE.json, then the flags. With --resume the
// config comes from DIR/checkpoint.json instead, and only the flags that do not change what
// was saved (--steps, --eval-every, --[no-]stop-when-solved, --threads) may be given; --steps
// only without a scheduler, whose schedule was laid over the saved steps.
#include <nlohmann/json.hpp>

#include <string>
#include <utility>
#include <vector>

#include "command.hpp"
#include "lucidpp/train/trainer.hpp"

namespace lucid::cli {

class TrainCommand : public Command {
public:
    explicit TrainCommand(CLI::App& parent);
    int run() override;

private:
    // Declares a flag that sets the config key `key`; its value is parsed into flags_.
    template <class T>
    CLI::Option* config_flag(const std::string& name, const std::string& key, T& value,
                             const std::string& help);

    training::TrainConfig fresh_config() const;
    training::TrainConfig resumed_config(const nlohmann::json& checkpoint) const;
    // The config keys of the flags given on the command line, with their values.
    nlohmann::json given_flags() const;
    training::TrainConfig with_flags(const training::TrainConfig& base) const;

    training::TrainConfig flags_;  // holds the parsed flag values; only the given ones are used
    std::vector<std::pair<std::string, CLI::Option*>> config_flags_;
    std::string config_file_;
    std::string out_;
    bool resume_ = false;
    int threads_ = 0;
    CLI::Option* config_option_ = nullptr;
    CLI::Option* out_option_ = nullptr;
};

}  // namespace lucid::cli
