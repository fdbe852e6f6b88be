#include "lucidpp/autograd/engine.hpp"

#include <algorithm>
#include <functional>
#include <optional>
#include <queue>
#include <unordered_map>
#include <unordered_set>
#include <utility>

#include "lucidpp/autograd/grad_mode.hpp"
#include "lucidpp/autograd/hooks.hpp"
#include "lucidpp/autograd/node.hpp"
#include "lucidpp/kernels/copy.hpp"
#include "lucidpp/tensor/creation.hpp"

namespace lucid::autograd {

namespace {

// Later on the tape comes first: the walk runs the tape backwards.
struct LaterFirst {
    bool operator()(const std::shared_ptr<Node>& a, const std::shared_ptr<Node>& b) const {
        return a->sequence_nr() < b->sequence_nr();
    }
};
using ReadyQueue = std::priority_queue<std::shared_ptr<Node>, std::vector<std::shared_ptr<Node>>,
                                       LaterFirst>;

void check_gradient(const Node& node, const Edge& edge, const Tensor& grad) {
    check(grad.shape() == edge.shape && grad.dtype() == edge.dtype,
          "backward of {}: computed a gradient of shape {} and dtype {} for an input of shape {} "
          "and dtype {}",
          node.name(), grad.shape(), grad.dtype(), edge.shape, edge.dtype);
}

// Leaf gradients are summed here during the walk and written to the leaves only once the whole
// walk succeeded, so a backward that throws leaves every .grad as it was.
using LeafGradients = std::vector<std::pair<std::shared_ptr<TensorImpl>, Tensor>>;

void add_leaf_gradient(LeafGradients& leaves, const std::shared_ptr<TensorImpl>& leaf,
                       const Tensor& grad) {
    for (auto& [known, sum] : leaves) {
        if (known == leaf) {
            sum = kernels::add(sum, grad);
            return;
        }
    }
    leaves.emplace_back(leaf, grad);
}

void accumulate_into_leaf(TensorImpl& leaf, const Tensor& grad) {
    if (!leaf.grad) {
        leaf.grad = kernels::contiguous_copy(grad, grad.dtype()).impl_ptr();
    } else {
        kernels::add_into(Tensor(leaf.grad), grad);
    }
}

bool has_hooks(const TensorImpl& leaf) {
    return leaf.hooks && !leaf.hooks->post_accumulate_grad.empty();
}

// The leaves with post-accumulate-grad hooks (hooks.hpp) that this backward reaches, and when
// each one's gradient is final: once the walk has passed the lowest-numbered node that uses
// it, since nodes run from the highest sequence number down. A final gradient is written to
// .grad at once and the hooks run; the old .grad is kept so that a backward that throws later
// can still put every .grad back.
class HookedLeaves {
public:
    explicit HookedLeaves(const std::shared_ptr<Node>& root) {
        std::unordered_map<TensorImpl*, std::size_t> index;
        std::unordered_set<const Node*> seen{root.get()};
        std::vector<const Node*> stack{root.get()};
        while (!stack.empty()) {
            const Node* node = stack.back();
            stack.pop_back();
            for (const Edge& edge : node->next_edges()) {
                if (edge.node && seen.insert(edge.node.get()).second)
                    stack.push_back(edge.node.get());
                if (!edge.leaf || !has_hooks(*edge.leaf)) continue;
                auto [at, fresh] = index.try_emplace(edge.leaf.get(), by_deadline_.size());
                if (fresh) by_deadline_.push_back({node->sequence_nr(), edge.leaf});
                auto& deadline = by_deadline_[at->second].first;
                deadline = std::min(deadline, node->sequence_nr());
            }
        }
        std::ranges::sort(by_deadline_, std::greater{}, &Pending::first);
    }

    // Finalizes the leaves that no node numbered `next_sequence_nr` or lower uses.
    void finalize_before(std::uint64_t next_sequence_nr, LeafGradients& leaves) {
        while (next_ < by_deadline_.size() && by_deadline_[next_].first > next_sequence_nr) {
            finalize(by_deadline_[next_++].second, leaves);
        }
    }
    void finalize_rest(LeafGradients& leaves) {
        while (next_ < by_deadline_.size()) finalize(by_deadline_[next_++].second, leaves);
    }
    void restore() {
        for (auto& [leaf, grad] : previous_) leaf->grad = grad;
    }

private:
    using Pending = std::pair<std::uint64_t, std::shared_ptr<TensorImpl>>;

    void finalize(const std::shared_ptr<TensorImpl>& leaf, LeafGradients& leaves) {
        auto found = std::ranges::find(leaves, leaf, &LeafGradients::value_type::first);
        if (found == leaves.end() || !found->second.defined()) return;  // no gradient this pass
        previous_.emplace_back(leaf, leaf->grad);
        const Tensor& grad = found->second;
        leaf->grad = (leaf->grad ? kernels::add(Tensor(leaf->grad), grad)
                                 : kernels::contiguous_copy(grad, grad.dtype()))
                         .impl_ptr();
        found->second = Tensor();  // written: the end of the walk skips it
        run_post_accumulate_grad_hooks(leaf);
    }

