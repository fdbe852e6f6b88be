#pragma once
// How `lucidpp` ends, following the common CLI conventions (docs/cli.md, "Exit codes").
#include <stdexcept>

namespace lucid::cli {

inline constexpr int exit_success = 0;
inline constexpr int exit_failure = 1;        // missing or corrupt file, I/O error, failed run
inline constexpr int exit_usage = 2;          // bad flag, bad value, unknown task
inline constexpr int exit_signal_base = 128;  // interrupted by signal N: 128 + N (Ctrl-C: 130)

// A mistake in the command line found after parsing (e.g. a flag that --resume cannot change).
// main() prints it as one line and exits with exit_usage.
class UsageError : public std::runtime_error {
public:
    using std::runtime_error::runtime_error;
};

}  // namespace lucid::cli
