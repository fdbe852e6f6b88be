#pragma once
// `lucidpp eval CHECKPOINT`: rebuild the model from a checkpoint, score it on the task's test
// split, and print one line of JSON (results.hpp) on stdout.
#include <string>

#include "command.hpp"

namespace lucid::cli {

class EvalCommand : public Command {
public:
    explicit EvalCommand(CLI::App& parent);
    int run() override;

private:
    std::string checkpoint_;
    int threads_ = 0;
};

}  // namespace lucid::cli
