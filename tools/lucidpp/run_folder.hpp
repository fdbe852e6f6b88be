#pragma once
// RunFolder: the directory a training run writes into.
//
//   config.json      the run's TrainConfig; `lucidpp train --config` reads it back
//   metrics.jsonl    one JSON object per evaluation: step, train_loss, test_loss, metric,
//                    solved, seconds, skipped_steps (floats as io::float_to_json writes them)
//   checkpoint.json  the whole training state (training::save_checkpoint), for eval, sample and
//                    --resume
//   loss.svg         the loss and metric curves (loss_plot.hpp)
//
// Every file is replaced atomically (temporary file, fsync, rename), so a crash or Ctrl-C
// leaves the previous version or the new one, never half a file. The checkpoint is written
// before the files made from it, so they never get ahead of it: after a crash between the
// writes they may lag it by one evaluation, and --resume rewrites them.
#include <string>

#include "lucidpp/train/trainer.hpp"

namespace lucid::cli {

class RunFolder {
public:
    // Creates the directory (and its parents) if needed.
    explicit RunFolder(std::string directory);

    const std::string& directory() const { return directory_; }
    std::string path(const std::string& file) const;
    std::string checkpoint_path() const { return checkpoint_path_in(directory_); }
    static std::string checkpoint_path_in(const std::string& directory);

    void write_config(const training::TrainConfig& config) const;
    // The checkpoint, then metrics.jsonl and loss.svg from the trainer's evaluation history.
    void write_progress(training::Trainer& trainer) const;

private:
    std::string directory_;
};

// "runs/<task>-<YYYYmmdd-HHMMSS>", with "-2", "-3", ... added if that already exists.
std::string default_run_directory(const std::string& task);

}  // namespace lucid::cli
