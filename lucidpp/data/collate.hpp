#pragma once
// default_collate: a list of examples -> one batch, as torch.utils.data.default_collate.
//
// Tensors are stacked along a new dim 0 (B examples of shape S give (B, *S)); integers become an
// int64 tensor (B) and floating-point numbers a float64 tensor (B); a std::vector, std::pair or
// std::tuple of those is collated field by field, keeping its structure. Examples of one batch
// must agree in structure and shapes (stack says which differ).
#include <cstdint>
#include <tuple>
#include <utility>
#include <vector>

#include "lucidpp/tensor/tensor.hpp"

namespace lucid::data {

Tensor default_collate(const std::vector<Tensor>& examples);
Tensor default_collate(const std::vector<std::int64_t>& examples);
Tensor default_collate(const std::vector<double>& examples);
std::vector<Tensor> default_collate(const std::vector<std::vector<Tensor>>& examples);

// Field `I` of every example.
template <std::size_t I, typename Example>
auto field(const std::vector<Example>& examples) {
    std::vector<std::remove_cvref_t<decltype(std::get<I>(examples.front()))>> out;
    out.reserve(examples.size());
    for (const Example& example : examples) out.push_back(std::get<I>(example));
    return out;
}

template <typename... Fields>
auto default_collate(const std::vector<std::tuple<Fields...>>& examples) {
    return [&]<std::size_t... I>(std::index_sequence<I...>) {
        return std::make_tuple(default_collate(field<I>(examples))...);
    }
    (std::index_sequence_for<Fields...>{});
}

template <typename First, typename Second>
auto default_collate(const std::vector<std::pair<First, Second>>& examples) {
    return std::make_pair(default_collate(field<0>(examples)), default_collate(field<1>(examples)));
}

// The batch type default_collate makes of Example.
template <typename Example>
using DefaultBatch = decltype(default_collate(std::declval<const std::vector<Example>&>()));

}  // namespace lucid::data
