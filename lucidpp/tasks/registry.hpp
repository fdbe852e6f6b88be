#pragma once
// The registry of the bundled tasks: their names in a stable order, and a factory per task.
// Each factory makes a task whose test split is fixed by `seed`.
#include <cstdint>
#include <memory>
#include <string>
#include <vector>

#include "lucidpp/tasks/task.hpp"

namespace lucid::tasks {

std::vector<std::string> task_names();
std::string default_task_name();  // "adding"
std::unique_ptr<Task> make_task(const std::string& name, std::uint64_t seed = 0);

std::unique_ptr<Task> make_adding_task(std::uint64_t seed);        // adding_problem.cpp
std::unique_ptr<Task> make_copy_memory_task(std::uint64_t seed);   // copy_memory.cpp
std::unique_ptr<Task> make_parity_task(std::uint64_t seed);        // parity.cpp
std::unique_ptr<Task> make_reber_task(std::uint64_t seed);         // reber_grammar.cpp
std::unique_ptr<Task> make_mackey_glass_task(std::uint64_t seed);  // mackey_glass.cpp
std::unique_ptr<Task> make_char_lm_task(std::uint64_t seed);       // char_language_model.cpp

}  // namespace lucid::tasks
