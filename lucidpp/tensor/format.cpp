#include "lucidpp/tensor/format.hpp"

#include <algorithm>
#include <cmath>
#include <ostream>

namespace lucid {

namespace {

constexpr std::int64_t summarize_threshold = 1000;  // torch's printoptions defaults
constexpr std::int64_t edge_items = 3;
constexpr int line_width = 80;

// How every element of one tensor is written, chosen from all its values, so columns line up.
struct NumberStyle {
    bool integer_dtype = false;
    bool all_integral = false;  // floats that are whole numbers print as "3."
    bool scientific = false;
    int width = 1;

    std::string write(double value) const {
        if (integer_dtype) return fmt::format("{}", static_cast<std::int64_t>(value));
        if (std::isnan(value)) return "nan";
        if (std::isinf(value)) return value > 0 ? "inf" : "-inf";
        if (scientific) return fmt::format("{:.4e}", value);
        if (all_integral) return fmt::format("{:.0f}.", value);
        return fmt::format("{:.4f}", value);
    }
};

NumberStyle style_for(const std::vector<double>& values, bool integer_dtype) {
    NumberStyle style;
    style.integer_dtype = integer_dtype;
    double largest = 0.0, smallest = INFINITY;
    bool integral = true;
    for (double v : values) {
        if (!std::isfinite(v)) continue;
        integral = integral && std::trunc(v) == v;
        double magnitude = std::abs(v);
        largest = std::max(largest, magnitude);
        if (magnitude > 0) smallest = std::min(smallest, magnitude);
    }
    style.all_integral = integral;
    if (!integer_dtype && std::isfinite(smallest)) {
        style.scientific = largest / smallest > 1000.0 || largest > 1e8 || smallest < 1e-4;
    }
    if (integral && largest > 1e8) style.scientific = true;
    for (double v : values)
        style.width = std::max<int>(style.width, static_cast<int>(style.write(v).size()));
    return style;
}

struct Printer {
    const std::vector<double>& values;
    const Shape& shape;
    const Strides strides = contiguous_strides(shape);
    const NumberStyle& style;
    bool summarize;
    std::string out;

    // The indices of dim `size` that are shown; -1 stands for the elided middle.
    std::vector<std::int64_t> shown(std::int64_t size) const {
        std::vector<std::int64_t> indices;
        const bool elide = summarize && size > 2 * edge_items;
        for (std::int64_t i = 0; i < size; ++i) {
            if (elide && i == edge_items) {
                indices.push_back(-1);
                i = size - edge_items;
            }
            indices.push_back(i);
        }
        return indices;
    }

    void write(std::size_t dim, std::int64_t offset, int indent) {
        if (dim == shape.size()) {
            out += element(offset);
        } else if (dim + 1 == shape.size()) {
            write_row(offset, indent);
        } else {
            write_rows(dim, offset, indent);
        }
    }

    std::string element(std::int64_t offset) const {
        return fmt::format("{:>{}}", style.write(values[static_cast<std::size_t>(offset)]),
                           style.width);
    }

    // The last dim wraps at line_width as torch's _vector_str does: as many elements per line
    // as fit after the indent, each taking its width plus ", ".
    void write_row(std::int64_t offset, int indent) {
        const std::int64_t per_line = std::max(1, (line_width - indent) / (style.width + 2));
        const std::vector<std::int64_t> indices = shown(shape.back());
        out += '[';
        for (std::size_t k = 0; k < indices.size(); ++k) {
            if (k > 0) {
                out += static_cast<std::int64_t>(k) % per_line == 0
                           ? fmt::format(",\n{:{}}", "", indent + 1)
                           : ", ";
            }
            out += indices[k] < 0 ? " ..." : element(offset + indices[k] * strides.back());
        }
        out += ']';
    }

    // Outer dims: one sub-tensor per line, separated by a blank line per dim below.
    void write_rows(std::size_t dim, std::int64_t offset, int indent) {
        const std::string separator =
            fmt::format(",{}{:{}}", std::string(shape.size() - dim - 1, '\n'), "", indent + 1);
        const std::vector<std::int64_t> indices = shown(shape[dim]);
        out += '[';
        for (std::size_t k = 0; k < indices.size(); ++k) {
            if (k > 0) out += separator;
            if (indices[k] < 0) {
                out += "...";
            } else {
                write(dim + 1, offset + indices[k] * strides[dim], indent + 1);
            }
        }
        out += ']';
    }
};

}  // namespace

std::string to_string(const Tensor& tensor) {
    if (!tensor.defined()) return "tensor(undefined)";
    const bool integer_dtype = tensor.dtype() == int64;
    std::vector<double> values = tensor.to_vector<double>();
    const bool summarize = tensor.numel() > summarize_threshold;
    std::vector<double> shown;
    if (summarize) {
        // Only the printed entries decide the number style.
        shown.assign(values.begin(), values.begin() + std::min<std::size_t>(values.size(), 64));
        shown.insert(shown.end(), values.end() - std::min<std::size_t>(values.size(), 64),
                     values.end());
    }
    NumberStyle style = style_for(summarize ? shown : values, integer_dtype);
    Printer printer{values, tensor.shape(), contiguous_strides(tensor.shape()),
                    style,  summarize,      {}};
    printer.write(0, 0, static_cast<int>(std::string("tensor(").size()));

    std::string text = "tensor(" + printer.out;
    if (tensor.numel() == 0) {
        text = tensor.dim() == 1 ? "tensor([]" : fmt::format("tensor([], size={}", tensor.shape());
    }
    if (tensor.dtype() == float64) text += ", dtype=lucid.float64";
    if (tensor.requires_grad()) text += ", requires_grad=True";
    return text + ")";
}

std::ostream& operator<<(std::ostream& out, const Tensor& tensor) {
    return out << to_string(tensor);
}

}  // namespace lucid
