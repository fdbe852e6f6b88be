#include "eval_command.hpp"

#include <fmt/format.h>

#include "checkpoint_argument.hpp"
#include "exit_codes.hpp"
#include "load_trainer.hpp"
#include "results.hpp"
#include "threads.hpp"

namespace lucid::cli {

EvalCommand::EvalCommand(CLI::App& parent)
    : Command(parent, "eval",
              "Score a checkpoint on its task's test split; prints one line of JSON") {
    app_->add_option("CHECKPOINT", checkpoint_, "a checkpoint.json written by `lucidpp train`")
        ->type_name("")
        ->required();
    add_threads_option(*app_, threads_);
}

int EvalCommand::run() {
    set_threads(threads_);
    auto trainer =
        with_checkpoint_argument("eval", checkpoint_, [&] { return load_trainer(checkpoint_); });
    const training::Evaluation evaluation = trainer->evaluate();
    fmt::print("{}\n", result_json(*trainer, evaluation).dump());
    return exit_success;
}

}  // namespace lucid::cli
