#pragma once
// Printing tensors the way PyTorch does:
//   tensor([[ 0.1000, -1.2000],
//           [ 3.0000,  4.0000]], dtype=lucid.float64, requires_grad=True)
// Tensors of more than 1000 elements show their first and last three entries per dim; rows wrap
// at 80 characters, as torch's default linewidth.
#include <fmt/format.h>

#include <iosfwd>
#include <string>

#include "lucidpp/tensor/tensor.hpp"

namespace lucid {

std::string to_string(const Tensor& tensor);
std::ostream& operator<<(std::ostream& out, const Tensor& tensor);

}  // namespace lucid

template <>
struct fmt::formatter<lucid::Tensor> : fmt::formatter<std::string_view> {
    auto format(const lucid::Tensor& tensor, fmt::format_context& ctx) const {
        return fmt::formatter<std::string_view>::format(lucid::to_string(tensor), ctx);
    }
};
