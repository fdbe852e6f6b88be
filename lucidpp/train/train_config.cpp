#include "lucidpp/train/train_config.hpp"

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

void validate(const TrainConfig& c) {
    const tasks::Hyperparameters& h = c.hyper;
    check(h.model == "rnn" || h.model == "gru" || h.model == "lstm",
          "config: model must be rnn, gru or lstm, got '{}'", h.model);
    check(h.hidden > 0, "config: hidden must be positive, got {}", h.hidden);
    check(h.layers > 0, "config: layers must be positive, got {}", h.layers);
    check(h.dropout >= 0.0 && h.dropout < 1.0, "config: dropout must be in [0, 1), got {}",
          h.dropout);
    check(h.lr > 0.0, "config: lr must be positive, got {}", h.lr);
    check(h.clip >= 0.0, "config: clip must be >= 0 (0 disables clipping), got {}", h.clip);
    check(h.steps > 0, "config: steps must be positive, got {}", h.steps);
    check(h.batch_size > 0, "config: batch_size must be positive, got {}", h.batch_size);
    check(h.eval_every > 0, "config: eval_every must be positive, got {}", h.eval_every);
    check(c.nonfinite == "stop" || c.nonfinite == "skip",
          "config: nonfinite must be stop or skip, got '{}'", c.nonfinite);
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

TrainConfig config_from_json(const json& j, const TrainConfig& base) {
    check(j.is_object(), "config: expected a JSON object, got {}", j.type_name());
    TrainConfig c = base;
    tasks::Hyperparameters& h = c.hyper;
    for (const auto& [key, value] : j.items()) {
        try {
            // One line per key reads as a table.
            // clang-format off
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
            else if (key == "nonfinite") c.nonfinite = value.get<std::string>();
            else throw Error(fmt::format("config: unknown key '{}'", key));
            // clang-format on
        } catch (const json::exception&) {
            throw Error(
                fmt::format("config: '{}' has the wrong type ({})", key, value.type_name()));
        }
    }
    validate(c);
    return c;
}

}  // namespace lucid::training
