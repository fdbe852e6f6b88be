#pragma once
// RunFolder: the directory a training run writes into. training::fit and `lucidpp train` write
//
//   metrics.jsonl    one JSON object per evaluation (metrics_log.hpp)
//   checkpoint.json  the training state, for resuming (model_checkpoint.hpp; the task
//                    Trainer's own format for `lucidpp train`, checkpoint.hpp)
//   loss.svg         the loss curves (loss_plot.hpp)
//
// and `lucidpp train` a config.json too. Every file is replaced atomically (temporary file,
// fsync, rename), so a crash or Ctrl-C leaves the previous version or the new one, never half a
// file. The checkpoint is written before the files made from it, so they never get ahead of it:
// after a crash between the writes they may lag it by one evaluation, and a resume rewrites them.
#include <string>

namespace lucid::training {

class RunFolder {
public:
    // Creates the directory (and its parents) if needed.
    explicit RunFolder(std::string directory);

    const std::string& directory() const { return directory_; }
    std::string path(const std::string& file) const;
    std::string checkpoint_path() const { return checkpoint_path_in(directory_); }
    static std::string checkpoint_path_in(const std::string& directory);
    std::string metrics_path() const { return path("metrics.jsonl"); }
    std::string plot_path() const { return path("loss.svg"); }

    // Replaces `file` in the folder with `contents`, atomically.
    void write(const std::string& file, const std::string& contents) const;

private:
    std::string directory_;
};

// "runs/<name>-<YYYYmmdd-HHMMSS>", with "-2", "-3", ... added if that already exists.
std::string default_run_directory(const std::string& name);

}  // namespace lucid::training
