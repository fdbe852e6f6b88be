#include "run_folder.hpp"

#include <fmt/chrono.h>
#include <fmt/format.h>

#include <chrono>
#include <filesystem>
#include <system_error>

#include "loss_plot.hpp"
#include "lucidpp/io/atomic_file.hpp"
#include "lucidpp/tensor/error.hpp"
#include "lucidpp/train/checkpoint.hpp"

namespace lucid::cli {

namespace fs = std::filesystem;

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
    std::string lines;
    for (const training::Evaluation& e : trainer.history()) {
        nlohmann::ordered_json line = {{"step", e.step},           {"train_loss", e.train_loss},
                                       {"test_loss", e.test_loss}, {"metric", e.metric},
                                       {"solved", e.solved},       {"seconds", e.seconds}};
        lines += line.dump() + "\n";
    }
    io::write_file_atomically(path("metrics.jsonl"), lines);
    io::write_file_atomically(
        path("loss.svg"),
        loss_plot_svg(trainer.config(), trainer.task().metric(), trainer.history()));
    training::save_checkpoint(trainer, checkpoint_path());
}

std::string default_run_directory(const std::string& task) {
    const auto now = std::chrono::system_clock::to_time_t(std::chrono::system_clock::now());
    const std::string base = fmt::format("runs/{}-{:%Y%m%d-%H%M%S}", task, fmt::localtime(now));
    std::string directory = base;
    for (int n = 2; fs::exists(directory); ++n) directory = fmt::format("{}-{}", base, n);
    return directory;
}

}  // namespace lucid::cli
