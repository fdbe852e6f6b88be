// lucidpp: the command-line program. Trains recurrent models on the bundled toy sequence tasks,
// evaluates and samples from checkpoints. docs/cli.md describes every command and flag.
//
// Conventions: results on stdout, logs on stderr; exit 0 on success, 1 on a failure (missing
// or corrupt file, I/O error), 2 on a usage error (bad flag or value, unknown task), 128 + N
// when stopped by signal N (130 for Ctrl-C). Every error is one line on stderr.
#include <fmt/format.h>
#include <spdlog/sinks/stdout_color_sinks.h>
#include <spdlog/spdlog.h>
#include <CLI/CLI.hpp>
#include <nlohmann/json.hpp>

#include <algorithm>
#include <array>
#include <exception>
#include <string>

#include "eval_command.hpp"
#include "exit_codes.hpp"
#include "lucidpp/distributed/process_group.hpp"
#include "lucidpp/tensor/error.hpp"
#include "sample_command.hpp"
#include "tasks_command.hpp"
#include "train_command.hpp"

#ifndef LUCIDPP_VERSION
#define LUCIDPP_VERSION "unknown"
#endif

namespace {

using namespace lucid::cli;

// Logs go to stderr (the library's warnings too, through the default logger), so that stdout
// holds only results.
void set_up_logging() {
    auto logger = spdlog::stderr_color_mt("lucidpp");
    logger->set_pattern("[%H:%M:%S] %^%l%$: %v");
    spdlog::set_default_logger(logger);
}

namespace dist = lucid::distributed;

bool several_ranks() { return dist::is_initialized() && dist::world_size() > 1; }

// In a job of several ranks the error names its rank, and the whole job ends with it: the
// other ranks may be waiting for this one in a collective.
int fail(int code, std::string message) {
    std::replace(message.begin(), message.end(), '\n', ' ');
    if (several_ranks()) {
        fmt::print(stderr, "lucidpp: error: rank {}: {}\n", dist::rank(), message);
        std::fflush(stderr);
        dist::abort(code);
    }
    fmt::print(stderr, "lucidpp: error: {}\n", message);
    return code;
}

// Under mpirun, `lucidpp train` is one rank of a data-parallel job (docs/distributed.md): the
// process group starts before the command runs, and only rank 0 logs.
void join_job(const Command& train) {
    if (!train.chosen() || !dist::launched_by_mpirun()) return;
    if (!dist::is_mpi_available()) {
        throw UsageError(
            "lucidpp was started by mpirun but built without MPI (-Ddistributed=disabled): "
            "each process would train alone; rebuild with MPI (tools/setup installs it)");
    }
    dist::init_process_group();
    if (dist::rank() != 0) spdlog::set_level(spdlog::level::err);
}

int leave_job(int code) {
    if (dist::is_initialized()) dist::destroy_process_group();
    return code;
}

// "(see lucidpp train --help)" for the subcommand being parsed, if any.
std::string help_hint(const CLI::App& app) {
    for (const CLI::App* sub : app.get_subcommands()) {
        return fmt::format(" (see lucidpp {} --help)", sub->get_name());
    }
    return " (see lucidpp --help)";
}

}  // namespace

int main(int argc, char** argv) {
    set_up_logging();
    CLI::App app("Train recurrent networks on classic toy sequence tasks.", "lucidpp");
    app.set_version_flag("--version", std::string("lucidpp ") + LUCIDPP_VERSION);
    app.require_subcommand(1);
    app.footer(
        "Exit codes: 0 success, 1 failure, 2 usage error, 130 interrupted by Ctrl-C.\n"
        "Results go to stdout, logs to stderr. See docs/cli.md.");
    TrainCommand train(app);
    EvalCommand eval(app);
    SampleCommand sample(app);
    TasksCommand tasks(app);
    const std::array<Command*, 4> commands{&train, &eval, &sample, &tasks};

    try {
        app.parse(argc, argv);
    } catch (const CLI::Success& done) {  // --help, --version
        return app.exit(done);
    } catch (const CLI::ParseError& error) {
        if (app.get_subcommands().empty() && argc > 1 && argv[1][0] != '-') {
            return fail(exit_usage, fmt::format("unknown command '{}'; the commands are: train, "
                                                "eval, sample, tasks (see lucidpp --help)",
                                                argv[1]));
        }
        return fail(exit_usage, error.what() + help_hint(app));
    }
    try {
        join_job(train);
        for (Command* command : commands) {
            if (command->chosen()) return leave_job(command->run());
        }
        return fail(exit_usage, "no command given" + help_hint(app));
    } catch (const UsageError& error) {
        return fail(exit_usage, error.what());
    } catch (const lucid::Error& error) {
        return fail(exit_failure, error.what());
    } catch (const nlohmann::json::exception& error) {
        return fail(exit_failure, error.what());
    } catch (const std::exception& error) {
        return fail(exit_failure, error.what());
    } catch (...) {
        return fail(exit_failure, "unexpected error");
    }
}
