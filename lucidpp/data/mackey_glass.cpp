#include "lucidpp/data/tasks.hpp"

namespace lucid::data {

std::unique_ptr<Task> make_mackey_glass_task(std::uint64_t) { throw Error("make_mackey_glass_task: being written"); }

}  // namespace lucid::data
