#pragma once
// TensorDataset: tensors of the same length along dim 0; example i is the i-th row of each, as
// torch.utils.data.TensorDataset.
#include <cstdint>
#include <vector>

#include "lucidpp/data/dataset.hpp"
#include "lucidpp/tensor/tensor.hpp"

namespace lucid::data {

class TensorDataset final : public Dataset<std::vector<Tensor>> {
public:
    // At least one tensor, each with at least one dimension, all of the same size(0).
    explicit TensorDataset(std::vector<Tensor> tensors);

    std::int64_t size() const override;
    // {tensors[0][index], tensors[1][index], ...}: views, not copies.
    std::vector<Tensor> get(std::int64_t index) const override;

    const std::vector<Tensor>& tensors() const { return tensors_; }

private:
    std::vector<Tensor> tensors_;
};

}  // namespace lucid::data