    std::vector<Pending> by_deadline_;
    std::size_t next_ = 0;
    std::vector<std::pair<std::shared_ptr<TensorImpl>, std::shared_ptr<TensorImpl>>> previous_;
};

// The callbacks queued by the backward pass running on this thread (queue_callback).
struct PassCallbacks {
    bool running = false;
    std::vector<std::function<void()>> queued;
};
thread_local PassCallbacks pass_callbacks;

// Opens a pass's callback list for its lifetime, keeping an outer pass's list aside.
class CallbackScope {
public:
    CallbackScope()
        : outer_(std::exchange(pass_callbacks, PassCallbacks{.running = true, .queued = {}})) {}
    ~CallbackScope() { pass_callbacks = std::move(outer_); }
    CallbackScope(const CallbackScope&) = delete;
    CallbackScope& operator=(const CallbackScope&) = delete;

    // Runs the queued callbacks, including any that a callback queues.
    void run() {
        for (std::size_t i = 0; i < pass_callbacks.queued.size(); ++i) {
            auto callback = std::move(pass_callbacks.queued[i]);
            callback();
        }
        pass_callbacks.queued.clear();
    }

private:
    PassCallbacks outer_;
};

// Sums a gradient into the slot of the node's output it belongs to; every slot is complete
// before the node is applied, because all consumers come later on the tape.
void accumulate_into_node(Node& node, std::uint32_t output_nr, const Tensor& grad,
                          ReadyQueue& ready, const std::shared_ptr<Node>& handle) {
    if (node.pending_grads.empty()) {
        node.pending_grads.resize(node.output_shapes().size());
        ready.push(handle);
    }
    Tensor& slot = node.pending_grads[output_nr];
    slot = slot.defined() ? kernels::add(slot, grad) : grad;
}

}  // namespace

void backward(const Tensor& root, const Tensor& gradient, bool retain_graph) {
    check(root.requires_grad(),
          "backward: element 0 of tensors does not require grad and does not have a grad_fn");
    check(gradient.shape() == root.shape(),
          "backward: gradient has shape {}, but the tensor has shape {}", gradient.shape(),
          root.shape());
    check(gradient.dtype() == root.dtype(),
          "backward: gradient has dtype {}, but the tensor has dtype {}", gradient.dtype(),
          root.dtype());

    NoGradGuard no_grad;
    CallbackScope callbacks;
    if (root.is_leaf()) {
        accumulate_into_leaf(root.impl(), gradient);
        run_post_accumulate_grad_hooks(root.impl_ptr());
        callbacks.run();
        return;
    }

    ReadyQueue ready;
    LeafGradients leaves;
    std::vector<std::shared_ptr<Node>> touched;  // to clear pending gradients if we throw
    std::optional<HookedLeaves> hooked;
    if (any_post_accumulate_grad_hook()) hooked.emplace(root.grad_fn());
    try {
        accumulate_into_node(*root.grad_fn(), root.impl().output_nr, gradient, ready,
                             root.grad_fn());
        while (!ready.empty()) {
            std::shared_ptr<Node> node = ready.top();
            ready.pop();
            if (hooked) hooked->finalize_before(node->sequence_nr(), leaves);
            touched.push_back(node);
            check(!node->released(),
                  "backward of {}: Trying to backward through the graph a second time (or "
                  "directly access saved tensors after they have already been freed). Saved "
                  "intermediate values of the graph are freed when you call backward(). Specify "
                  "retain_graph=true if you need to backward through the graph a second time.",
                  node->name());

            std::vector<Tensor> grad_outputs = std::move(node->pending_grads);
            node->pending_grads.clear();
            std::vector<Tensor> grad_inputs;
            try {
                grad_inputs = node->apply(grad_outputs);
            } catch (const Error& error) {
                throw Error(fmt::format("backward of {}: {}", node->name(), error.what()));
            }
            if (!retain_graph) node->release();

            const auto& edges = node->next_edges();
            check(grad_inputs.size() == edges.size(),
                  "backward of {}: returned {} gradients for {} inputs", node->name(),
                  grad_inputs.size(), edges.size());
            for (std::size_t i = 0; i < edges.size(); ++i) {
                const Edge& edge = edges[i];
                const Tensor& grad = grad_inputs[i];
                if (!edge.needs_grad() || !grad.defined()) continue;
                check_gradient(*node, edge, grad);
                if (edge.leaf) {
                    add_leaf_gradient(leaves, edge.leaf, grad);
                } else {
                    accumulate_into_node(*edge.node, edge.output_nr, grad, ready, edge.node);
                }
            }
        }
        if (hooked) hooked->finalize_rest(leaves);
        for (auto& [leaf, grad] : leaves) {
            if (grad.defined()) accumulate_into_leaf(*leaf, grad);
        }
    } catch (...) {
        if (hooked) hooked->restore();
        for (auto& node : touched) node->pending_grads.clear();
        while (!ready.empty()) {
            ready.top()->pending_grads.clear();
            ready.pop();
        }
        throw;
    }
    callbacks.run();
}

void queue_callback(std::function<void()> callback) {
    check(pass_callbacks.running,
          "queue_callback: Final callbacks can only be installed during backward pass");
    pass_callbacks.queued.push_back(std::move(callback));
}

}  // namespace lucid::autograd

namespace lucid {

void Tensor::backward(bool retain_graph) const {
    check(numel() == 1,
          "backward: grad can be implicitly created only for scalar outputs, but the tensor has "
          "shape {}; pass a gradient of that shape",
          shape());
    autograd::backward(*this, ones_like(*this), retain_graph);
}

void Tensor::backward(const Tensor& gradient, bool retain_graph) const {
    autograd::backward(*this, gradient, retain_graph);
}

}  // namespace lucid
