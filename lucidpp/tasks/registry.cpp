#include "lucidpp/tasks/registry.hpp"

#include <fmt/format.h>
#include <fmt/ranges.h>

#include <utility>

#include "lucidpp/tensor/error.hpp"

namespace lucid::tasks {

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

std::string default_task_name() {
    return "adding";
}

std::unique_ptr<Task> make_task(const std::string& name, std::uint64_t seed) {
    for (const auto& [known, factory] : registry()) {
        if (known == name) return factory(seed);
    }
    throw Error(
        fmt::format("unknown task '{}'; the tasks are: {}", name, fmt::join(task_names(), ", ")));
}

}  // namespace lucid::tasks
