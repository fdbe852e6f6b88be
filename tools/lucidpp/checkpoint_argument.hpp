#pragma once
// Errors about a checkpoint the user named: `eval CHECKPOINT`, `sample CHECKPOINT` and
// `train --resume --out DIR` (DIR/checkpoint.json) say which command and which file, so that
// "cannot open" reads as "the checkpoint you gave cannot be opened":
//   lucidpp: error: eval: checkpoint 'x.json': read_file: cannot open "x.json": No such file ...
#include <fmt/format.h>

#include <string>

#include "lucidpp/tensor/error.hpp"

namespace lucid::cli {

// Runs `body`, putting "<command>: checkpoint '<path>': " in front of any lucid::Error it throws
// (a UsageError passes through: it is about the flags, not the file).
template <class Body>
auto with_checkpoint_argument(const std::string& command, const std::string& path, Body body) {
    try {
        return body();
    } catch (const Error& error) {
        throw Error(fmt::format("{}: checkpoint '{}': {}", command, path, error.what()));
    }
}

}  // namespace lucid::cli
