#include "lucidpp/data/collate.hpp"

#include <algorithm>

#include "lucidpp/ops/shape.hpp"
#include "lucidpp/tensor/error.hpp"

namespace lucid::data {

namespace {

template <typename Number>
Tensor numbers_tensor(const std::vector<Number>& examples, Dtype dtype) {
    Tensor out = empty({static_cast<std::int64_t>(examples.size())}, dtype, "default_collate");
    std::copy(examples.begin(), examples.end(), out.data_ptr<Number>());
    return out;
}

}  // namespace

Tensor default_collate(const std::vector<Tensor>& examples) {
    check(!examples.empty(), "default_collate: expects at least one example");
    return stack(examples, 0);
}

Tensor default_collate(const std::vector<std::int64_t>& examples) {
    return numbers_tensor(examples, int64);
}

Tensor default_collate(const std::vector<double>& examples) {
    return numbers_tensor(examples, float64);
}

// torch's "each element in list of batch should be of equal size", with the sizes.
std::vector<Tensor> default_collate(const std::vector<std::vector<Tensor>>& examples) {
    check(!examples.empty(), "default_collate: expects at least one example");
    const std::size_t fields = examples.front().size();
    for (std::size_t i = 0; i < examples.size(); ++i) {
        check(examples[i].size() == fields,
              "default_collate: each element in list of batch should be of equal size, but "
              "example 0 has {} tensors and example {} has {}",
              fields, i, examples[i].size());
    }
    std::vector<Tensor> batch;
    for (std::size_t f = 0; f < fields; ++f) {
        std::vector<Tensor> column;
        for (const auto& example : examples) column.push_back(example[f]);
        batch.push_back(stack(column, 0));
    }
    return batch;
}

}  // namespace lucid::data
