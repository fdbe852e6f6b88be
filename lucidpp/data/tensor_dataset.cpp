#include "lucidpp/data/tensor_dataset.hpp"

#include <fmt/format.h>
#include <fmt/ranges.h>

#include "lucidpp/tensor/error.hpp"
#include "lucidpp/tensor/shape.hpp"

namespace lucid::data {

namespace {

std::string shapes_of(const std::vector<Tensor>& tensors) {
    std::vector<std::string> shapes;
    for (const Tensor& t : tensors) shapes.push_back(fmt::format("{}", t.shape()));
    return fmt::format("{}", fmt::join(shapes, ", "));
}

}  // namespace

TensorDataset::TensorDataset(std::vector<Tensor> tensors) : tensors_(std::move(tensors)) {
    check(!tensors_.empty(), "TensorDataset: expects at least one tensor");
    for (const Tensor& t : tensors_) {
        check(t.defined() && t.dim() > 0,
              "TensorDataset: every tensor needs a dimension 0 to index, got shapes {}",
              shapes_of(tensors_));
        // PyTorch's wording, with the shapes added.
        check(t.size(0) == tensors_[0].size(0),
              "TensorDataset: Size mismatch between tensors: shapes {} differ in dimension 0",
              shapes_of(tensors_));
    }
}

std::int64_t TensorDataset::size() const {
    return tensors_[0].size(0);
}

std::vector<Tensor> TensorDataset::get(std::int64_t index) const {
    check(index >= 0 && index < size(),
          "TensorDataset: index {} is out of bounds for dimension 0 with size {}", index, size());
    std::vector<Tensor> example;
    for (const Tensor& t : tensors_) example.push_back(t.select(0, index));
    return example;
}

}  // namespace lucid::data
