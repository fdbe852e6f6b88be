// Views: new shape and strides over the same storage, no copy. Their gradients undo the view:
// reshape back, transpose back, or scatter into zeros for views that pick a part.
#include "lucidpp/ops/view.hpp"

#include <algorithm>
#include <optional>

#include "lucidpp/autograd/function.hpp"
#include "lucidpp/kernels/copy.hpp"
#include "lucidpp/ops/arithmetic.hpp"
#include "lucidpp/tensor/creation.hpp"

namespace lucid {

using autograd::Gradients;

namespace {

Tensor reshape_view(const Tensor& x, Shape shape, Strides strides, std::int64_t offset,
                    const char* op) {
    Tensor out = as_strided_view(x, std::move(shape), std::move(strides), offset);
    return autograd::record(op, {x}, out, [from = x.shape()](const Tensor& grad) {
        return Gradients{grad.reshape(from)};
    });
}

// For views that pick part of x: the gradient is zero outside the part.
template <class PickView>
Tensor part_view(const Tensor& x, Shape shape, Strides strides, std::int64_t offset,
                 const char* op, PickView pick) {
    Tensor out = as_strided_view(x, std::move(shape), std::move(strides), offset);
    return autograd::record(op, {x}, out,
                            [from = x.shape(), dtype = x.dtype(), pick](const Tensor& grad) {
                                Tensor full = zeros(from, dtype);
                                kernels::copy_into(pick(full), grad);
                                return Gradients{full};
                            });
}

// `shape` with its -1 (if any) replaced by what makes the element count `count`.
Shape infer_size(const Shape& shape, std::int64_t count, const char* op) {
    Shape out = shape;
    auto inferred = out.end();
    std::optional<std::int64_t> known = 1;  // the given sizes' product; nullopt past int64
    for (auto it = out.begin(); it != out.end(); ++it) {
        if (*it == -1) {
            check(inferred == out.end(), "{}: only one dimension can be inferred", op);
            inferred = it;
        } else {
            check(*it >= 0, "{}: invalid shape dimension {}", op, *it);
            if (known) known = try_mul(*known, *it);
        }
    }
    if (std::find(out.begin(), out.end(), 0) != out.end()) known = 0;
    if (inferred != out.end() && known && *known != 0 && count % *known == 0) {
        *inferred = count / *known;
        known = count;
    }
    check(known == count && (inferred == out.end() || *inferred != -1),
          "{}: shape {} is invalid for input of size {}", op, shape, count);
    return out;
}

}  // namespace

Tensor Tensor::view(const Shape& shape) const {
    Shape size = infer_size(shape, numel(), "view");
    check(is_contiguous(),
          "view: view size is not compatible with input tensor's size and stride (the tensor of "
          "shape {} is not contiguous). Use .reshape(...) instead.",
          this->shape());
    Strides strides = contiguous_strides(size, "view");
    return reshape_view(*this, std::move(size), std::move(strides), storage_offset(), "view");
}

Tensor Tensor::reshape(const Shape& shape) const {
    return is_contiguous() ? view(shape) : contiguous().view(shape);
}

Tensor Tensor::flatten(std::int64_t start_dim, std::int64_t end_dim) const {
    if (dim() == 0) return reshape({1});
    std::int64_t start = normalize_dim(start_dim, dim(), "flatten");
    std::int64_t end = normalize_dim(end_dim, dim(), "flatten");
    check(start <= end, "flatten: start_dim ({}) cannot come after end_dim ({})", start_dim,
          end_dim);
    Shape size(shape().begin(), shape().begin() + start);
    size.push_back(
        lucid::numel(Shape(shape().begin() + start, shape().begin() + end + 1), "flatten"));
    size.insert(size.end(), shape().begin() + end + 1, shape().end());
    return reshape(size);
}

Tensor Tensor::transpose(std::int64_t dim0, std::int64_t dim1) const {
    std::int64_t a = normalize_dim(dim0, dim(), "transpose");
    std::int64_t b = normalize_dim(dim1, dim(), "transpose");
    Shape size = shape();
    Strides step = strides();
    if (dim() > 0) {
        std::swap(size[a], size[b]);
        std::swap(step[a], step[b]);
    }
    Tensor out = as_strided_view(*this, std::move(size), std::move(step), storage_offset());
    return autograd::record("transpose", {*this}, out, [a, b](const Tensor& grad) {
        return Gradients{grad.transpose(a, b)};
    });
}

Tensor Tensor::t() const {
    check(dim() <= 2, "t: expects a tensor with <= 2 dimensions, but self is {}D (shape {})", dim(),
          shape());
    return dim() < 2 ? *this : transpose(0, 1);
}

Tensor Tensor::permute(const std::vector<std::int64_t>& dims) const {
    check(static_cast<std::int64_t>(dims.size()) == dim(),
          "permute: number of dims don't match: got {} dims for a tensor of shape {}", dims.size(),
          shape());
    std::vector<std::int64_t> order(dims.size());
    std::vector<std::int64_t> inverse(dims.size(), -1);
    Shape size(dims.size());
    Strides step(dims.size());
    for (std::size_t i = 0; i < dims.size(); ++i) {
        order[i] = normalize_dim(dims[i], dim(), "permute");
        check(inverse[order[i]] < 0, "permute: repeated dim {} in ({})", dims[i],
              fmt::join(dims, ", "));
        inverse[order[i]] = static_cast<std::int64_t>(i);
        size[i] = shape()[order[i]];
        step[i] = strides()[order[i]];
    }
    Tensor out = as_strided_view(*this, std::move(size), std::move(step), storage_offset());
    return autograd::record("permute", {*this}, out, [inverse](const Tensor& grad) {
        return Gradients{grad.permute(inverse)};
    });
}

Tensor Tensor::slice(std::int64_t dim, std::int64_t start, std::int64_t end,
                     std::int64_t step) const {
    std::int64_t d = normalize_dim(dim, this->dim(), "slice");
    check(this->dim() > 0, "slice: cannot slice a 0-dim tensor");
    check(step > 0, "slice: step must be positive, got {}", step);
    const std::int64_t length = shape()[d];
    auto clip = [length](std::int64_t i) {
        if (i < 0) i += length;
        return std::clamp<std::int64_t>(i, 0, length);
    };
    std::int64_t first = clip(start);
    std::int64_t last = std::max(clip(end), first);
    Shape size = shape();
    Strides steps = strides();
    size[d] = (last - first) / step + ((last - first) % step != 0);  // ceil without overflow
    // With one element or none the stride is never used; a huge step must not overflow it.
    if (size[d] > 1) steps[d] = checked_mul(steps[d], step, "slice", shape());
    const std::int64_t offset = checked_add(
        storage_offset(), checked_mul(first, strides()[d], "slice", shape()), "slice", shape());
    return part_view(
        *this, std::move(size), std::move(steps), offset, "slice",
        [d, first, last, step](const Tensor& full) { return full.slice(d, first, last, step); });
}

Tensor Tensor::narrow(std::int64_t dim, std::int64_t start, std::int64_t length) const {
    std::int64_t d = normalize_dim(dim, this->dim(), "narrow");
    std::int64_t size = shape()[d];
    if (start < 0) start += size;
    // Compared as length <= size - start: start + length can overflow int64.
    check(start >= 0 && start <= size && length >= 0 && length <= size - start,
          "narrow: start ({}) + length ({}) exceeds dimension size ({}) of shape {}", start, length,
          size, shape());
    return slice(d, start, start + length);
}

Tensor Tensor::select(std::int64_t dim, std::int64_t index) const {
    std::int64_t d = normalize_dim(dim, this->dim(), "select");
    check(this->dim() > 0, "select: cannot be applied to a 0-dim tensor");
    std::int64_t size = shape()[d];
    check(index >= -size && index < size,
          "select: index {} out of range for tensor of shape {} at dimension {}", index, shape(),
          d);
    if (index < 0) index += size;
    Shape sizes = shape();
    Strides steps = strides();
    const std::int64_t offset = checked_add(
        storage_offset(), checked_mul(index, strides()[d], "select", shape()), "select", shape());
    sizes.erase(sizes.begin() + d);
    steps.erase(steps.begin() + d);
    return part_view(*this, std::move(sizes), std::move(steps), offset, "select",
                     [d, index](const Tensor& full) { return full.select(d, index); });
}

Tensor Tensor::expand(const Shape& shape) const {
    const std::int64_t ndim = static_cast<std::int64_t>(shape.size());
    const std::int64_t lead = ndim - dim();
    check(lead >= 0,
          "expand: the number of sizes provided ({}) must be greater or equal to the number of "
          "dimensions in the tensor ({})",
          ndim, dim());
    Shape size(shape.size());
    Strides step(shape.size(), 0);
    for (std::int64_t i = 0; i < ndim; ++i) {
        std::int64_t own = i < lead ? 1 : this->shape()[i - lead];
        std::int64_t target = shape[i] == -1 && i >= lead ? own : shape[i];
        check(target >= 0, "expand: invalid size {} in {}", shape[i], shape);
        check(own == target || own == 1,
              "expand: the expanded size of the tensor ({}) must match the existing size ({}) at "
              "non-singleton dimension {}. Target sizes: {}. Tensor sizes: {}",
              target, own, i, shape, this->shape());
        size[i] = target;
        if (i >= lead && own == target) step[i] = strides()[i - lead];
    }
    lucid::numel(size, "expand");  // a view of 2^64 elements would wrap every count of it
    Tensor out = as_strided_view(*this, std::move(size), std::move(step), storage_offset());
    return autograd::record("expand", {*this}, out, [from = this->shape()](const Tensor& grad) {
        return Gradients{sum_to(grad, from)};
    });
}

Tensor Tensor::squeeze() const {
    Shape size;
    Strides step;
    for (std::int64_t i = 0; i < dim(); ++i) {
        if (shape()[i] == 1) continue;
        size.push_back(shape()[i]);
        step.push_back(strides()[i]);
    }
    return reshape_view(*this, std::move(size), std::move(step), storage_offset(), "squeeze");
}

Tensor Tensor::squeeze(std::int64_t dim) const {
    std::int64_t d = normalize_dim(dim, this->dim(), "squeeze");
    if (this->dim() == 0 || shape()[d] != 1) return *this;
    Shape size = shape();
    Strides step = strides();
    size.erase(size.begin() + d);
    step.erase(step.begin() + d);
    return reshape_view(*this, std::move(size), std::move(step), storage_offset(), "squeeze");
}

Tensor Tensor::unsqueeze(std::int64_t dim) const {
    std::int64_t d = normalize_dim(dim, this->dim() + 1, "unsqueeze");
    Shape size = shape();
    Strides step = strides();
    const std::int64_t inner =
        d < this->dim() ? checked_mul(strides()[d], shape()[d], "unsqueeze", shape()) : 1;
    size.insert(size.begin() + d, 1);
    step.insert(step.begin() + d, inner);
    return reshape_view(*this, std::move(size), std::move(step), storage_offset(), "unsqueeze");
}

Tensor transpose(const Tensor& x, std::int64_t dim0, std::int64_t dim1) {
    return x.transpose(dim0, dim1);
}
Tensor permute(const Tensor& x, const std::vector<std::int64_t>& dims) { return x.permute(dims); }
Tensor reshape(const Tensor& x, const Shape& shape) { return x.reshape(shape); }
Tensor squeeze(const Tensor& x, std::int64_t dim) { return x.squeeze(dim); }
Tensor unsqueeze(const Tensor& x, std::int64_t dim) { return x.unsqueeze(dim); }
Tensor narrow(const Tensor& x, std::int64_t dim, std::int64_t start, std::int64_t length) {
    return x.narrow(dim, start, length);
}
Tensor select(const Tensor& x, std::int64_t dim, std::int64_t index) {
    return x.select(dim, index);
}

}  // namespace lucid
