#pragma once
// FitLoop: the bookkeeping of training::fit (fit.hpp), which does not depend on the loader's or the
// batch's type: the step (zero_grad, backward, the after_backward hook, clipping, optimizer and
// scheduler steps), when to evaluate, the records (metrics.jsonl, loss.svg), the checkpoint and
// resuming from it, the progress bar, and the history fit returns.
//
// A loop of one's own can use it as fit does (see fit.hpp), or use the pieces it is built from
// directly: ProgressBar, MetricsLog, RunFolder, save_checkpoint and load_checkpoint, evaluate.
#include <nlohmann/json.hpp>

#include <chrono>
#include <cstdint>
#include <functional>
#include <limits>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "lucidpp/data/sampler.hpp"
#include "lucidpp/nn/module.hpp"
#include "lucidpp/optim/lr_scheduler.hpp"
#include "lucidpp/optim/optimizer.hpp"
#include "lucidpp/tensor/generator.hpp"
#include "lucidpp/tensor/tensor.hpp"
#include "lucidpp/train/metrics_log.hpp"
#include "lucidpp/train/progress_bar.hpp"
#include "lucidpp/train/run_folder.hpp"

namespace lucid::distributed {
class DistributedDataParallel;
}

namespace lucid::training {

// What on_step sees after every optimizer step.
struct StepInfo {
    std::int64_t step = 0;   // steps done, this one included (1 after the first)
    std::int64_t epoch = 0;  // the epoch in progress, from 0
    std::int64_t batch = 0;  // batches of this epoch done, this one included
    double loss = 0.0;       // this step's training loss
    double lr = 0.0;         // the first parameter group's lr used by this step
};

// One evaluation: a line of metrics.jsonl and a point of loss.svg.
struct FitRecord {
    std::int64_t step = 0;
    std::int64_t epoch = 0;
    // Mean training loss of the steps since the previous record; NaN at step 0.
    double train_loss = std::numeric_limits<double>::quiet_NaN();
    // Mean loss over the validation loader; NaN without one.
    double validation_loss = std::numeric_limits<double>::quiet_NaN();
    double lr = 0.0;
    // Training time so far: loading batches, forward, backward and update; evaluations and
    // file writes left out.
    double seconds = 0.0;
};

struct FitHistory {
    std::vector<FitRecord> records{};  // step 0 first, then every evaluation
    std::int64_t steps = 0;            // steps done when fit returned (resumed ones included)
    std::int64_t epochs = 0;           // whole epochs done
    double seconds = 0.0;
};

struct FitOptions {
    std::int64_t epochs = 1;
    // > 0: stop after this many steps in all (resumed runs count the steps done before).
    std::int64_t max_steps = 0;
    // Steps between evaluations (a record, and the checkpoint); 0: at the end of every epoch.
    // There is always one at step 0 and one at the last step.
    std::int64_t eval_every = 0;
    // Where metrics.jsonl, loss.svg and checkpoint.json go; empty: no files. Without resume, a
    // run starts the folder's files over.
    std::string run_folder{};
    // Continue from run_folder's checkpoint.json when there is one (bit for bit, see fit.hpp).
    bool resume = false;
    // A progress bar on a terminal; off one, a log line per evaluation. false: neither.
    bool progress = true;
    // Stepped after every optimizer step (null: none); saved in the checkpoint.
    optim::LRScheduler* scheduler = nullptr;
    // > 0: the gradients' total 2-norm is clipped to this before each optimizer step.
    double clip_grad_norm = 0.0;
    // The generator the loader shuffles with, saved in the checkpoint so that a resumed run
    // draws the same batches (null: the loader does not shuffle, or resuming need not be exact).
    Generator* generator = nullptr;
    // The plot: its title, and the loss's unit on the y axis ("nats", "MSE", ...).
    std::string title = "training";
    std::string loss_unit{};
    // After every optimizer step.
    std::function<void(const StepInfo&)> on_step{};
    // After loss.backward(), before clipping and optimizer.step(): e.g. to all-reduce the
    // gradients across processes.
    std::function<void()> after_backward{};
    // false on all but one process of a distributed run: nothing is printed and no file is
    // written (a resume still reads the checkpoint). Under a process group of several ranks
    // only rank 0 is the main process, whatever this says.
    bool main_process = true;
};

// Under a process group of several ranks (mpirun), the loop trains data-parallel: it wraps the
// model in distributed::DistributedDataParallel for its lifetime, each rank reads its shard
// through a data::DistributedSampler (which gives every rank the same number of batches of the
// same sizes, so the ranks' mean losses weigh the same), the records average the ranks' losses,
// and only rank 0 prints and writes.
class FitLoop {
public:
    // Resumes from the run folder's checkpoint when options.resume and there is one.
    FitLoop(nn::Module& model, optim::Optimizer& optimizer, FitOptions options,
            std::int64_t batches_per_epoch, bool has_validation);
    ~FitLoop();
    FitLoop(const FitLoop&) = delete;
    FitLoop& operator=(const FitLoop&) = delete;

    std::int64_t step() const { return step_; }
    std::int64_t epoch() const { return epoch_; }
    std::int64_t batch_in_epoch() const { return batch_in_epoch_; }
    // No record yet: the step-0 record is due.
    bool at_start() const { return records_.empty(); }
    // All epochs, or max_steps, done.
    bool finished() const;

    // Before the epoch's batches are drawn: keeps (or, resuming, restores) the loader
    // generator's state, so a checkpoint mid-epoch can draw the same epoch again.
    void begin_epoch();
    // One optimisation step on a batch's loss; returns its value.
    double train_step(Tensor loss);
    // After the last batch of an epoch.
    void end_epoch();
    // Whether the step just done ends with an evaluation.
    bool evaluation_due() const;
    // Records an evaluation (the validation loss, or NaN) and writes the checkpoint, then
    // metrics.jsonl and loss.svg.
    void record(double validation_loss);
    FitHistory history() const;
    // Throws unless the loader reads a shard per rank, when training data-parallel.
    void check_sampler(const data::Sampler& sampler) const;

private:
    double current_lr() const;
    void average_over_ranks(FitRecord& record) const;
    void resume_from(const std::string& path);
    void write_files() const;
    nlohmann::json state_json() const;

    nn::Module& model_;
    optim::Optimizer& optimizer_;
    FitOptions options_;
    std::int64_t batches_per_epoch_;
    bool has_validation_;
    std::optional<RunFolder> folder_;
    std::unique_ptr<ProgressBar> bar_;
    std::int64_t step_ = 0, epoch_ = 0, batch_in_epoch_ = 0;
    double loss_sum_ = 0.0;
    std::int64_t loss_count_ = 0;
    double seconds_ = 0.0;
    std::chrono::steady_clock::time_point clock_mark_ = std::chrono::steady_clock::now();
    std::string epoch_start_rng_;
    bool resumed_epoch_ = false;  // the epoch in progress came from a checkpoint
    std::vector<FitRecord> records_;
    std::unique_ptr<distributed::DistributedDataParallel> data_parallel_;
};

// One metrics.jsonl line: step, epoch, train_loss, validation_loss (when there is a validation
// loader), lr, seconds.
nlohmann::ordered_json record_json(const FitRecord& record, bool has_validation);

}  // namespace lucid::training
