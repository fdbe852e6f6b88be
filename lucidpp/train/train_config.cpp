#include "lucidpp/train/train_config.hpp"

#include <algorithm>
#include <initializer_list>

#include <fmt/ranges.h>

#include "lucidpp/tasks/registry.hpp"
#include "lucidpp/tensor/error.hpp"

namespace lucid::training {

using json = nlohmann::json;
using ordered_json = nlohmann::ordered_json;

TrainConfig TrainConfig::defaults_for(const std::string& task) {
    TrainConfig config;
    config.task = task;
    config.hyper = tasks::make_task(task)->defaults();
    return config;
}

namespace {

// ---- The rules of each key -------------------------------------------------------------------

void expect_type(const io::JsonField& value, const std::string& key, bool ok, const char* what) {
    if (!ok) {
        value.fail(
            fmt::format("'{}' has the wrong type: expected {}, got {}", key, what, value.shown()));
    }
}

// A size or count: an exact integer in [1, max].
std::int64_t count(const io::JsonField& value, const std::string& key, std::int64_t max) {
    expect_type(value, key, value.json().is_number(), "an integer");
    return value.integer(1, max);
}

template <class Ok>
double number(const io::JsonField& value, const std::string& key, Ok ok, const char* rule) {
    expect_type(value, key, value.json().is_number(), "a number");
    const double x = value.finite_number();
    if (!ok(x)) value.fail(fmt::format("{} must be {}, got {}", key, rule, value.shown()));
    return x;
}

std::string choice(const io::JsonField& value, const std::string& key,
                   std::initializer_list<const char*> choices) {
    expect_type(value, key, value.json().is_string(), "a string");
    std::string name = value.string();
    if (std::find(choices.begin(), choices.end(), name) == choices.end()) {
        const std::vector<std::string> names(choices.begin(), choices.end());
        value.fail(fmt::format("{} must be {} or {}, got '{}'", key,
                               fmt::join(names.begin(), names.end() - 1, ", "), names.back(),
                               name));
    }
    return name;
}

std::string task_name(const io::JsonField& value) {
    expect_type(value, "task", value.json().is_string(), "a string");
    std::string name = value.string();
    const std::vector<std::string> names = tasks::task_names();
    if (std::find(names.begin(), names.end(), name) == names.end()) {
        value.fail(
            fmt::format("unknown task '{}'; the tasks are: {}", name, fmt::join(names, ", ")));
    }
    return name;
}

// ---- The size of the model -------------------------------------------------------------------

std::int64_t gate_count(const std::string& model) {
    if (model == "lstm") return 4;
    if (model == "gru") return 3;
    return 1;
}

// The per-key limits keep every product below far from overflowing int64 (at most 2^47).
void check_model_size(const TrainConfig& c, const std::string& file) {
    const tasks::Hyperparameters& h = c.hyper;
    const tasks::TaskSpec spec = tasks::make_task(c.task)->spec();
    const std::int64_t gates = gate_count(h.model);
    std::int64_t parameters = h.hidden * spec.output_size + spec.output_size;  // the head
    for (std::int64_t layer = 0; layer < h.layers; ++layer) {
        const std::int64_t input = layer == 0 ? spec.input_size : h.hidden;
        parameters += gates * h.hidden * (input + h.hidden + 2);
    }
    check(parameters <= max_parameters,
          "{}: a {} of hidden size {} and {} layer(s) would have {} parameters; the limit is {}",
          file, h.model, h.hidden, h.layers, parameters, max_parameters);
    const std::int64_t step_values = h.batch_size * h.hidden * h.layers * gates;
    check(step_values <= max_step_values,
          "{}: batch_size {} x hidden {} x layers {} x {} gates = {} values per time step; the "
          "limit is {}",
          file, h.batch_size, h.hidden, h.layers, gates, step_values, max_step_values);
}

void validate(const TrainConfig& c, const std::string& file) {
    const json values = to_json(c);
    TrainConfig scratch;
    for (const auto& [key, value] : io::JsonField(values, file).members()) {
        set_config_key(scratch, key, value);
    }
    check_model_size(c, file);
}

}  // namespace

void set_config_key(TrainConfig& c, const std::string& key, const io::JsonField& value) {
    tasks::Hyperparameters& h = c.hyper;
    const auto positive = [](double x) { return x > 0.0; };
    const auto non_negative = [](double x) { return x >= 0.0; };
    const auto below_one = [](double x) { return x >= 0.0 && x < 1.0; };
    // One line per key reads as a table.
    // clang-format off
    if (key == "task") c.task = task_name(value);
    else if (key == "seed") { expect_type(value, key, value.json().is_number(), "an integer");
                              c.seed = value.unsigned_integer(); }
    else if (key == "model") h.model = choice(value, key, {"rnn", "gru", "lstm"});
    else if (key == "hidden") h.hidden = count(value, key, max_hidden);
    else if (key == "layers") h.layers = count(value, key, max_layers);
    else if (key == "dropout") h.dropout = number(value, key, below_one, "in [0, 1)");
    else if (key == "optimizer") h.optimizer = choice(value, key, {"sgd", "adam", "adamw"});
    else if (key == "lr") h.lr = number(value, key, positive, "positive");
    else if (key == "clip") h.clip = number(value, key, non_negative, ">= 0 (0 disables clipping)");
    else if (key == "steps") h.steps = count(value, key, max_steps);
    else if (key == "batch_size") h.batch_size = count(value, key, max_batch_size);
    else if (key == "eval_every") h.eval_every = count(value, key, max_steps);
    else if (key == "scheduler") c.scheduler = choice(value, key, {"none", "cosine", "step"});
    else if (key == "stop_when_solved") { expect_type(value, key, value.json().is_boolean(), "true or false");
                                          c.stop_when_solved = value.boolean(); }
    else if (key == "nonfinite") c.nonfinite = choice(value, key, {"stop", "skip"});
    else value.fail(fmt::format("unknown key '{}'", key));
    // clang-format on
}

void check_config_value(const std::string& key, const json& value) {
    TrainConfig scratch;
    set_config_key(scratch, key, io::JsonField(value, ""));
}

void validate(const TrainConfig& c) {
    validate(c, "config");
}

ordered_json to_json(const tasks::Hyperparameters& h) {
    return {{"model", h.model},
            {"hidden", h.hidden},
            {"layers", h.layers},
            {"dropout", h.dropout},
            {"optimizer", h.optimizer},
            {"lr", h.lr},
            {"clip", h.clip},
            {"steps", h.steps},
            {"batch_size", h.batch_size},
            {"eval_every", h.eval_every}};
}

ordered_json to_json(const TrainConfig& c) {
    ordered_json json{{"task", c.task}, {"seed", c.seed}};
    const ordered_json hyper = to_json(c.hyper);  // named: items() would outlive a temporary
    for (const auto& [key, value] : hyper.items()) json[key] = value;
    json["scheduler"] = c.scheduler;
    json["stop_when_solved"] = c.stop_when_solved;
    json["nonfinite"] = c.nonfinite;
    return json;
}

TrainConfig config_from_json(const io::JsonField& json, const TrainConfig& base) {
    TrainConfig c = base;
    for (const auto& [key, value] : json.members()) set_config_key(c, key, value);
    // Every key was checked as it was set; what is left is their product, the model's size.
    check_model_size(c, json.key().empty() ? json.file() : json.file() + ": " + json.key());
    return c;
}

TrainConfig config_from_json(const json& j, const TrainConfig& base) {
    return config_from_json(io::JsonField(j, "config"), base);
}

}  // namespace lucid::training
