#pragma once
// Row-by-row iteration over N strided operands that share one logical shape.
//
// Element-wise kernels call for_each_row only on their slow path (non-contiguous or broadcast
// operands); its `row` callback gets a tight loop over the innermost dimension, which the
// compiler can vectorise, and the odometer below advances the outer dimensions.
#include <array>
#include <cstdint>
#include <vector>

#include "lucidpp/tensor/shape.hpp"

namespace lucid::kernels {

template <std::size_t N>
using Offsets = std::array<std::int64_t, N>;

// Calls row(offsets, inner_strides, length) once per innermost row of `shape`, where offsets[k]
// is operand k's element offset at the row's start.
template <std::size_t N, class Row>
void for_each_row(const Shape& shape, const std::array<const Strides*, N>& strides,
                  Offsets<N> offsets, Row&& row) {
    const std::size_t ndim = shape.size();
    if (numel(shape) == 0) return;
    if (ndim == 0) {
        row(offsets, Offsets<N>{}, std::int64_t{1});
        return;
    }
    const std::size_t inner = ndim - 1;
    Offsets<N> inner_strides{};
    for (std::size_t k = 0; k < N; ++k) inner_strides[k] = (*strides[k])[inner];

    std::vector<std::int64_t> counter(ndim, 0);
    while (true) {
        row(offsets, inner_strides, shape[inner]);
        std::size_t d = inner;
        while (d-- > 0) {
            ++counter[d];
            for (std::size_t k = 0; k < N; ++k) offsets[k] += (*strides[k])[d];
            if (counter[d] < shape[d]) break;
            for (std::size_t k = 0; k < N; ++k) offsets[k] -= (*strides[k])[d] * shape[d];
            counter[d] = 0;
        }
        if (d == static_cast<std::size_t>(-1)) return;
    }
}

}  // namespace lucid::kernels
