#pragma once
// Command: one subcommand of `lucidpp`. The constructor declares the subcommand and its flags on
// the parent CLI11 app; after parsing, main() calls run() on the one the user chose.
#include <CLI/CLI.hpp>

namespace lucid::cli {

class Command {
public:
    virtual ~Command() = default;
    Command(const Command&) = delete;
    Command& operator=(const Command&) = delete;

    // The exit code (see exit_codes.hpp). Throws UsageError, lucid::Error or other exceptions,
    // which main() turns into one line on stderr.
    virtual int run() = 0;

    bool chosen() const { return app_->parsed(); }

protected:
    Command(CLI::App& parent, const std::string& name, const std::string& description)
        : app_(parent.add_subcommand(name, description)) {}

    CLI::App* app_;
};

}  // namespace lucid::cli
