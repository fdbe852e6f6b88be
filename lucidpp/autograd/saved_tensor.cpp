#include "lucidpp/autograd/saved_tensor.hpp"

namespace lucid::autograd {

SavedTensor::SavedTensor(const Tensor& tensor) {
    if (!tensor.defined()) return;
    data_ = as_strided_view(tensor, tensor.shape(), tensor.strides(), tensor.storage_offset());
    version_ = tensor.version();
}

const Tensor& SavedTensor::get() const {
    if (!data_.defined()) return data_;
    check(data_.version() == version_,
          "one of the tensors needed for gradient computation has been modified by an in-place "
          "operation: a saved tensor of shape {} is at version {}; expected version {}",
          data_.shape(), data_.version(), version_);
    return data_;
}

}  // namespace lucid::autograd
