#include "tasks_command.hpp"

#include <fmt/format.h>
#include <nlohmann/json.hpp>

#include "exit_codes.hpp"
#include "lucidpp/tasks/registry.hpp"
#include "lucidpp/train/train_config.hpp"

namespace lucid::cli {

namespace {

nlohmann::ordered_json task_json(const tasks::Task& task) {
    const tasks::Metric m = task.metric();
    return {{"name", task.name()},
            {"description", task.description()},
            {"source", task.source()},
            {"metric", {{"name", m.name}, {"higher_is_better", m.higher_is_better}}},
            {"baseline", {{"value", m.baseline}, {"rule", m.baseline_rule}}},
            {"solved_at", m.solved_at},
            {"defaults", training::to_json(task.defaults())}};
}

void print_task(const tasks::Task& task) {
    const tasks::Metric m = task.metric();
    const tasks::Hyperparameters h = task.defaults();
    fmt::print("{}\n", task.name());
    fmt::print("  {}\n", task.description());
    fmt::print("  source:   {}\n", task.source());
    fmt::print("  metric:   {} ({} is better), solved at {} {:g}\n", m.name,
               m.higher_is_better ? "higher" : "lower",
               m.higher_is_better ? ">=" : "<=", m.solved_at);
    fmt::print("  baseline: {:.4g} ({})\n", m.baseline, m.baseline_rule);
    fmt::print(
        "  defaults: {} hidden {} x{}{}, {} lr {:g}, clip {:g}, batch {}, {} steps, "
        "evaluated every {}\n",
        h.model, h.hidden, h.layers, h.dropout > 0 ? fmt::format(" dropout {:g}", h.dropout) : "",
        h.optimizer, h.lr, h.clip, h.batch_size, h.steps, h.eval_every);
}

}  // namespace

TasksCommand::TasksCommand(CLI::App& parent)
    : Command(parent, "tasks", "List the bundled tasks with their metric and default model") {
    app_->add_flag("--json", json_, "print a JSON array instead of text");
}

int TasksCommand::run() {
    nlohmann::ordered_json all = nlohmann::ordered_json::array();
    bool first = true;
    for (const std::string& name : tasks::task_names()) {
        const auto task = tasks::make_task(name);
        if (json_) {
            all.push_back(task_json(*task));
            continue;
        }
        if (!first) fmt::print("\n");
        first = false;
        print_task(*task);
    }
    if (json_) fmt::print("{}\n", all.dump(2));
    return exit_success;
}

}  // namespace lucid::cli
