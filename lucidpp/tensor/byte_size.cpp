#include "lucidpp/tensor/byte_size.hpp"

#include <fmt/format.h>

#include <array>

namespace lucid {

std::string byte_size(double bytes) {
    if (bytes < 1024.0) return fmt::format("{} bytes", bytes);
    static constexpr std::array units{"KiB", "MiB", "GiB", "TiB", "PiB", "EiB", "ZiB", "YiB"};
    std::size_t unit = 0;
    bytes /= 1024.0;
    while (bytes >= 1024.0 && unit + 1 < units.size()) {
        bytes /= 1024.0;
        ++unit;
    }
    return fmt::format("{:.4g} {}", bytes, units[unit]);  // below 1024: never an exponent
}

}  // namespace lucid
