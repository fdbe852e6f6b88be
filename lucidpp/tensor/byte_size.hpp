#pragma once
// Byte counts for people: "16 EiB", "4 TiB", "1.5 GiB", "12 bytes", in the binary units memory
// is sold in. Errors that refuse an allocation say how much was asked for this way.
#include <string>

namespace lucid {

// A double, so that a count beyond 2^64 (which no size_t holds) can still be shown.
std::string byte_size(double bytes);

}  // namespace lucid
