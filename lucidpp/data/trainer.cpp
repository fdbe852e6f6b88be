#include "lucidpp/data/trainer.hpp"

#include <chrono>

#include "lucidpp/autograd/grad_mode.hpp"
#include "lucidpp/io/atomic_file.hpp"
#include "lucidpp/io/serialize.hpp"
#include "lucidpp/optim/adam.hpp"
#include "lucidpp/optim/adamw.hpp"
#include "lucidpp/optim/clip_grad.hpp"
#include "lucidpp/optim/lr_scheduler.hpp"
#include "lucidpp/optim/schedulers.hpp"
#include "lucidpp/optim/sgd.hpp"

namespace lucid::data {

using json = nlohmann::json;
using ordered_json = nlohmann::ordered_json;

namespace {

constexpr const char* checkpoint_format = "lucidpp.checkpoint";
constexpr int checkpoint_version = 1;

std::unique_ptr<optim::Optimizer> make_optimizer(const std::string& name,
                                                 std::vector<Tensor> params, double lr) {
    if (name == "sgd") return std::make_unique<optim::SGD>(std::move(params), optim::SGDOptions{.lr = lr});
    if (name == "adam") return std::make_unique<optim::Adam>(std::move(params), optim::AdamOptions{.lr = lr});
    if (name == "adamw") return std::make_unique<optim::AdamW>(std::move(params), optim::AdamWOptions{.lr = lr});
    throw Error(fmt::format("unknown optimizer '{}'; choose sgd, adam or adamw", name));
}

std::unique_ptr<optim::LRScheduler> make_scheduler(const std::string& name, optim::Optimizer& optimizer,
                                                   std::int64_t steps) {
    if (name == "none") return nullptr;
    if (name == "cosine") return std::make_unique<optim::CosineAnnealingLR>(optimizer, steps);
    if (name == "step") {
        return std::make_unique<optim::StepLR>(optimizer, std::max<std::int64_t>(steps / 3, 1), 0.1);
    }
    throw Error(fmt::format("unknown scheduler '{}'; choose none, cosine or step", name));
}

SequenceModelOptions model_options(const TrainConfig& config, const TaskSpec& spec) {
    const Hyperparameters& h = config.hyper;
    return {h.model, spec.input_size, h.hidden, h.layers, h.dropout, spec.output_size, spec.readout};
}

void validate(const TrainConfig& c) {
    const Hyperparameters& h = c.hyper;
    check(h.model == "rnn" || h.model == "gru" || h.model == "lstm",
          "config: model must be rnn, gru or lstm, got '{}'", h.model);
    check(h.hidden > 0, "config: hidden must be positive, got {}", h.hidden);
    check(h.layers > 0, "config: layers must be positive, got {}", h.layers);
    check(h.dropout >= 0.0 && h.dropout < 1.0, "config: dropout must be in [0, 1), got {}", h.dropout);
    check(h.lr > 0.0, "config: lr must be positive, got {}", h.lr);
    check(h.clip >= 0.0, "config: clip must be >= 0 (0 disables clipping), got {}", h.clip);
    check(h.steps > 0, "config: steps must be positive, got {}", h.steps);
    check(h.batch_size > 0, "config: batch_size must be positive, got {}", h.batch_size);
    check(h.eval_every > 0, "config: eval_every must be positive, got {}", h.eval_every);
}

ordered_json evaluation_to_json(const Evaluation& e) {
    return {{"step", e.step}, {"train_loss", e.train_loss}, {"test_loss", e.test_loss},
            {"metric", e.metric}, {"solved", e.solved}, {"seconds", e.seconds}};
}

Evaluation evaluation_from_json(const json& j) {
    return {j.at("step").get<std::int64_t>(), j.at("train_loss").get<double>(),
            j.at("test_loss").get<double>(), j.at("metric").get<double>(), j.at("solved").get<bool>(),
            j.at("seconds").get<double>()};
}

}  // namespace

TrainConfig TrainConfig::defaults_for(const std::string& task) {
    TrainConfig config;
    config.task = task;
    config.hyper = make_task(task)->defaults();
    return config;
}

ordered_json to_json(const TrainConfig& c) {
    const Hyperparameters& h = c.hyper;
    return {{"task", c.task}, {"seed", c.seed}, {"model", h.model}, {"hidden", h.hidden},
            {"layers", h.layers}, {"dropout", h.dropout}, {"optimizer", h.optimizer},
            {"lr", h.lr}, {"clip", h.clip}, {"steps", h.steps}, {"batch_size", h.batch_size},
            {"eval_every", h.eval_every}, {"scheduler", c.scheduler},
            {"stop_when_solved", c.stop_when_solved}};
}

TrainConfig config_from_json(const json& j, const TrainConfig& base) {
    check(j.is_object(), "config: expected a JSON object, got {}", j.type_name());
    TrainConfig c = base;
    Hyperparameters& h = c.hyper;
    for (const auto& [key, value] : j.items()) {
        try {
            if (key == "task") c.task = value.get<std::string>();
            else if (key == "seed") c.seed = value.get<std::uint64_t>();
            else if (key == "model") h.model = value.get<std::string>();
            else if (key == "hidden") h.hidden = value.get<std::int64_t>();
            else if (key == "layers") h.layers = value.get<std::int64_t>();
            else if (key == "dropout") h.dropout = value.get<double>();
            else if (key == "optimizer") h.optimizer = value.get<std::string>();
            else if (key == "lr") h.lr = value.get<double>();
            else if (key == "clip") h.clip = value.get<double>();
            else if (key == "steps") h.steps = value.get<std::int64_t>();
            else if (key == "batch_size") h.batch_size = value.get<std::int64_t>();
            else if (key == "eval_every") h.eval_every = value.get<std::int64_t>();
            else if (key == "scheduler") c.scheduler = value.get<std::string>();
            else if (key == "stop_when_solved") c.stop_when_solved = value.get<bool>();
            else throw Error(fmt::format("config: unknown key '{}'", key));
        } catch (const json::exception&) {
            throw Error(fmt::format("config: '{}' has the wrong type ({})", key, value.type_name()));
        }
    }
    validate(c);
    return c;
}

Trainer::Trainer(const TrainConfig& config)
    : config_(config), task_(make_task(config.task, config.seed)), batches_(config.seed + 1) {
    validate(config_);
    manual_seed(config.seed);  // the initial weights, and dropout's masks after them
    model_ = std::make_unique<SequenceModel>(model_options(config_, task_->spec()));
    optimizer_ = make_optimizer(config_.hyper.optimizer, model_->parameters(), config_.hyper.lr);
    scheduler_ = make_scheduler(config_.scheduler, *optimizer_, config_.hyper.steps);
}

Trainer::~Trainer() = default;

double Trainer::step() {
    auto start = std::chrono::steady_clock::now();
    model_->train();
    Batch batch = task_->train_batch(config_.hyper.batch_size, batches_);
    Tensor loss = task_->loss(model_->forward(batch.inputs), batch);
    optimizer_->zero_grad();
    loss.backward();
    if (config_.hyper.clip > 0.0) optim::clip_grad_norm_(model_->parameters(), config_.hyper.clip);
    optimizer_->step();
    if (scheduler_) scheduler_->step();
    ++step_;
    const double value = loss.item<double>();
    loss_sum_ += value;
    ++loss_count_;
    seconds_ += std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
    return value;
}

Evaluation Trainer::evaluate() {
    NoGradGuard no_grad;
    model_->eval();
    const Batch& test = task_->test_set();
    Tensor prediction = model_->forward(test.inputs);
    Evaluation e;
    e.step = step_;
    e.train_loss = loss_count_ > 0 ? loss_sum_ / static_cast<double>(loss_count_) : 0.0;
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
    std::vector<const char*> fixed{"task", "seed", "model", "hidden", "layers", "dropout",
                                   "optimizer", "lr", "scheduler", "batch_size"};
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
    for (auto& [name, tensor] : model_->state_dict()) model_before.emplace_back(name, tensor.clone());
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
        throw Error(fmt::format("checkpoint {} is truncated or not valid JSON: {}", path, error.what()));
    }
    check(checkpoint.is_object() && checkpoint.value("format", "") == checkpoint_format,
          "{} is not a lucidpp checkpoint (expected format \"{}\")", path, checkpoint_format);
    return checkpoint;
}

}  // namespace lucid::data
