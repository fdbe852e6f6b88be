#pragma once
// `lucidpp tasks`: the bundled tasks, each with its description, metric, trivial baseline,
// "solved" threshold and default model; as text, or as JSON with --json.
#include "command.hpp"

namespace lucid::cli {

class TasksCommand : public Command {
public:
    explicit TasksCommand(CLI::App& parent);
    int run() override;

private:
    bool json_ = false;
};

}  // namespace lucid::cli
