#pragma once
// The bundled tasks. Each factory makes a task whose test split is fixed by `seed`.
#include <cstdint>
#include <memory>

#include "lucidpp/data/task.hpp"

namespace lucid::data {

std::unique_ptr<Task> make_adding_task(std::uint64_t seed);        // adding_problem.cpp
std::unique_ptr<Task> make_copy_memory_task(std::uint64_t seed);   // copy_memory.cpp
std::unique_ptr<Task> make_parity_task(std::uint64_t seed);        // parity.cpp
std::unique_ptr<Task> make_reber_task(std::uint64_t seed);         // reber_grammar.cpp
std::unique_ptr<Task> make_mackey_glass_task(std::uint64_t seed);  // mackey_glass.cpp
std::unique_ptr<Task> make_char_lm_task(std::uint64_t seed);       // char_language_model.cpp

}  // namespace lucid::data
