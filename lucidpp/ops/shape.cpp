// Ops that build a tensor out of the elements of others: cat, stack, split, chunk, flip,
// index_select and gather. Every backward routes each gradient element back to the input
// element it came from; where one input element fed several outputs (a repeated index), the
// contributions add up.
#include "lucidpp/ops/shape.hpp"

#include <algorithm>
#include <optional>

#include "lucidpp/autograd/function.hpp"
#include "lucidpp/kernels/copy.hpp"
#include "lucidpp/kernels/strided.hpp"
#include "lucidpp/tensor/creation.hpp"

namespace lucid {

using autograd::Gradients;

namespace {

void check_cat_input(const Tensor& first, const Tensor& x, std::size_t number, std::int64_t d) {
    check(x.dim() > 0, "cat: zero-dimensional tensor (at position {}) cannot be concatenated",
          number);
    check(x.dtype() == first.dtype(),
          "cat: expected all tensors to have dtype {}, but got {} for tensor number {} in the "
          "list",
          first.dtype(), x.dtype(), number);
    check(x.dim() == first.dim(),
          "cat: Tensors must have same number of dimensions: got {} and {} (tensor number {})",
          first.dim(), x.dim(), number);
    for (std::int64_t i = 0; i < x.dim(); ++i) {
        check(i == d || x.shape()[i] == first.shape()[i],
              "cat: Sizes of tensors must match except in dimension {}. Expected size {} but got "
              "size {} for tensor number {} in the list.",
              d, first.shape()[i], x.shape()[i], number);
    }
}

// Indices must be int64 and address an existing position: [0, size).
std::vector<std::int64_t> checked_indices(const Tensor& index, std::int64_t d, std::int64_t size,
                                          const char* op) {
    check(index.dtype() == int64, "{}: expected dtype int64 for index, got {}", op,
          index.dtype());
    std::vector<std::int64_t> values = index.to_vector<std::int64_t>();
    for (std::int64_t value : values) {
        check(value >= 0 && value < size,
              "{}: index {} is out of bounds for dimension {} with size {}", op, value, d, size);
    }
    return values;
}

// x viewed as (outer, n, inner) around dim d, so that index_select picks middle rows.
struct Rows {
    std::int64_t outer = 1, n = 1, inner = 1;
};

Rows rows_around(const Shape& shape, std::int64_t d) {
    Rows rows;
    for (std::int64_t i = 0; i < static_cast<std::int64_t>(shape.size()); ++i) {
        (i < d ? rows.outer : i == d ? rows.n : rows.inner) *= shape[i];
    }
    return rows;
}

// out[o, j, :] = x[o, picks[j], :]; both contiguous.
template <class T>
void copy_rows(const T* x, T* out, const Rows& rows, const std::vector<std::int64_t>& picks) {
    const std::int64_t k = static_cast<std::int64_t>(picks.size());
    for (std::int64_t o = 0; o < rows.outer; ++o) {
        for (std::int64_t j = 0; j < k; ++j) {
            std::copy_n(x + (o * rows.n + picks[j]) * rows.inner, rows.inner,
                        out + (o * k + j) * rows.inner);
        }
    }
}

// grad_x[o, picks[j], :] += grad[o, j, :]; both contiguous.
template <class T>
void scatter_add_rows(const T* grad, T* grad_x, const Rows& rows,
                      const std::vector<std::int64_t>& picks) {
    const std::int64_t k = static_cast<std::int64_t>(picks.size());
    for (std::int64_t o = 0; o < rows.outer; ++o) {
        for (std::int64_t j = 0; j < k; ++j) {
            T* into = grad_x + (o * rows.n + picks[j]) * rows.inner;
            const T* from = grad + (o * k + j) * rows.inner;
            for (std::int64_t i = 0; i < rows.inner; ++i) into[i] += from[i];
        }
    }
}

// Calls visit(j, offset) for every element j (row-major) of an index of shape `shape`, where
// `offset` is the element offset, under `strides`, of the same position with its coordinate
// along d replaced by index[j].
template <class Visit>
void for_each_gathered(const Shape& shape, const Strides& strides, std::int64_t d,
                       const std::vector<std::int64_t>& index, Visit visit) {
    Strides across = strides;
    across[d] = 0;
    std::int64_t j = 0;
    kernels::for_each_row<1>(shape, {&across}, {0},
                             [&](kernels::Offsets<1> at, kernels::Offsets<1> step,
                                 std::int64_t length) {
                                 for (std::int64_t i = 0; i < length; ++i, ++j) {
                                     visit(j, at[0] + i * step[0] + index[j] * strides[d]);
                                 }
                             });
}

void check_gather_shapes(const Tensor& x, std::int64_t d, const Tensor& index) {
    check(index.dim() == x.dim(),
          "gather: Index tensor must have the same number of dimensions as input tensor: got "
          "index of shape {} and input of shape {}",
          index.shape(), x.shape());
    for (std::int64_t i = 0; i < x.dim(); ++i) {
        check(i == d || index.shape()[i] <= x.shape()[i],
              "gather: Size does not match at dimension {} expected index {} to be smaller than "
              "self {} apart from dimension {}",
              i, index.shape(), x.shape(), d);
    }
}

}  // namespace

// cat: out = [x_0, x_1, ...] joined along dim.
// Gradient: x_k gets back the slice it filled, grad.narrow(dim, offset_k, size_k).
Tensor cat(const std::vector<Tensor>& tensors, std::int64_t dim) {
    check(!tensors.empty(), "cat: expected a non-empty list of Tensors");
    const Tensor& first = tensors.front();
    check(first.dim() > 0, "cat: zero-dimensional tensor (at position 0) cannot be concatenated");
    const std::int64_t d = normalize_dim(dim, first.dim(), "cat");
    Shape shape = first.shape();
    shape[d] = 0;
    std::vector<std::int64_t> offsets, sizes;
    for (std::size_t k = 0; k < tensors.size(); ++k) {
        check_cat_input(first, tensors[k], k, d);
        offsets.push_back(shape[d]);
        sizes.push_back(tensors[k].size(d));
        shape[d] = checked_add(shape[d], sizes.back(), "cat", tensors[k].shape());
    }
    Tensor out = empty(shape, first.dtype(), "cat");
    for (std::size_t k = 0; k < tensors.size(); ++k) {
        kernels::copy_into(out.narrow(d, offsets[k], sizes[k]), tensors[k]);
    }
    return autograd::record("cat", tensors, out, [d, offsets, sizes](const Tensor& grad) {
        Gradients grads;
        for (std::size_t k = 0; k < offsets.size(); ++k) {
            grads.push_back(grad.narrow(d, offsets[k], sizes[k]));
        }
        return grads;
    });
}

// stack: cat of the inputs, each unsqueezed at dim; both of those carry the gradient.
Tensor stack(const std::vector<Tensor>& tensors, std::int64_t dim) {
    check(!tensors.empty(), "stack: expects a non-empty TensorList");
    for (std::size_t k = 0; k < tensors.size(); ++k) {
        check(tensors[k].shape() == tensors[0].shape(),
              "stack: expects each tensor to be equal size, but got {} at entry 0 and {} at "
              "entry {}",
              tensors[0].shape(), tensors[k].shape(), k);
    }
    const std::int64_t d = normalize_dim(dim, tensors[0].dim() + 1, "stack");
    std::vector<Tensor> parts;
    parts.reserve(tensors.size());
    for (const Tensor& x : tensors) parts.push_back(x.unsqueeze(d));
    return cat(parts, d);
}

// split: consecutive views along dim, of the given sizes. Each is a narrow(), whose gradient
// scatters into zeros, so the pieces' gradients sum back into the whole.
std::vector<Tensor> split(const Tensor& x, const std::vector<std::int64_t>& sizes,
                          std::int64_t dim) {
    check(x.dim() > 0, "split: expects at least a 1-dimensional tensor");
    const std::int64_t d = normalize_dim(dim, x.dim(), "split");
    std::optional<std::int64_t> total = 0;  // nullopt once the sum overflows: it cannot match
    for (std::int64_t size : sizes) {
        check(size >= 0,
              "split_with_sizes: expects split_sizes have only non-negative entries, but got "
              "split_sizes=[{}]",
              fmt::join(sizes, ", "));
        if (total) total = try_add(*total, size);
    }
    check(total == x.size(d),
          "split_with_sizes: expects split_sizes to sum exactly to {} (input tensor's size at "
          "dimension {}), but got split_sizes=[{}]",
          x.size(d), d, fmt::join(sizes, ", "));
    std::vector<Tensor> pieces;
    std::int64_t start = 0;
    for (std::int64_t size : sizes) {
        pieces.push_back(x.narrow(d, start, size));
        start += size;
    }
    return pieces;
}

// split into pieces of split_size; the last one may be smaller.
std::vector<Tensor> split(const Tensor& x, std::int64_t split_size, std::int64_t dim) {
    check(x.dim() > 0, "split: expects at least a 1-dimensional tensor");
    check(split_size >= 0, "split: split_size must be non-negative, but got split_size={}",
          split_size);
    const std::int64_t d = normalize_dim(dim, x.dim(), "split");
    const std::int64_t length = x.size(d);
    check(split_size > 0 || length == 0,
          "split: split_size can only be 0 if dimension size is 0, but got dimension size of {}",
          length);
    std::vector<std::int64_t> sizes;
    for (std::int64_t start = 0; start < length; start += sizes.back()) {
        sizes.push_back(std::min(split_size, length - start));  // start + split_size may overflow
    }
    if (sizes.empty()) sizes.push_back(0);  // an empty dim still gives one (empty) piece
    return split(x, sizes, d);
}

// chunk: pieces of ceil(n / chunks), as torch.chunk, so there may be fewer than `chunks`.
std::vector<Tensor> chunk(const Tensor& x, std::int64_t chunks, std::int64_t dim) {
    check(chunks > 0, "chunk: expects `chunks` to be greater than 0, got: {}", chunks);
    check(x.dim() > 0, "chunk: expects at least a 1-dimensional tensor");
    const std::int64_t d = normalize_dim(dim, x.dim(), "chunk");
    const std::int64_t length = x.size(d);
    if (length == 0) return split(x, std::vector<std::int64_t>(chunks, 0), d);
    return split(x, length / chunks + (length % chunks != 0), d);  // ceil without overflow
}

// flip: out[..., i, ...] = x[..., n-1-i, ...] along each dim in dims.
// Gradient: flip is its own inverse, so grad_x = flip(grad, dims).
Tensor flip(const Tensor& x, const std::vector<std::int64_t>& dims) {
    std::vector<std::int64_t> order;
    Strides strides = x.strides();
    std::int64_t offset = x.storage_offset();
    for (std::int64_t dim : dims) {
        const std::int64_t d = normalize_dim(dim, x.dim(), "flip");
        check(std::find(order.begin(), order.end(), d) == order.end(),
              "flip: dim {} appears multiple times in the list of dims", d);
        order.push_back(d);
        if (x.dim() == 0 || x.size(d) == 0) continue;
        // A negative stride reads the dim backwards; copying that view gives the result.
        offset += (x.size(d) - 1) * strides[d];
        strides[d] = -strides[d];
    }
    Tensor reversed = as_strided_view(x, x.shape(), std::move(strides), offset);
    Tensor out = kernels::contiguous_copy(reversed, x.dtype());
    return autograd::record("flip", {x}, out, [order](const Tensor& grad) {
        return Gradients{flip(grad, order)};
    });
}

// index_select: out[o, j, i] = x[o, index[j], i], viewing x as (outer, n, inner) around dim.
// Gradient: grad_x[o, index[j], i] += grad[o, j, i]; a repeated index adds up.
Tensor index_select(const Tensor& x, std::int64_t dim, const Tensor& index) {
    check(x.dim() > 0, "index_select: expects a tensor with at least 1 dimension, got shape {}",
          x.shape());
    check(index.dim() <= 1, "index_select: Index is supposed to be a vector, got shape {}",
          index.shape());
    const std::int64_t d = normalize_dim(dim, x.dim(), "index_select");
    std::vector<std::int64_t> picks = checked_indices(index, d, x.size(d), "index_select");
    const Rows rows = rows_around(x.shape(), d);
    Shape shape = x.shape();
    shape[d] = static_cast<std::int64_t>(picks.size());
    Tensor out = empty(shape, x.dtype());
    dispatch(x.dtype(), [&]<class T>() {
        Tensor in = x.contiguous();
        copy_rows<T>(in.data_ptr<T>(), out.data_ptr<T>(), rows, picks);
    });
    return autograd::record(
        "index_select", {x}, out,
        [from = x.shape(), rows, picks = std::move(picks)](const Tensor& grad) {
            Tensor grad_x = zeros(from, grad.dtype());
            dispatch(grad.dtype(), [&]<class T>() {
                Tensor g = grad.contiguous();
                scatter_add_rows<T>(g.data_ptr<T>(), grad_x.data_ptr<T>(), rows, picks);
            });
            return Gradients{grad_x};
        });
}

// gather: out[i][j][k] = x[index[i][j][k]][j][k] for dim 0 (likewise for other dims); out has
// index's shape. Gradient: grad_x[index[i][j][k]][j][k] += grad[i][j][k].
Tensor gather(const Tensor& x, std::int64_t dim, const Tensor& index) {
    check(x.dim() > 0, "gather: expects a tensor with at least 1 dimension, got shape {}",
          x.shape());
    const std::int64_t d = normalize_dim(dim, x.dim(), "gather");
    check_gather_shapes(x, d, index);
    std::vector<std::int64_t> picks = checked_indices(index, d, x.size(d), "gather");
    Tensor out = empty(index.shape(), x.dtype());
    dispatch(x.dtype(), [&]<class T>() {
        const T* src = x.data_ptr<T>();
        T* dst = out.data_ptr<T>();
        for_each_gathered(index.shape(), x.strides(), d, picks,
                          [&](std::int64_t j, std::int64_t at) { dst[j] = src[at]; });
    });
    return autograd::record(
        "gather", {x}, out,
        [from = x.shape(), d, shape = index.shape(), picks = std::move(picks)](const Tensor& grad) {
            Tensor grad_x = zeros(from, grad.dtype());
            dispatch(grad.dtype(), [&]<class T>() {
                Tensor g = grad.contiguous();
                const T* src = g.data_ptr<T>();
                T* dst = grad_x.data_ptr<T>();
                for_each_gathered(shape, grad_x.strides(), d, picks,
                                  [&](std::int64_t j, std::int64_t at) { dst[at] += src[j]; });
            });
            return Gradients{grad_x};
        });
}

}  // namespace lucid
