#pragma once
// Trainer: the training loop of the bundled tasks, shared by the `lucidpp` program and tests.
//
// It owns a task, a SequenceModel, an optimizer (and an optional LR scheduler), and the
// Generator that draws training batches. One step: draw a batch, forward, loss, backward, clip
// the gradient norm, optimizer step, scheduler step. A NaN or infinite loss or gradient norm
// never reaches the optimizer: config.nonfinite "stop" throws NonFiniteError, "skip" drops the
// step's gradients and moves on, as PyTorch's GradScaler does on an overflow (the optimizer
// step is skipped; the step count and the scheduler advance). A checkpoint captures all state,
// including both random streams (batches, and dropout's default generator), so training N
// steps, saving, restoring and training M more gives bit-identical parameters to N + M steps.
//
// Data parallel: made while a process group of more than one rank is initialized (mpirun), the
// Trainer wraps its model in DistributedDataParallel. Every rank draws the same global batch
// and trains on its shard (batch_shard.hpp); the gradients are averaged as those of the global
// batch's mean loss, and the loss reported is the global batch's. Every rank evaluates the
// whole test split: the replicas are identical, so every rank gets the same numbers, with no
// messages, and no rank waits for another to finish evaluating before the next step.
#include <nlohmann/json.hpp>

#include <cstdint>
#include <memory>
#include <string>
#include <vector>

#include "lucidpp/optim/optimizer.hpp"
#include "lucidpp/tasks/task.hpp"
#include "lucidpp/train/sequence_model.hpp"
#include "lucidpp/train/train_config.hpp"

namespace lucid::optim {
class LRScheduler;
}
namespace lucid::distributed {
class DistributedDataParallel;
}

namespace lucid::training {

struct Evaluation {
    std::int64_t step = 0;
    double train_loss = 0.0;  // mean training loss since the previous evaluation (NaN: none)
    double test_loss = 0.0;
    double metric = 0.0;
    bool solved = false;
    double seconds = 0.0;  // training time so far
    // Steps since the previous evaluation skipped for a non-finite loss or gradient norm
    // (config.nonfinite "skip"); train_loss averages the others (NaN when none is left).
    std::int64_t skipped_steps = 0;
};

// A step whose loss or gradient norm is NaN or infinite, under config.nonfinite "stop". It is
// thrown before the optimizer step: the parameters and the optimizer state are those of the
// step before, and steps_done() has not moved (the batch stream has).
class NonFiniteError : public Error {
public:
    using Error::Error;
};

// Whether a Trainer made under a process group of several ranks trains data-parallel (the
// default) or alone, as one process would (for comparing the two).
enum class Parallelism { automatic, single_process };

class Trainer {
public:
    explicit Trainer(const TrainConfig& config, Parallelism parallelism = Parallelism::automatic);
    ~Trainer();

    // One optimisation step; returns its training loss. Throws NonFiniteError (nonfinite
    // "stop") or skips the update (nonfinite "skip") when the loss or the gradient norm is not
    // finite.
    double step();
    // Loss and metric on the task's test split (no gradients, eval mode).
    Evaluation evaluate();

    std::int64_t steps_done() const { return step_; }
    const TrainConfig& config() const { return config_; }
    tasks::Task& task() { return *task_; }
    SequenceModel& model() { return *model_; }
    optim::Optimizer& optimizer() { return *optimizer_; }
    const std::vector<Evaluation>& history() const { return history_; }
    // The ranks sharing each batch (1 without a process group).
    int world_size() const { return world_size_; }

    // The whole training state as JSON, format "lucidpp.checkpoint" (described in checkpoint.hpp;
    // these two are defined in checkpoint.cpp, next to the format).
    nlohmann::ordered_json checkpoint() const;
    // Restores a checkpoint of a run with the same config (model shapes); all or nothing.
    // Errors read "<file>: <key>: <problem>".
    void restore(const nlohmann::json& checkpoint, const std::string& file = "checkpoint");

private:
    // The gradients' total 2-norm, clipped to config.hyper.clip when that is > 0 and the norm
    // is finite.
    double clip_gradients();
    // Drops the step's gradients; throws NonFiniteError under nonfinite "stop".
    void refuse_step(double loss, double grad_norm);
    // This rank's loss on its shard, and the global batch's.
    Tensor shard_loss(const tasks::Batch& global);
    double global_loss(double shard_loss) const;

    TrainConfig config_;
    std::unique_ptr<tasks::Task> task_;
    std::unique_ptr<SequenceModel> model_;
    std::unique_ptr<optim::Optimizer> optimizer_;
    std::unique_ptr<optim::LRScheduler> scheduler_;
    std::unique_ptr<distributed::DistributedDataParallel> data_parallel_;
    int world_size_ = 1;
    int rank_ = 0;
    std::int64_t shard_weight_ = 0;
    Generator batches_;
    std::int64_t step_ = 0;
    double loss_sum_ = 0.0;
    std::int64_t loss_count_ = 0;
    double seconds_ = 0.0;
    std::vector<Evaluation> history_;
};

}  // namespace lucid::training
