#include "lucidpp/train/checkpoint.hpp"

#include "lucidpp/io/atomic_file.hpp"
#include "lucidpp/io/serialize.hpp"
#include "lucidpp/optim/lr_scheduler.hpp"

namespace lucid::training {

using json = nlohmann::json;
using ordered_json = nlohmann::ordered_json;

namespace {

constexpr const char* checkpoint_format = "lucidpp.checkpoint";
constexpr int checkpoint_version = 1;

ordered_json evaluation_to_json(const Evaluation& e) {
    return {{"step", e.step},
            {"train_loss", e.train_loss},
            {"test_loss", e.test_loss},
            {"metric", e.metric},
            {"solved", e.solved},
            {"seconds", e.seconds},
            {"skipped_steps", e.skipped_steps}};
}

Evaluation evaluation_from_json(const json& j) {
    return {j.at("step").get<std::int64_t>(),
            j.at("train_loss").get<double>(),
            j.at("test_loss").get<double>(),
            j.at("metric").get<double>(),
            j.at("solved").get<bool>(),
            j.at("seconds").get<double>(),
            j.value("skipped_steps", std::int64_t{0})};  // absent before --nonfinite
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
            {"loss_sum", loss_sum_},
            {"loss_count", loss_count_},
            {"seconds", seconds_},
            {"history", history}};
}

void Trainer::restore(const json& checkpoint) {
    check(checkpoint.is_object() && checkpoint.value("format", "") == checkpoint_format,
          "checkpoint: not a lucidpp checkpoint (expected format \"{}\")", checkpoint_format);
    check(checkpoint.value("version", 0) == checkpoint_version,
          "checkpoint: unsupported version {} (this build reads version {})",
          checkpoint.value("version", 0), checkpoint_version);
    // Parse everything before touching anything.
    TrainConfig saved;
    std::int64_t step = 0, loss_count = 0;
    double loss_sum = 0.0, seconds = 0.0;
    std::string batches_state, default_state;
    std::vector<Evaluation> history;
    nn::StateDict weights;
    try {
        saved = config_from_json(checkpoint.at("config"), config_);
        step = checkpoint.at("step").get<std::int64_t>();
        loss_sum = checkpoint.at("loss_sum").get<double>();
        loss_count = checkpoint.at("loss_count").get<std::int64_t>();
        seconds = checkpoint.at("seconds").get<double>();
        batches_state = checkpoint.at("rng").at("batches").get<std::string>();
        default_state = checkpoint.at("rng").at("default").get<std::string>();
        for (const json& e : checkpoint.at("history")) history.push_back(evaluation_from_json(e));
        weights = io::state_dict_from_json(checkpoint.at("model"));
    } catch (const json::exception& error) {
        throw Error(fmt::format("checkpoint: missing or malformed field ({})", error.what()));
    }
    // Steps, clipping and evaluation may change on resume; what shapes the model, the optimizer
    // state (which holds the lr) or the random streams may not, nor the step count when a
    // scheduler's schedule depends on it.
    std::vector<const char*> fixed{"task",    "seed",      "model", "hidden",    "layers",
                                   "dropout", "optimizer", "lr",    "scheduler", "batch_size"};
    if (config_.scheduler != "none") fixed.push_back("steps");
    for (const char* key : fixed) {
        check(to_json(saved)[key] == to_json(config_)[key],
              "checkpoint: it was written with {} = {}, but this run has {} = {}", key,
              to_json(saved)[key].dump(), key, to_json(config_)[key].dump());
    }
    Generator probe;
    probe.set_state(batches_state);
    probe.set_state(default_state);

    // Model, optimizer and scheduler each load all-or-nothing; undo the earlier ones if a
    // later one refuses.
    nn::StateDict model_before;
    for (auto& [name, tensor] : model_->state_dict())
        model_before.emplace_back(name, tensor.clone());
    json optimizer_before = optimizer_->state_dict();
    model_->load_state_dict(weights);
    try {
        optimizer_->load_state_dict(checkpoint.at("optimizer"));
        if (scheduler_) scheduler_->load_state_dict(checkpoint.at("scheduler"));
    } catch (...) {
        model_->load_state_dict(model_before);
        optimizer_->load_state_dict(optimizer_before);
        throw;
    }
    batches_.set_state(batches_state);
    {
        std::lock_guard lock(default_generator().mutex());
        default_generator().set_state(default_state);
    }
    step_ = step;
    loss_sum_ = loss_sum;
    loss_count_ = loss_count;
    seconds_ = seconds;
    history_ = std::move(history);
}

void save_checkpoint(const Trainer& trainer, const std::string& path) {
    io::write_file_atomically(path, trainer.checkpoint().dump());
}

json read_checkpoint(const std::string& path) {
    std::string text = io::read_file(path);
    json checkpoint;
    try {
        checkpoint = json::parse(text);
    } catch (const json::parse_error& error) {
        throw Error(
            fmt::format("checkpoint {} is truncated or not valid JSON: {}", path, error.what()));
    }
    check(checkpoint.is_object() && checkpoint.value("format", "") == checkpoint_format,
          "{} is not a lucidpp checkpoint (expected format \"{}\")", path, checkpoint_format);
    return checkpoint;
}

}  // namespace lucid::training
