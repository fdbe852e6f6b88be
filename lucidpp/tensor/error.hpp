#pragma once
// lucid::Error: what every public entry point throws on bad input. Messages name the op and
// the shapes or values involved, in PyTorch's wording where PyTorch has one.
#include <fmt/format.h>

#include <stdexcept>
#include <string>
#include <utility>

namespace lucid {

class Error : public std::runtime_error {
public:
    using std::runtime_error::runtime_error;
};

// Throws lucid::Error with a formatted message when `ok` is false.
template <class... Args>
void check(bool ok, fmt::format_string<Args...> format, Args&&... args) {
    if (!ok) [[unlikely]] {
        throw Error(fmt::format(format, std::forward<Args>(args)...));
    }
}

}  // namespace lucid
