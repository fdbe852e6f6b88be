#include "train_command.hpp"

#include <fmt/format.h>
#include <fmt/ranges.h>
#include <spdlog/spdlog.h>

#include <algorithm>
#include <cstdlib>
#include <filesystem>
#include <set>
#include <thread>

#include "checkpoint_argument.hpp"
#include "exit_codes.hpp"
#include "load_trainer.hpp"
#include "lucidpp/distributed/collectives.hpp"
#include "lucidpp/distributed/process_group.hpp"
#include "lucidpp/io/atomic_file.hpp"
#include "lucidpp/io/json_fields.hpp"
#include "lucidpp/io/serialize.hpp"
#include "lucidpp/nn/summary.hpp"
#include "lucidpp/tasks/registry.hpp"
#include "lucidpp/train/checkpoint.hpp"
#include "results.hpp"
#include "run_progress.hpp"
#include "threads.hpp"
#include "training_loop.hpp"
#include "validators.hpp"

namespace lucid::cli {

namespace {

// What --resume may change: none of it alters the saved model, optimizer or random streams.
const std::set<std::string> resumable_keys = {"steps", "eval_every", "stop_when_solved",
                                              "nonfinite"};

// A run folder's config.json may name the world size of its run; the ranks of a new run are
// mpirun's, so the key is read past.
nlohmann::json read_config_file(const std::string& path) {
    nlohmann::json file = io::parse_json(io::read_file(path), path);
    if (file.is_object()) file.erase("world_size");
    return file;
}

void log_start(training::Trainer& trainer, const training::RunFolder& folder) {
    const training::TrainConfig& c = trainer.config();
    const tasks::Hyperparameters& h = c.hyper;
    const tasks::Metric metric = trainer.task().metric();
    spdlog::info("{} {}: {} hidden {} x{}, {} lr {:g}, batch {}, {} step{}{}; run folder {}",
                 trainer.steps_done() > 0 ? "resuming" : "training", c.task, h.model, h.hidden,
                 h.layers, h.optimizer, h.lr, h.batch_size, h.steps, h.steps == 1 ? "" : "s",
                 c.stop_when_solved
                     ? fmt::format(" or until {} {} {:g}", metric.name,
                                   metric.higher_is_better ? ">=" : "<=", metric.solved_at)
                     : "",
                 folder.directory());
}

// The model's layers, output shapes and parameter counts, from one example batch. The batch
// comes from a generator of its own, and the summary runs in eval mode without gradients, so
// the run's random streams, and with them its numbers, are those of a run without it.
void log_model_summary(training::Trainer& trainer) {
    Generator scratch(trainer.config().seed);
    const tasks::Batch example =
        trainer.task().train_batch(trainer.config().hyper.batch_size, scratch);
    spdlog::info("model, on a batch of {}:\n{}", trainer.config().hyper.batch_size,
                 nn::summary(trainer.model(), example.inputs));
}

namespace dist = lucid::distributed;

// Rank 0 of a data-parallel job, or the only process: the one that logs and writes the run.
bool is_main_process() { return !dist::is_initialized() || dist::rank() == 0; }

// Without --threads, the ranks on this machine share its cores instead of each taking them all.
void set_rank_threads(int threads) {
    if (threads > 0 || !dist::is_initialized() || dist::world_size() == 1) {
        set_threads(threads);
        return;
    }
    const char* local = std::getenv("OMPI_COMM_WORLD_LOCAL_SIZE");
    const int ranks_here = local ? std::max(1, std::atoi(local)) : dist::world_size();
    const int cores = static_cast<int>(std::max(1u, std::thread::hardware_concurrency()));
    set_threads(std::max(1, cores / ranks_here));
}

}  // namespace

template <class T>
CLI::Option* TrainCommand::config_flag(const std::string& name, const std::string& key, T& value,
                                       const std::string& help) {
    CLI::Option* option = app_->add_option(name, value, help)->check(config_value(key));
    config_flags_.emplace_back(key, option);
    return option;
}

TrainCommand::TrainCommand(CLI::App& parent)
    : Command(parent, "train",
              "Train a recurrent model on a bundled task. With no arguments: a GRU on the adding "
              "problem, until it is solved.") {
    const std::string from_task = " (default: the task's, see `lucidpp tasks`)";
    config_flag("TASK", "task", flags_.task, "the task to train on (default: adding)")
        ->type_name("");
    config_flag("--model", "model", flags_.hyper.model, "recurrent layer" + from_task)
        ->type_name("rnn|gru|lstm");
    config_flag("--hidden", "hidden", flags_.hyper.hidden, "hidden size" + from_task)
        ->type_name("N");
    config_flag("--layers", "layers", flags_.hyper.layers, "stacked recurrent layers" + from_task)
        ->type_name("N");
    config_flag("--dropout", "dropout", flags_.hyper.dropout,
                "dropout between recurrent layers, in [0, 1)" + from_task)
        ->type_name("P");
    config_flag("--optimizer", "optimizer", flags_.hyper.optimizer, "optimizer" + from_task)
        ->type_name("sgd|adam|adamw");
    config_flag("--lr", "lr", flags_.hyper.lr, "learning rate" + from_task)
        ->type_name("RATE");
    config_flag("--clip", "clip", flags_.hyper.clip,
                "maximum gradient norm, 0 for no clipping" + from_task)
        ->type_name("NORM");
    config_flag("--scheduler", "scheduler", flags_.scheduler,
                "learning-rate schedule over --steps (default: none)")
        ->type_name("none|cosine|step");
    config_flag("--steps", "steps", flags_.hyper.steps, "training steps" + from_task)
        ->type_name("N");
    config_flag("--batch-size", "batch_size", flags_.hyper.batch_size,
                "sequences per step" + from_task)
        ->type_name("N");
    config_flag("--eval-every", "eval_every", flags_.hyper.eval_every,
                "steps between evaluations on the test split" + from_task)
        ->type_name("N");
    config_flag("--seed", "seed", flags_.seed,
                "seed of the weights, the batches, dropout and the test split (default: 0)")
        ->type_name("N");
    CLI::Option* stop = app_->add_flag_callback(
        "--stop-when-solved", [this] { flags_.stop_when_solved = true; },
        "stop at the first evaluation that reaches the task's threshold (the default)");
    CLI::Option* no_stop = app_->add_flag_callback(
        "--no-stop-when-solved", [this] { flags_.stop_when_solved = false; },
        "train all --steps even once the task is solved");
    stop->excludes(no_stop);
    config_flag("--nonfinite", "nonfinite", flags_.nonfinite,
                "on a NaN or infinite loss or gradient norm: stop (exit 1, the last checkpoint "
                "kept) or skip the step (default: stop)")
        ->type_name("stop|skip");
    config_flags_.emplace_back("stop_when_solved", stop);
    config_flags_.emplace_back("stop_when_solved", no_stop);
    add_threads_option(*app_, threads_);
    config_option_ =
        app_->add_option("--config", config_file_,
                         "JSON file of config keys (see docs/cli.md); flags override it")
            ->type_name("FILE.json");
    out_option_ = app_->add_option("--out", out_, "run folder (default: runs/<task>-<date>-<time>)")
                      ->type_name("DIR");
    app_->add_flag("--resume", resume_,
                   "continue the run in --out DIR from its checkpoint.json, bit for bit")
        ->needs(out_option_);
}

nlohmann::json TrainCommand::given_flags() const {
    const nlohmann::ordered_json values = training::to_json(flags_);
    nlohmann::json given = nlohmann::json::object();
    for (const auto& [key, option] : config_flags_) {
        if (option->count() > 0) given[key] = values.at(key);
    }
    return given;
}

training::TrainConfig TrainCommand::with_flags(const training::TrainConfig& base) const {
    const nlohmann::json flags = given_flags();
    try {
        return training::config_from_json(io::JsonField(flags, "the flags"), base);
    } catch (const Error& error) {
        throw UsageError(error.what());
    }
}

training::TrainConfig TrainCommand::fresh_config() const {
    // Every key of the file is checked (and nothing is written) before the run starts.
    nlohmann::json file = nlohmann::json::object();
    if (config_option_->count() > 0) file = read_config_file(config_file_);
    const io::JsonField config(file, config_option_->count() > 0 ? config_file_ : "the config");
    // The task picks the defaults that the file then overrides.
    training::TrainConfig task;
    if (app_->get_option("TASK")->count() > 0) {
        task.task = flags_.task;
    } else if (config.has("task")) {
        training::set_config_key(task, "task", config["task"]);
    }
    return with_flags(
        training::config_from_json(config, training::TrainConfig::defaults_for(task.task)));
}

training::TrainConfig TrainCommand::resumed_config(const nlohmann::json& checkpoint) const {
    const std::string path = training::RunFolder::checkpoint_path_in(out_);
    const training::TrainConfig saved = saved_config(checkpoint, path);
    std::vector<std::string> refused;
    if (config_option_->count() > 0) refused.push_back("--config");
    for (const auto& [key, option] : config_flags_) {
        const bool same_task = key == "task" && flags_.task == saved.task;
        if (option->count() > 0 && !resumable_keys.contains(key) && !same_task) {
            refused.push_back(option->get_name());
        }
    }
    if (!refused.empty()) {
        throw UsageError(fmt::format(
            "--resume continues the run in {} with its saved config, so {} cannot be given; only "
            "--steps, --eval-every, --[no-]stop-when-solved, --nonfinite and --threads can change",
            out_, fmt::join(refused, ", ")));
    }
    const training::TrainConfig resumed = with_flags(saved);
    // A checkpoint's step never exceeds its steps (Trainer::restore refuses one that does).
    const std::int64_t done = io::JsonField(checkpoint, path)["step"].integer(0);
    if (resumed.hyper.steps < done) {
        throw UsageError(
            fmt::format("--resume cannot lower --steps to {}: the run in {} has done "
                        "{} steps already",
                        resumed.hyper.steps, out_, done));
    }
    if (resumed.scheduler != "none" && resumed.hyper.steps != saved.hyper.steps) {
        throw UsageError(fmt::format(
            "--resume cannot change --steps of a run with the '{}' scheduler: its schedule was "
            "laid over the saved {} steps",
            saved.scheduler, saved.hyper.steps));
    }
    return resumed;
}

int TrainCommand::run() {
    set_rank_threads(threads_);
    std::unique_ptr<training::Trainer> trainer;
    std::string directory = out_;
    if (resume_) {
        const std::string path = training::RunFolder::checkpoint_path_in(out_);
        trainer = with_checkpoint_argument("train --resume", path, [&] {
            const nlohmann::json checkpoint = training::read_checkpoint(path);
            return restore_trainer(checkpoint, resumed_config(checkpoint), path);
        });
    } else {
        const training::TrainConfig config = fresh_config();
        if (out_option_->count() == 0) directory = training::default_run_directory(config.task);
        if (std::filesystem::exists(training::RunFolder::checkpoint_path_in(directory))) {
            throw UsageError(
                fmt::format("{} already holds a run; continue it with --resume, or "
                            "choose another --out",
                            directory));
        }
        trainer = std::make_unique<training::Trainer>(config);
    }
    // Every rank has checked the folder before rank 0 writes to it.
    if (dist::is_initialized()) dist::barrier();
    const bool main_process = is_main_process();
    const training::RunFolder folder(directory);
    if (main_process) {
        write_config(folder, trainer->config(), trainer->world_size());
        log_start(*trainer, folder);
        log_model_summary(*trainer);
    }

    const int code = run_training(*trainer, folder, main_process);
    if (code != exit_success || !main_process) return code;
    if (trainer->history().empty()) trainer->evaluate();
    const training::Evaluation& last = trainer->history().back();
    nlohmann::ordered_json result = result_json(*trainer, last);
    result["train_loss"] = io::float_to_json(last.train_loss);
    result["seconds"] = last.seconds;
    result["run"] = folder.directory();
    fmt::print("{}\n", result.dump());
    return exit_success;
}

}  // namespace lucid::cli
