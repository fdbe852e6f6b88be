#include "lucidpp/train/trainer.hpp"

#include <chrono>
#include <cmath>
#include <limits>

#include "lucidpp/autograd/grad_mode.hpp"
#include "lucidpp/distributed/collectives.hpp"
#include "lucidpp/distributed/distributed_data_parallel.hpp"
#include "lucidpp/distributed/process_group.hpp"
#include "lucidpp/optim/adam.hpp"
#include "lucidpp/optim/adamw.hpp"
#include "lucidpp/optim/clip_grad.hpp"
#include "lucidpp/optim/lr_scheduler.hpp"
#include "lucidpp/optim/schedulers.hpp"
#include "lucidpp/optim/sgd.hpp"
#include "lucidpp/tasks/registry.hpp"
#include "lucidpp/tensor/creation.hpp"
#include "lucidpp/train/batch_shard.hpp"

namespace lucid::training {

namespace {

std::unique_ptr<optim::Optimizer> make_optimizer(const std::string& name,
                                                 std::vector<Tensor> params, double lr) {
    if (name == "sgd")
        return std::make_unique<optim::SGD>(std::move(params), optim::SGDOptions{.lr = lr});
    if (name == "adam")
        return std::make_unique<optim::Adam>(std::move(params), optim::AdamOptions{.lr = lr});
    if (name == "adamw")
        return std::make_unique<optim::AdamW>(std::move(params), optim::AdamWOptions{.lr = lr});
    throw Error(fmt::format("unknown optimizer '{}'; choose sgd, adam or adamw", name));
}

std::unique_ptr<optim::LRScheduler> make_scheduler(const std::string& name,
                                                   optim::Optimizer& optimizer,
                                                   std::int64_t steps) {
    if (name == "none") return nullptr;
    if (name == "cosine") return std::make_unique<optim::CosineAnnealingLR>(optimizer, steps);
    if (name == "step") {
        return std::make_unique<optim::StepLR>(optimizer, std::max<std::int64_t>(steps / 3, 1),
                                               0.1);
    }
    throw Error(fmt::format("unknown scheduler '{}'; choose none, cosine or step", name));
}

SequenceModelOptions model_options(const TrainConfig& config, const tasks::TaskSpec& spec) {
    const tasks::Hyperparameters& h = config.hyper;
    return {h.model,   spec.input_size,  h.hidden,    h.layers,
            h.dropout, spec.output_size, spec.readout};
}

}  // namespace

Trainer::Trainer(const TrainConfig& config, Parallelism parallelism)
    : config_(config),
      task_(tasks::make_task(config.task, config.seed)),
      batches_(config.seed + 1) {
    validate(config_);
    manual_seed(config.seed);  // the initial weights, and dropout's masks after them
    model_ = std::make_unique<SequenceModel>(model_options(config_, task_->spec()));
    optimizer_ = make_optimizer(config_.hyper.optimizer, model_->parameters(), config_.hyper.lr);
    scheduler_ = make_scheduler(config_.scheduler, *optimizer_, config_.hyper.steps);
    if (parallelism == Parallelism::automatic && distributed::is_initialized() &&
        distributed::world_size() > 1) {
        world_size_ = distributed::world_size();
        rank_ = distributed::rank();
        shard_rows(config_.hyper.batch_size, rank_, world_size_);  // errors if too small
        data_parallel_ = std::make_unique<distributed::DistributedDataParallel>(*model_);
    }
}

Trainer::~Trainer() = default;

double Trainer::step() {
    auto start = std::chrono::steady_clock::now();
    model_->train();
    tasks::Batch batch = task_->train_batch(config_.hyper.batch_size, batches_);
    optimizer_->zero_grad();
    Tensor loss = shard_loss(batch);
    loss.backward();
    const double value = global_loss(loss.item<double>());
    const double grad_norm = clip_gradients();
    if (std::isfinite(value) && std::isfinite(grad_norm)) {
        optimizer_->step();
        loss_sum_ += value;
        ++loss_count_;
    } else {
        refuse_step(value, grad_norm);
    }
    if (scheduler_) scheduler_->step();
    ++step_;
    seconds_ += std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
    return value;
}

Tensor Trainer::shard_loss(const tasks::Batch& global) {
    if (!data_parallel_) return task_->loss(model_->forward(global.inputs), global);
    BatchShard shard = shard_of(global, task_->spec(), rank_, world_size_);
    shard_weight_ = shard.weight;
    data_parallel_->set_sample_count(shard.weight);
    return task_->loss(model_->forward(shard.batch.inputs), shard.batch);
}

// sum_r w_r loss_r / sum_r w_r, the same number on every rank, so that every rank takes the
// same decision on a non-finite loss.
double Trainer::global_loss(double shard_loss) const {
    if (!data_parallel_) return shard_loss;
    const double weight = static_cast<double>(shard_weight_);
    // A shard with nothing scored has a NaN mean: it adds nothing.
    Tensor sums = tensor({weight > 0 ? shard_loss * weight : 0.0, weight}, float64);
    distributed::all_reduce(sums);
    const auto values = sums.to_vector<double>();
    return values[1] > 0 ? values[0] / values[1] : std::numeric_limits<double>::quiet_NaN();
}

double Trainer::clip_gradients() {
    // The norm is computed even without clipping: it is the one check that sees a NaN or an
    // infinity in any gradient, for under 0.2% of a step's time (docs/cli.md, --nonfinite).
    const std::vector<Tensor> parameters = model_->parameters();
    std::vector<Tensor> grads;
    for (const Tensor& p : parameters) {
        if (p.grad().defined()) grads.push_back(p.grad());
    }
    const double norm = optim::get_total_norm(grads);
    if (config_.hyper.clip > 0.0 && std::isfinite(norm)) {
        optim::clip_grads_with_norm_(parameters, config_.hyper.clip, norm);
    }
    return norm;
}

void Trainer::refuse_step(double loss, double grad_norm) {
    optimizer_->zero_grad();
    if (config_.nonfinite == "skip") return;
    const bool bad_loss = !std::isfinite(loss);
    throw NonFiniteError(fmt::format(
        "step {}: the {} is {}; the step was not applied (nonfinite = \"stop\"; a lower lr, "
        "gradient clipping, or nonfinite = \"skip\" may help)",
        step_ + 1, bad_loss ? "loss" : "gradient norm", bad_loss ? loss : grad_norm));
}

Evaluation Trainer::evaluate() {
    NoGradGuard no_grad;
    model_->eval();
    const tasks::Batch& test = task_->test_set();
    Tensor prediction = model_->forward(test.inputs);
    Evaluation e;
    e.step = step_;
    // Steps since the previous evaluation that did not count towards the loss were skipped.
    const std::int64_t since = step_ - (history_.empty() ? 0 : history_.back().step);
    e.skipped_steps = std::max<std::int64_t>(since - loss_count_, 0);
    // NaN when no step counts: at step 0, or when every step since was skipped.
    e.train_loss = loss_count_ > 0 ? loss_sum_ / static_cast<double>(loss_count_)
                                   : std::numeric_limits<double>::quiet_NaN();
    e.test_loss = task_->loss(prediction, test).item<double>();
    e.metric = task_->evaluate(prediction, test);
    e.solved = task_->solved(e.metric);
    e.seconds = seconds_;
    model_->train();
    loss_sum_ = 0.0;
    loss_count_ = 0;
    history_.push_back(e);
    return e;
}

}  // namespace lucid::training
