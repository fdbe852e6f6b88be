#include "lucidpp/train/fit_loop.hpp"

#include <spdlog/spdlog.h>

#include <chrono>
#include <filesystem>

#include "lucidpp/data/distributed_sampler.hpp"
#include "lucidpp/distributed/collectives.hpp"
#include "lucidpp/distributed/distributed_data_parallel.hpp"
#include "lucidpp/distributed/process_group.hpp"
#include "lucidpp/io/json_fields.hpp"
#include "lucidpp/io/serialize.hpp"
#include "lucidpp/optim/clip_grad.hpp"
#include "lucidpp/tensor/creation.hpp"
#include "lucidpp/tensor/error.hpp"
#include "lucidpp/train/model_checkpoint.hpp"
#include "lucidpp/train/svg_plot.hpp"

namespace lucid::training {

namespace {

// The loader's random stream as it was when the epoch in progress drew its order.
constexpr const char* loader_stream = "loader_rng";

std::int64_t total_steps(const FitOptions& options, std::int64_t batches_per_epoch) {
    const std::int64_t all = options.epochs * batches_per_epoch;
    return options.max_steps > 0 ? std::min(all, options.max_steps) : all;
}

nlohmann::ordered_json record_to_state(const FitRecord& r) {
    return {{"step", r.step},
            {"epoch", r.epoch},
            {"train_loss", io::float_to_json(r.train_loss)},
            {"validation_loss", io::float_to_json(r.validation_loss)},
            {"lr", io::float_to_json(r.lr)},
            {"seconds", io::float_to_json(r.seconds)}};
}

FitRecord record_from_state(const io::JsonField& r) {
    return {r["step"].integer(0),          r["epoch"].integer(0), r["train_loss"].number(),
            r["validation_loss"].number(), r["lr"].number(),      r["seconds"].number()};
}

std::string fit_plot_svg(const FitOptions& options, const std::vector<FitRecord>& records,
                         bool has_validation) {
    PlotSeries train{"train", "#1f77b4", {}, {}};
    PlotSeries validation{"validation", "#ff7f0e", {}, {}};
    for (const FitRecord& r : records) {
        train.x.push_back(static_cast<double>(r.step));
        train.y.push_back(r.train_loss);
        validation.x.push_back(static_cast<double>(r.step));
        validation.y.push_back(r.validation_loss);
    }
    PlotPanel loss{"loss",
                   options.loss_unit.empty() ? "loss" : fmt::format("loss ({})", options.loss_unit),
                   {train},
                   {}};
    if (has_validation) loss.series.push_back(validation);
    return render_svg_plot(options.title, "step", {loss});
}

}  // namespace

nlohmann::ordered_json record_json(const FitRecord& r, bool has_validation) {
    nlohmann::ordered_json line = {
        {"step", r.step}, {"epoch", r.epoch}, {"train_loss", io::float_to_json(r.train_loss)}};
    if (has_validation) line["validation_loss"] = io::float_to_json(r.validation_loss);
    line["lr"] = io::float_to_json(r.lr);
    line["seconds"] = r.seconds;
    return line;
}

FitLoop::FitLoop(nn::Module& model, optim::Optimizer& optimizer, FitOptions options,
                 std::int64_t batches_per_epoch, bool has_validation)
    : model_(model),
      optimizer_(optimizer),
      options_(std::move(options)),
      batches_per_epoch_(batches_per_epoch),
      has_validation_(has_validation) {
    if (distributed::is_initialized() && distributed::rank() != 0) options_.main_process = false;
    check(options_.epochs >= 0, "fit: epochs must be >= 0, got {}", options_.epochs);
    check(options_.max_steps >= 0, "fit: max_steps must be >= 0, got {}", options_.max_steps);
    check(options_.eval_every >= 0, "fit: eval_every must be >= 0, got {}", options_.eval_every);
    check(batches_per_epoch_ > 0 || options_.epochs == 0,
          "fit: the loader gives no batches (a dataset smaller than batch_size with drop_last?)");
    check(!options_.resume || !options_.run_folder.empty(),
          "fit: resume needs a run_folder to resume from");
    if (!options_.run_folder.empty()) {
        const std::string checkpoint = RunFolder::checkpoint_path_in(options_.run_folder);
        if (options_.resume && std::filesystem::exists(checkpoint)) resume_from(checkpoint);
        if (options_.main_process) folder_.emplace(options_.run_folder);
        // A resumed run's metrics.jsonl starts again from the checkpoint's records.
        if (folder_) {
            std::vector<nlohmann::ordered_json> lines;
            for (const FitRecord& r : records_) lines.push_back(record_json(r, has_validation_));
            MetricsLog(folder_->metrics_path()).rewrite(lines);
        }
    }
    if (options_.generator != nullptr && !resumed_epoch_) {
        epoch_start_rng_ = options_.generator->state();
    }
    if (distributed::is_initialized() && distributed::world_size() > 1) {
        // After a resume, which every rank made from the same checkpoint.
        data_parallel_ = std::make_unique<distributed::DistributedDataParallel>(model_);
    }
    if (options_.progress && options_.main_process) {
        bar_ = std::make_unique<ProgressBar>(total_steps(options_, batches_per_epoch_), step_);
    }
}

FitLoop::~FitLoop() = default;

bool FitLoop::finished() const {
    if (options_.max_steps > 0 && step_ >= options_.max_steps) return true;
    return epoch_ >= options_.epochs;
}

void FitLoop::begin_epoch() {
    clock_mark_ = std::chrono::steady_clock::now();
    if (options_.generator == nullptr) return;
    if (resumed_epoch_) {
        options_.generator->set_state(epoch_start_rng_);
        resumed_epoch_ = false;
        return;
    }
    epoch_start_rng_ = options_.generator->state();
}

double FitLoop::train_step(Tensor loss) {
    const double lr = current_lr();
    optimizer_.zero_grad();
    loss.backward();
    if (options_.after_backward) options_.after_backward();
    if (options_.clip_grad_norm > 0.0) {
        optim::clip_grad_norm_(model_.parameters(), options_.clip_grad_norm);
    }
    optimizer_.step();
    if (options_.scheduler != nullptr) options_.scheduler->step();
    const double value = loss.item<double>();
    ++step_;
    ++batch_in_epoch_;
    loss_sum_ += value;
    ++loss_count_;
    // The time since the previous step (or evaluation, or the epoch's start): the batch's
    // loading and forward pass count, the evaluations and file writes do not.
    const auto now = std::chrono::steady_clock::now();
    seconds_ += std::chrono::duration<double>(now - clock_mark_).count();
    clock_mark_ = now;
    if (bar_) bar_->update(step_, value);
    if (options_.on_step) options_.on_step({step_, epoch_, batch_in_epoch_, value, lr});
    return value;
}

void FitLoop::end_epoch() {
    ++epoch_;
    batch_in_epoch_ = 0;
}

bool FitLoop::evaluation_due() const {
    const bool last_batch = batch_in_epoch_ == batches_per_epoch_;
    if (finished() || (last_batch && epoch_ + 1 >= options_.epochs)) return true;
    if (options_.eval_every > 0) return step_ % options_.eval_every == 0;
    return last_batch;
}

void FitLoop::record(double validation_loss) {
    FitRecord r;
    r.step = step_;
    r.epoch = epoch_;
    if (loss_count_ > 0) r.train_loss = loss_sum_ / static_cast<double>(loss_count_);
    r.validation_loss = validation_loss;
    if (data_parallel_) average_over_ranks(r);
    r.lr = current_lr();
    r.seconds = seconds_;
    records_.push_back(r);
    loss_sum_ = 0.0;
    loss_count_ = 0;
    write_files();
    clock_mark_ = std::chrono::steady_clock::now();
    if (bar_ && has_validation_) bar_->set_metric("val_loss", validation_loss);
    if (bar_ && !bar_->live()) {
        spdlog::info("step {}  epoch {}  train_loss {:.4g}{}", r.step, r.epoch, r.train_loss,
                     has_validation_ ? fmt::format("  validation_loss {:.4g}", validation_loss)
                                     : std::string());
    }
}

// Every rank's shard has as many examples (data::DistributedSampler), so the mean of the
// ranks' means is the mean over all of them.
void FitLoop::average_over_ranks(FitRecord& record) const {
    Tensor losses = tensor({record.train_loss, record.validation_loss}, float64);
    distributed::all_reduce(losses, distributed::ReduceOp::avg);
    record.train_loss = losses.to_vector<double>()[0];
    record.validation_loss = losses.to_vector<double>()[1];
}

void FitLoop::check_sampler(const data::Sampler& sampler) const {
    if (!data_parallel_ || dynamic_cast<const data::DistributedSampler*>(&sampler) != nullptr) {
        return;
    }
    throw Error(fmt::format(
        "fit: training on {} ranks needs a loader that reads one shard per rank (sampler = a "
        "data::DistributedSampler); with this one every rank would train on the whole dataset",
        distributed::world_size()));
}

FitHistory FitLoop::history() const {
    if (bar_) bar_->finish();
    return {records_, step_, epoch_, seconds_};
}

double FitLoop::current_lr() const {
    return optimizer_.param_groups().empty() ? 0.0 : optimizer_.param_groups().front().lr;
}

nlohmann::json FitLoop::state_json() const {
    nlohmann::ordered_json records = nlohmann::ordered_json::array();
    for (const FitRecord& r : records_) records.push_back(record_to_state(r));
    nlohmann::json fit = {{"records", records},
                          {"seconds", io::float_to_json(seconds_)},
                          {"loss_sum", io::float_to_json(loss_sum_)},
                          {"loss_count", loss_count_}};
    if (options_.generator != nullptr) fit[loader_stream] = epoch_start_rng_;
    return {{"fit", fit}};
}

// The checkpoint first: metrics.jsonl and loss.svg never get ahead of it.
void FitLoop::write_files() const {
    if (!folder_) return;
    const TrainingState state{step_, epoch_, batch_in_epoch_, {}, state_json()};
    save_checkpoint(folder_->checkpoint_path(), model_, optimizer_, options_.scheduler, state);
    MetricsLog(folder_->metrics_path()).append(record_json(records_.back(), has_validation_));
    folder_->write("loss.svg", fit_plot_svg(options_, records_, has_validation_));
}

void FitLoop::resume_from(const std::string& path) {
    // fit's own part of the checkpoint is read while load_checkpoint checks the file, before
    // it loads anything.
    std::vector<FitRecord> records;
    double seconds = 0.0, loss_sum = 0.0;
    std::int64_t loss_count = 0;
    std::string loader_rng;
    const auto read_fit_state = [&](const io::JsonField& extra) {
        const io::JsonField fit = extra["fit"];
        for (const io::JsonField& r : fit["records"].elements()) {
            records.push_back(record_from_state(r));
        }
        seconds = fit["seconds"].finite_number(0.0);
        loss_sum = fit["loss_sum"].number();
        loss_count = fit["loss_count"].integer(0);
        if (options_.generator != nullptr) {
            const io::JsonField rng = fit[loader_stream];
            loader_rng = rng.string();
            rng.reading([&] { Generator().set_state(loader_rng); });
        }
    };
    const TrainingState state =
        load_checkpoint(path, model_, optimizer_, options_.scheduler, read_fit_state);
    records_ = std::move(records);
    seconds_ = seconds;
    loss_sum_ = loss_sum;
    loss_count_ = loss_count;
    step_ = state.step;
    epoch_ = state.epoch;
    batch_in_epoch_ = state.batch_in_epoch;
    if (options_.generator != nullptr) {
        epoch_start_rng_ = loader_rng;
        resumed_epoch_ = true;
    }
}

}  // namespace lucid::training
