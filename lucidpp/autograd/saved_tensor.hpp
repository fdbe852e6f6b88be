#pragma once
// SavedTensor: a tensor an op keeps for its backward.
//
// It keeps the data only (a detached view), so a node that saves its own output does not own
// itself. It also remembers the storage's version: if the data is modified in place before
// backward runs, get() refuses, because the gradient would silently be wrong.
#include <cstdint>

#include "lucidpp/tensor/tensor.hpp"

namespace lucid::autograd {

class SavedTensor {
public:
    SavedTensor() = default;
    explicit SavedTensor(const Tensor& tensor);

    const Tensor& get() const;
    bool defined() const { return data_.defined(); }

private:
    Tensor data_;
    std::uint64_t version_ = 0;
};

}  // namespace lucid::autograd
