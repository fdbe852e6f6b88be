#pragma once
// Tensor: a handle to a strided view of a shared Storage. Copying a Tensor copies the handle,
// as assigning a tensor in Python does; clone() copies the data.
//
// The tensor layer holds data and layout only. The autograd fields below are plain slots that
// the autograd layer fills in; the differentiable member functions are defined in lucidpp/ops/.
#include <cstdint>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "lucidpp/tensor/dtype.hpp"
#include "lucidpp/tensor/shape.hpp"
#include "lucidpp/tensor/storage.hpp"

namespace lucid {

namespace autograd {
class Node;
struct LeafHooks;
}
class Generator;
class Tensor;

struct TensorImpl {
    std::shared_ptr<Storage> storage;
    Shape shape;
    Strides strides;
    std::int64_t offset = 0;  // in elements
    Dtype dtype = float32;

    bool requires_grad = false;
    std::shared_ptr<TensorImpl> grad;             // accumulated by backward; null until then
    std::shared_ptr<autograd::Node> grad_fn;      // the node that produced this tensor, if any
    std::uint32_t output_nr = 0;                  // which output of grad_fn this tensor is
    std::shared_ptr<autograd::LeafHooks> hooks;   // leaves only; autograd/hooks.hpp
};

class Tensor {
public:
    Tensor() = default;
    explicit Tensor(std::shared_ptr<TensorImpl> impl) : impl_(std::move(impl)) {}

    bool defined() const { return impl_ != nullptr; }
    TensorImpl& impl() const;
    const std::shared_ptr<TensorImpl>& impl_ptr() const { return impl_; }
    bool is_same(const Tensor& other) const { return impl_ == other.impl_; }

    // ---- layout -------------------------------------------------------------------------------
    const Shape& shape() const { return impl().shape; }
    const Shape& sizes() const { return impl().shape; }
    std::int64_t size(std::int64_t dim) const;
    std::int64_t dim() const { return static_cast<std::int64_t>(impl().shape.size()); }
    std::int64_t numel() const { return lucid::numel(impl().shape); }
    Dtype dtype() const { return impl().dtype; }
    const Strides& strides() const { return impl().strides; }
    std::int64_t stride(std::int64_t dim) const;
    std::int64_t storage_offset() const { return impl().offset; }
    bool is_contiguous() const;
    bool is_floating_point() const { return lucid::is_floating_point(dtype()); }

    // Typed pointer to the first element (storage start + offset). T must match dtype().
    template <class T> T* data_ptr() const;
    template <class T = double> T item() const;
    template <class T> std::vector<T> to_vector() const;  // flat, row-major copy

    // ---- copies and conversions (differentiable) ----------------------------------------------
    Tensor to(Dtype dtype) const;
    Tensor clone() const;
    Tensor contiguous() const;  // returns *this when already contiguous
    Tensor detach() const;      // shares storage, cut from the graph

    // ---- autograd ------------------------------------------------------------------------------
    Tensor& requires_grad_(bool requires_grad = true);
    bool requires_grad() const { return impl().requires_grad; }
    Tensor grad() const;  // undefined until a gradient exists
    void set_grad(const Tensor& grad) const;
    void zero_grad() const;  // drops the gradient (PyTorch's set_to_none)
    // Points this tensor at `source`'s data and layout (shared, not copied), keeping its
    // requires_grad flag and dropping its gradient: how Module::to converts parameters in
    // place while every handle to them stays valid. Leaves only.
    void set_data(const Tensor& source) const;
    bool is_leaf() const;
    const std::shared_ptr<autograd::Node>& grad_fn() const { return impl().grad_fn; }
    void backward(bool retain_graph = false) const;  // only for one-element tensors
    void backward(const Tensor& gradient, bool retain_graph = false) const;
    std::uint64_t version() const { return impl().storage->version(); }

    // ---- views: share storage, copy nothing (differentiable) ----------------------------------
    Tensor view(const Shape& shape) const;     // contiguous tensors only; one size may be -1
    Tensor reshape(const Shape& shape) const;  // a view when possible, else a copy
    Tensor flatten(std::int64_t start_dim = 0, std::int64_t end_dim = -1) const;
    Tensor transpose(std::int64_t dim0, std::int64_t dim1) const;
    Tensor t() const;  // transpose of a tensor with at most 2 dims
    Tensor permute(const std::vector<std::int64_t>& dims) const;
    Tensor slice(std::int64_t dim, std::int64_t start, std::int64_t end, std::int64_t step = 1) const;
    Tensor select(std::int64_t dim, std::int64_t index) const;
    Tensor narrow(std::int64_t dim, std::int64_t start, std::int64_t length) const;
    Tensor expand(const Shape& shape) const;  // -1 keeps a size
    Tensor expand_as(const Tensor& other) const { return expand(other.shape()); }
    Tensor squeeze() const;
    Tensor squeeze(std::int64_t dim) const;
    Tensor unsqueeze(std::int64_t dim) const;

    // ---- math (differentiable; the free functions in lucidpp/ops/ are the same ops) ------------
    Tensor sum() const;
    Tensor sum(std::int64_t dim, bool keepdim = false) const;
    Tensor mean() const;
    Tensor mean(std::int64_t dim, bool keepdim = false) const;
    Tensor max() const;
    Tensor min() const;
    Tensor argmax() const;
    Tensor argmax(std::int64_t dim, bool keepdim = false) const;
    Tensor pow(double exponent) const;
    Tensor sqrt() const;
    Tensor exp() const;
    Tensor log() const;
    Tensor abs() const;
    Tensor tanh() const;
    Tensor sigmoid() const;
    Tensor relu() const;
    Tensor clamp(double min, double max) const;
    Tensor matmul(const Tensor& other) const;

    // ---- in place: only on tensors that need no grad, or under NoGradGuard ---------------------
    Tensor& add_(const Tensor& other, double alpha = 1.0);
    Tensor& add_(double value);
    Tensor& sub_(const Tensor& other);
    Tensor& mul_(const Tensor& other);
    Tensor& mul_(double value);
    Tensor& div_(const Tensor& other);
    Tensor& div_(double value);
    Tensor& zero_();
    Tensor& fill_(double value);
    Tensor& copy_(const Tensor& source);  // broadcasts source to this shape, converts dtype
    Tensor& clamp_(double min, double max);
    Tensor& uniform_(double low = 0.0, double high = 1.0, Generator* generator = nullptr);
    Tensor& normal_(double mean = 0.0, double stddev = 1.0, Generator* generator = nullptr);

private:
    std::shared_ptr<TensorImpl> impl_;
};

// A new view of `base`'s storage with the given layout; no autograd (the ops layer adds it).
Tensor as_strided_view(const Tensor& base, Shape shape, Strides strides, std::int64_t offset);

// A fresh, contiguous, uninitialised tensor. A negative size, a shape whose element count or
// byte count overflows, or memory the system cannot give is a lucid::Error that names `op`
// (the public function that asked, e.g. "zeros") and the shape, never std::bad_alloc.
Tensor empty(const Shape& shape, Dtype dtype = float32, std::string_view op = "empty");

}  // namespace lucid
