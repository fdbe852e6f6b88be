#include "lucidpp/train/checkpoint.hpp"

#include "lucidpp/io/atomic_file.hpp"
#include "lucidpp/io/json_fields.hpp"
#include "lucidpp/io/serialize.hpp"
#include "lucidpp/optim/lr_scheduler.hpp"

namespace lucid::training {

using json = nlohmann::json;
using ordered_json = nlohmann::ordered_json;

namespace {

constexpr const char* checkpoint_format = "lucidpp.checkpoint";
constexpr int checkpoint_version = 1;

// Losses and times may be NaN or infinite (a diverged run); io::float_to_json keeps them.
ordered_json evaluation_to_json(const Evaluation& e) {
    return {{"step", e.step},
            {"train_loss", io::float_to_json(e.train_loss)},
            {"test_loss", io::float_to_json(e.test_loss)},
            {"metric", io::float_to_json(e.metric)},
            {"solved", e.solved},
            {"seconds", io::float_to_json(e.seconds)},
            {"skipped_steps", e.skipped_steps}};
}

Evaluation evaluation_from_json(const io::JsonField& e, std::int64_t last_step) {
    return {e["step"].integer(0, last_step), e["train_loss"].number(),
            e["test_loss"].number(),         e["metric"].number(),
            e["solved"].boolean(),           e["seconds"].number(),
            // absent in checkpoints written before --nonfinite
            e.has("skipped_steps") ? e["skipped_steps"].integer(0, last_step) : 0};
}

void check_format(const io::JsonField& checkpoint) {
    const bool ours = checkpoint.json().is_object() && checkpoint.has("format") &&
                      checkpoint["format"].json() == checkpoint_format;
    if (!ours) {
        checkpoint.fail(
            fmt::format("not a lucidpp checkpoint (expected format \"{}\")", checkpoint_format));
    }
    const io::JsonField version = checkpoint["version"];
    if (version.integer() != checkpoint_version) {
        version.fail(fmt::format("unsupported version {} (this build reads version {})",
                                 version.shown(), checkpoint_version));
    }
}

// Every parameter of a SequenceModel gets a gradient at every step, so from the first step on
// the optimizer holds state for each: a checkpoint without it would silently restart Adam's
// moments.
void check_optimizer_state(const io::JsonField& optimizer, std::int64_t step,
                           std::size_t parameters) {
    if (step == 0) return;
    const io::JsonField state = optimizer["state"];
    for (std::size_t i = 0; i < parameters; ++i) {
        if (!state.has(std::to_string(i))) {
            state.fail(fmt::format("parameter {} has no state, but the checkpoint is at step {}", i,
                                   step));
        }
    }
}

// What a checkpoint holds besides the model, optimizer and scheduler, read and checked.
struct Progress {
    std::int64_t step = 0, loss_count = 0;
    double loss_sum = 0.0, seconds = 0.0;
    std::string batches_state, default_state;
    std::vector<Evaluation> history;
};

Progress progress_from_json(const io::JsonField& checkpoint, const TrainConfig& saved) {
    Progress p;
    p.step = checkpoint["step"].integer(0, saved.hyper.steps);
    checkpoint["epoch"].integer(0, p.step);
    p.loss_sum = checkpoint["loss_sum"].number();
    p.loss_count = checkpoint["loss_count"].integer(0, p.step);
    p.seconds = checkpoint["seconds"].finite_number(0.0);
    for (const char* stream : {"batches", "default"}) {
        const io::JsonField state = checkpoint["rng"][stream];
        std::string& text = stream[0] == 'b' ? p.batches_state : p.default_state;
        text = state.string();
        state.reading([&] { Generator().set_state(text); });
    }
    for (const io::JsonField& e : checkpoint["history"].elements()) {
        p.history.push_back(evaluation_from_json(e, p.step));
    }
    return p;
}

}  // namespace

ordered_json Trainer::checkpoint() const {
    ordered_json history = ordered_json::array();
    for (const Evaluation& e : history_) history.push_back(evaluation_to_json(e));
    return {{"format", checkpoint_format},
            {"version", checkpoint_version},
            {"config", to_json(config_)},
            {"step", step_},
            {"epoch", step_ / config_.hyper.eval_every},
            {"model", io::state_dict_to_json(model_->state_dict())},
            {"optimizer", optimizer_->state_dict()},
            {"scheduler", scheduler_ ? json(scheduler_->state_dict()) : json(nullptr)},
            {"rng", {{"batches", batches_.state()}, {"default", default_generator().state()}}},
            {"loss_sum", io::float_to_json(loss_sum_)},
            {"loss_count", loss_count_},
            {"seconds", io::float_to_json(seconds_)},
            {"history", history}};
}

void Trainer::restore(const json& document, const std::string& file) {
    // Read and check everything before touching anything.
    const io::JsonField checkpoint(document, file);
    check_format(checkpoint);
    const TrainConfig saved = config_from_json(checkpoint["config"], config_);
    Progress progress = progress_from_json(checkpoint, saved);
    const nn::StateDict weights = io::state_dict_from_json(checkpoint["model"]);
    const io::JsonField optimizer = checkpoint["optimizer"];
    check_optimizer_state(optimizer, progress.step, model_->parameters().size());
    // Steps, clipping and evaluation may change on resume; what shapes the model, the optimizer
    // state (which holds the lr) or the random streams may not, nor the step count when a
    // scheduler's schedule depends on it.
    std::vector<const char*> fixed{"task",    "seed",      "model", "hidden",    "layers",
                                   "dropout", "optimizer", "lr",    "scheduler", "batch_size"};
    if (config_.scheduler != "none") fixed.push_back("steps");
    const ordered_json saved_json = to_json(saved), current_json = to_json(config_);
    for (const char* key : fixed) {
        if (saved_json[key] != current_json[key]) {
            checkpoint["config"][key].fail(
                fmt::format("it was written with {} = {}, but this run has {} = {}", key,
                            saved_json[key].dump(), key, current_json[key].dump()));
        }
    }

    // Model, optimizer and scheduler each load all-or-nothing; undo the earlier ones if a
    // later one refuses.
    nn::StateDict model_before;
    for (auto& [name, tensor] : model_->state_dict())
        model_before.emplace_back(name, tensor.clone());
    json optimizer_before = optimizer_->state_dict();
    checkpoint["model"].reading([&] { model_->load_state_dict(weights); });
    try {
        optimizer.reading([&] { optimizer_->load_state_dict(optimizer.json()); });
        const io::JsonField scheduler = checkpoint["scheduler"];
        if (scheduler_) scheduler.reading([&] { scheduler_->load_state_dict(scheduler.json()); });
    } catch (...) {
        model_->load_state_dict(model_before);
        optimizer_->load_state_dict(optimizer_before);
        throw;
    }
    batches_.set_state(progress.batches_state);
    {
        std::lock_guard lock(default_generator().mutex());
        default_generator().set_state(progress.default_state);
    }
    step_ = progress.step;
    loss_sum_ = progress.loss_sum;
    loss_count_ = progress.loss_count;
    seconds_ = progress.seconds;
    history_ = std::move(progress.history);
}

void save_checkpoint(const Trainer& trainer, const std::string& path) {
    io::write_file_atomically(path, trainer.checkpoint().dump());
}

json read_checkpoint(const std::string& path) {
    json checkpoint = io::parse_json(io::read_file(path), path);
    check_format(io::JsonField(checkpoint, path));
    return checkpoint;
}

}  // namespace lucid::training
