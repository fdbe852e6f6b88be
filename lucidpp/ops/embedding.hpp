#pragma once
// The embedding lookup, as torch.embedding: rows of a table picked by integer indices.
#include <cstdint>
#include <optional>

#include "lucidpp/tensor/tensor.hpp"

namespace lucid {

// Rows of `weight` (num_embeddings, dim) at the int64 `indices` of any shape; the result has
// shape indices.shape + (dim). The row at padding_idx (counted from the end when negative) gets
// no gradient. torch.nn.functional spells it nn::functional::embedding.
Tensor embedding_lookup(const Tensor& indices, const Tensor& weight,
                        std::optional<std::int64_t> padding_idx = std::nullopt);

}  // namespace lucid
