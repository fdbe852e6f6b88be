#include "lucidpp/data/task.hpp"

#include <functional>
#include <map>

#include "lucidpp/data/tasks.hpp"
#include "lucidpp/nn/functional.hpp"

namespace lucid::data {

Tensor Task::loss(const Tensor& prediction, const Batch& batch) const {
    namespace F = nn::functional;
    switch (spec().target) {
        case Target::regression: return F::mse_loss(prediction, batch.targets);
        case Target::multi_label:
            return F::binary_cross_entropy_with_logits(prediction, batch.targets);
        case Target::classes: {
            const std::int64_t classes = prediction.size(-1);
            return F::cross_entropy(prediction.reshape({-1, classes}), batch.targets.reshape({-1}));
        }
    }
    throw Error("Task::loss: unknown target kind");
}

bool Task::solved(double metric_value) const {
    Metric m = metric();
    return m.higher_is_better ? metric_value >= m.solved_at : metric_value <= m.solved_at;
}

namespace {

using Factory = std::unique_ptr<Task> (*)(std::uint64_t);

const std::vector<std::pair<std::string, Factory>>& registry() {
    static const std::vector<std::pair<std::string, Factory>> tasks{
        {"adding", make_adding_task},
        {"copy_memory", make_copy_memory_task},
        {"parity", make_parity_task},
        {"reber", make_reber_task},
        {"mackey_glass", make_mackey_glass_task},
        {"char_lm", make_char_lm_task},
    };
    return tasks;
}

}  // namespace

std::vector<std::string> task_names() {
    std::vector<std::string> names;
    for (const auto& [name, factory] : registry()) names.push_back(name);
    return names;
}

std::string default_task_name() { return "adding"; }

std::unique_ptr<Task> make_task(const std::string& name, std::uint64_t seed) {
    for (const auto& [known, factory] : registry()) {
        if (known == name) return factory(seed);
    }
    throw Error(fmt::format("unknown task '{}'; the tasks are: {}", name, fmt::join(task_names(), ", ")));
}

}  // namespace lucid::data
