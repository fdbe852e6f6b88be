// embedding_lookup: a table lookup. With weight of shape (num_embeddings, dim),
//   out[..., :] = weight[indices[...], :]       out has shape indices.shape + (dim)
// Gradient: grad_weight[indices[...], :] += grad[..., :], so a repeated index adds up; the row
// at padding_idx gets none, as in PyTorch, so that the padding vector stays as it is in training.
#include "lucidpp/ops/embedding.hpp"

#include <algorithm>
#include <utility>
#include <vector>

#include "lucidpp/autograd/function.hpp"
#include "lucidpp/tensor/creation.hpp"

namespace lucid {

using autograd::Gradients;

namespace {

constexpr std::int64_t no_padding = -1;

// padding_idx in [0, count), counted from the end when negative; no_padding when absent.
std::int64_t padding_row(std::optional<std::int64_t> padding_idx, std::int64_t count) {
    if (!padding_idx) return no_padding;
    check(*padding_idx >= -count && *padding_idx < count,
          "embedding: Padding_idx must be within num_embeddings ({}), got {}", count, *padding_idx);
    return *padding_idx < 0 ? *padding_idx + count : *padding_idx;
}

std::vector<std::int64_t> checked_rows(const Tensor& indices, std::int64_t count) {
    check(indices.dtype() == int64, "embedding: expected indices of dtype int64, got {}",
          indices.dtype());
    std::vector<std::int64_t> rows = indices.to_vector<std::int64_t>();
    for (std::int64_t row : rows) {
        check(row >= 0 && row < count, "embedding: index {} is out of range for {} embeddings", row,
              count);
    }
    return rows;
}

// out[j, :] = table[rows[j], :], rows of `width` contiguous elements.
template <class T>
void gather_rows(const T* table, T* out, const std::vector<std::int64_t>& rows,
                 std::int64_t width) {
    for (std::size_t j = 0; j < rows.size(); ++j) {
        std::copy_n(table + rows[j] * width, width, out + static_cast<std::int64_t>(j) * width);
    }
}

// grad_table[rows[j], :] += grad[j, :], except at the padding row.
template <class T>
void scatter_add_rows(const T* grad, T* grad_table, const std::vector<std::int64_t>& rows,
                      std::int64_t width, std::int64_t padding) {
    for (std::size_t j = 0; j < rows.size(); ++j) {
        if (rows[j] == padding) continue;
        T* into = grad_table + rows[j] * width;
        const T* from = grad + static_cast<std::int64_t>(j) * width;
        for (std::int64_t i = 0; i < width; ++i) into[i] += from[i];
    }
}

}  // namespace

Tensor embedding_lookup(const Tensor& indices, const Tensor& weight,
                        std::optional<std::int64_t> padding_idx) {
    check(weight.dim() == 2,
          "embedding: weight must be 2-D (num_embeddings, embedding_dim), got shape {}",
          weight.shape());
    const std::int64_t count = weight.size(0);
    const std::int64_t width = weight.size(1);
    const std::int64_t padding = padding_row(padding_idx, count);
    std::vector<std::int64_t> rows = checked_rows(indices, count);

    Shape shape = indices.shape();
    shape.push_back(width);
    Tensor out = empty(shape, weight.dtype(), "embedding");
    dispatch(weight.dtype(), [&]<class T>() {
        gather_rows(weight.contiguous().data_ptr<T>(), out.data_ptr<T>(), rows, width);
    });
    return autograd::record(
        "embedding", {weight}, out,
        [from = weight.shape(), padding, rows = std::move(rows)](const Tensor& grad) {
            Tensor grad_weight = zeros(from, grad.dtype());
            dispatch(grad.dtype(), [&]<class T>() {
                scatter_add_rows(grad.contiguous().data_ptr<T>(), grad_weight.data_ptr<T>(), rows,
                                 from[1], padding);
            });
            return Gradients{grad_weight};
        });
}

}  // namespace lucid
