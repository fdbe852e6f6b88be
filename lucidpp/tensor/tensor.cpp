#include "lucidpp/tensor/tensor.hpp"

#include <new>
#include <optional>

#include "lucidpp/tensor/byte_size.hpp"

namespace lucid {

TensorImpl& Tensor::impl() const {
    check(impl_ != nullptr, "Tensor: this tensor is undefined (for example, a gradient that was "
                            "never computed)");
    return *impl_;
}

std::int64_t Tensor::size(std::int64_t dim) const {
    return shape()[normalize_dim(dim, this->dim(), "size")];
}

std::int64_t Tensor::stride(std::int64_t dim) const {
    return strides()[normalize_dim(dim, this->dim(), "stride")];
}

bool Tensor::is_contiguous() const {
    if (numel() == 0) return true;
    std::int64_t expected = 1;
    for (std::int64_t i = dim() - 1; i >= 0; --i) {
        if (shape()[i] == 1) continue;
        if (strides()[i] != expected) return false;
        expected *= shape()[i];
    }
    return true;
}

template <class T>
T* Tensor::data_ptr() const {
    check(dtype() == dtype_of<T>(), "data_ptr: expected a {} tensor, got {}", dtype_of<T>(),
          dtype());
    return reinterpret_cast<T*>(impl().storage->data()) + impl().offset;
}
template float* Tensor::data_ptr<float>() const;
template double* Tensor::data_ptr<double>() const;
template std::int64_t* Tensor::data_ptr<std::int64_t>() const;

Tensor& Tensor::requires_grad_(bool requires_grad) {
    check(!requires_grad || is_floating_point(),
          "requires_grad_: only tensors of floating point dtype can require gradients, got {}",
          dtype());
    check(is_leaf(), "requires_grad_: you can only change requires_grad flags of leaf tensors; "
                     "use detach() to get a leaf");
    impl().requires_grad = requires_grad;
    return *this;
}

Tensor Tensor::grad() const { return Tensor(impl().grad); }

void Tensor::set_grad(const Tensor& grad) const {
    if (grad.defined()) {
        check(grad.shape() == shape(), "set_grad: assigned grad has shape {}, expected {}",
              grad.shape(), shape());
        check(grad.dtype() == dtype(), "set_grad: assigned grad has dtype {}, expected {}",
              grad.dtype(), dtype());
    }
    impl().grad = grad.impl_ptr();
}

void Tensor::zero_grad() const { impl().grad.reset(); }

void Tensor::set_data(const Tensor& source) const {
    check(is_leaf(), "set_data: only leaf tensors can have their data replaced");
    check(!requires_grad() || source.is_floating_point(),
          "set_data: a tensor that requires grad needs floating point data, got {}",
          source.dtype());
    TensorImpl& self = impl();
    const TensorImpl& from = source.impl();
    self.storage = from.storage;
    self.shape = from.shape;
    self.strides = from.strides;
    self.offset = from.offset;
    self.dtype = from.dtype;
    self.grad.reset();
}

bool Tensor::is_leaf() const { return impl().grad_fn == nullptr; }

Tensor as_strided_view(const Tensor& base, Shape shape, Strides strides, std::int64_t offset) {
    auto impl = std::make_shared<TensorImpl>();
    impl->storage = base.impl().storage;
    impl->shape = std::move(shape);
    impl->strides = std::move(strides);
    impl->offset = offset;
    impl->dtype = base.dtype();
    return Tensor(std::move(impl));
}

namespace {

// The byte count is checked against int64 too: malloc refuses more than PTRDIFF_MAX bytes.
std::shared_ptr<Storage> storage_for(const Shape& shape, Dtype dtype, std::string_view op) {
    const std::int64_t count = numel(shape, op);
    const auto element = static_cast<std::int64_t>(element_size(dtype));
    if (std::optional<std::int64_t> nbytes = try_mul(count, element)) {
        try {
            return std::make_shared<Storage>(static_cast<std::size_t>(*nbytes));
        } catch (const std::bad_alloc&) {  // the allocator's signal: the system said no
        }
    }
    throw Error(fmt::format("{}: cannot allocate {} for shape {}", op,
                            byte_size(static_cast<double>(count) * static_cast<double>(element)),
                            shape));
}

}  // namespace

Tensor empty(const Shape& shape, Dtype dtype, std::string_view op) {
    auto impl = std::make_shared<TensorImpl>();
    impl->storage = storage_for(shape, dtype, op);
    impl->shape = shape;
    impl->strides = contiguous_strides(shape, op);
    impl->dtype = dtype;
    return Tensor(std::move(impl));
}

}  // namespace lucid
