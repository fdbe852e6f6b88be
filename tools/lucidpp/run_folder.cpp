#include "run_folder.hpp"

#include <fmt/chrono.h>
#include <fmt/format.h>

#include <chrono>
#include <csignal>
#include <cstdlib>
#include <filesystem>
#include <system_error>

#include "loss_plot.hpp"
#include "lucidpp/io/atomic_file.hpp"
#include "lucidpp/io/serialize.hpp"
#include "lucidpp/tensor/error.hpp"
#include "lucidpp/train/checkpoint.hpp"

namespace lucid::cli {

namespace fs = std::filesystem;

namespace {

// One line per evaluation; floats as the state_dict format writes them ("nan", "inf").
std::string metrics_jsonl(const std::vector<training::Evaluation>& history) {
    std::string lines;
    for (const training::Evaluation& e : history) {
        const nlohmann::ordered_json line = {{"step", e.step},
                                             {"train_loss", io::float_to_json(e.train_loss)},
                                             {"test_loss", io::float_to_json(e.test_loss)},
                                             {"metric", io::float_to_json(e.metric)},
                                             {"solved", e.solved},
                                             {"seconds", e.seconds},
                                             {"skipped_steps", e.skipped_steps}};
        lines += line.dump() + "\n";
    }
    return lines;
}

// For tests/cli only: LUCIDPP_TEST_KILL_AFTER_FIRST_WRITE=N ends the program with SIGKILL
// (as kill -9 would) right after the first file written at step N, to check what a crash
// between the writes leaves behind.
void kill_point_for_tests(std::int64_t step) {
    const char* value = std::getenv("LUCIDPP_TEST_KILL_AFTER_FIRST_WRITE");
    if (value != nullptr && std::to_string(step) == value) std::raise(SIGKILL);
}

}  // namespace

RunFolder::RunFolder(std::string directory) : directory_(std::move(directory)) {
    std::error_code error;
    fs::create_directories(directory_, error);
    check(!error, "cannot create the run folder {}: {}", directory_, error.message());
}

std::string RunFolder::path(const std::string& file) const {
    return (fs::path(directory_) / file).string();
}

std::string RunFolder::checkpoint_path_in(const std::string& directory) {
    return (fs::path(directory) / "checkpoint.json").string();
}

void RunFolder::write_config(const training::TrainConfig& config) const {
    io::write_file_atomically(path("config.json"), training::to_json(config).dump(2) + "\n");
}

void RunFolder::write_progress(training::Trainer& trainer) const {
    // The checkpoint first: metrics.jsonl and loss.svg are made from its history, so a crash or
    // a failed write between the files leaves them behind the checkpoint (the next write, or
    // --resume, rebuilds them), never ahead of it or without it.
    training::save_checkpoint(trainer, checkpoint_path());
    kill_point_for_tests(trainer.steps_done());
    io::write_file_atomically(path("metrics.jsonl"), metrics_jsonl(trainer.history()));
    io::write_file_atomically(
        path("loss.svg"),
        loss_plot_svg(trainer.config(), trainer.task().metric(), trainer.history()));
}

std::string default_run_directory(const std::string& task) {
    const auto now = std::chrono::system_clock::to_time_t(std::chrono::system_clock::now());
    const std::string base = fmt::format("runs/{}-{:%Y%m%d-%H%M%S}", task, fmt::localtime(now));
    std::string directory = base;
    for (int n = 2; fs::exists(directory); ++n) directory = fmt::format("{}-{}", base, n);
    return directory;
}

}  // namespace lucid::cli
