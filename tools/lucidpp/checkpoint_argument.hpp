#pragma once
// Errors about a checkpoint the user named: `eval CHECKPOINT`, `sample CHECKPOINT` and
// `train --resume --out DIR` (DIR/checkpoint.json) say which command and which file, so that
// "cannot open" reads as "the checkpoint you gave cannot be opened":
//   lucidpp: error: eval: checkpoint 'x.json': read_file: cannot open "x.json": No such file ...
#include <fmt/format.h>

#include <string>
#include <string_view>

#include "lucidpp/tensor/error.hpp"

namespace lucid::cli {

// Runs `body`, putting "<command>: checkpoint '<path>': " in front of any lucid::Error it throws
// (a UsageError passes through: it is about the flags, not the file). The file's own readers
// already start their messages with the path ("<file>: <key>: <problem>"); those get
// "<command>: checkpoint ", so the path is not said twice.
template <class Body>
auto with_checkpoint_argument(const std::string& command, const std::string& path, Body body) {
    try {
        return body();
    } catch (const Error& error) {
        const std::string_view message = error.what();
        if (message.starts_with(path)) {
            throw Error(fmt::format("{}: checkpoint {}", command, message));
        }
        throw Error(fmt::format("{}: checkpoint '{}': {}", command, path, message));
    }
}

}  // namespace lucid::cli
