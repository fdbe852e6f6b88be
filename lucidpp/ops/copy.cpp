// Copies, dtype conversion, and reading values out. The gradient of a copy is the incoming
// gradient itself, converted back to the source's dtype.
#include "lucidpp/ops/copy.hpp"

#include "lucidpp/autograd/function.hpp"
#include "lucidpp/kernels/copy.hpp"

namespace lucid {

using autograd::Gradients;

namespace {

Tensor copy_as(const Tensor& x, Dtype dtype, const char* op) {
    Tensor out = kernels::contiguous_copy(x, dtype);
    if (x.requires_grad()) {
        check(is_floating_point(dtype), "{}: cannot convert a tensor that requires grad to {}", op,
              dtype);
    }
    return autograd::record(op, {x}, out, [source = x.dtype()](const Tensor& grad) {
        return Gradients{grad.dtype() == source ? grad : kernels::contiguous_copy(grad, source)};
    });
}

}  // namespace

Tensor Tensor::to(Dtype dtype) const { return this->dtype() == dtype ? *this : copy_as(*this, dtype, "to"); }
Tensor Tensor::clone() const { return copy_as(*this, dtype(), "clone"); }
Tensor Tensor::contiguous() const {
    return is_contiguous() ? *this : copy_as(*this, dtype(), "contiguous");
}
Tensor Tensor::detach() const { return as_strided_view(*this, shape(), strides(), storage_offset()); }

Tensor clone(const Tensor& x) { return x.clone(); }
Tensor contiguous(const Tensor& x) { return x.contiguous(); }
Tensor to(const Tensor& x, Dtype dtype) { return x.to(dtype); }

template <class T>
T Tensor::item() const {
    check(numel() == 1, "item: a Tensor with {} elements cannot be converted to Scalar (shape {})",
          numel(), shape());
    return dispatch(dtype(), [&]<class S>() { return static_cast<T>(*data_ptr<S>()); });
}
template float Tensor::item<float>() const;
template double Tensor::item<double>() const;
template std::int64_t Tensor::item<std::int64_t>() const;
template int Tensor::item<int>() const;

template <class T>
std::vector<T> Tensor::to_vector() const {
    Tensor flat = kernels::contiguous_copy(*this, dtype_of<T>());
    const T* data = flat.data_ptr<T>();
    return std::vector<T>(data, data + flat.numel());
}
template std::vector<float> Tensor::to_vector<float>() const;
template std::vector<double> Tensor::to_vector<double>() const;
template std::vector<std::int64_t> Tensor::to_vector<std::int64_t>() const;

}  // namespace lucid
