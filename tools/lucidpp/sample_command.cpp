#include "sample_command.hpp"

#include <fmt/format.h>

#include <iostream>

#include "checkpoint_argument.hpp"
#include "exit_codes.hpp"
#include "load_trainer.hpp"
#include "lucidpp/tasks/char_language_model.hpp"
#include "lucidpp/train/sample_text.hpp"
#include "threads.hpp"
#include "validators.hpp"

namespace lucid::cli {

SampleCommand::SampleCommand(CLI::App& parent)
    : Command(parent, "sample", "Generate text from a char_lm checkpoint") {
    app_->add_option("CHECKPOINT", checkpoint_, "a checkpoint.json of a char_lm run")
        ->type_name("")
        ->required();
    app_->add_option("--prompt", prompt_, "text the model reads first (default: a newline)")
        ->type_name("TEXT");
    app_->add_option("--length", length_,
                     fmt::format("characters to generate, at most {}", max_length))
        ->check(non_negative())
        ->capture_default_str()
        ->type_name("N");
    app_->add_option("--temperature", temperature_,
                     "divides the logits: lower is safer, higher is wilder, 0 always takes the "
                     "most likely character")
        ->check(non_negative())
        ->capture_default_str()
        ->type_name("T");
    app_->add_option("--seed", seed_, "seed of the sampling")
        ->check(non_negative())
        ->capture_default_str()
        ->type_name("N");
    add_threads_option(*app_, threads_);
}

int SampleCommand::run() {
    if (length_ > max_length) {
        throw UsageError(fmt::format(
            "--length {} is more than {} characters (a thousand times the char_lm corpus, about "
            "an hour of sampling even for a small model); sample less",
            length_, max_length));
    }
    set_threads(threads_);
    auto trainer =
        with_checkpoint_argument("sample", checkpoint_, [&] { return load_trainer(checkpoint_); });
    auto* task = dynamic_cast<tasks::CharLanguageModelTask*>(&trainer->task());
    if (task == nullptr) {
        throw UsageError(fmt::format("sample needs a char_lm checkpoint, but {} is a {} run",
                                     checkpoint_, trainer->config().task));
    }
    Generator generator(seed_);
    // Streamed: each character goes out as it is drawn (stdout's buffer is the only buffer).
    std::cout << prompt_;
    training::sample_text(*task, trainer->model(), prompt_, length_, temperature_, generator,
                          std::cout);
    std::cout << '\n' << std::flush;
    return exit_success;
}

}  // namespace lucid::cli
