// Memory stays bounded: dropped graphs free everything, NoGradGuard records nothing, and
// backward releases what the nodes saved.
#include "helpers.hpp"

using namespace lucid;

TEST_CASE("100,000 forward passes without backward leave no live nodes behind") {
    Tensor w = randn({4, 4}).requires_grad_();
    Tensor x = randn({2, 4});
    const std::int64_t before = autograd::live_node_count();
    std::int64_t peak = before;
    for (int i = 0; i < 100000; ++i) {
        Tensor loss = matmul(x, w).tanh().sum();
        peak = std::max(peak, autograd::live_node_count());
    }
    CHECK(peak - before == 3);  // one pass alive at a time: matmul, tanh, sum
    CHECK(autograd::live_node_count() == before);
}

TEST_CASE("ops under NoGradGuard record no nodes") {
    Tensor w = randn({4, 4}).requires_grad_();
    const std::int64_t before = autograd::live_node_count();
    NoGradGuard no_grad;
    Tensor kept = matmul(w, w).exp().sum();
    CHECK(autograd::live_node_count() == before);
}

TEST_CASE("backward without retain_graph releases the saved tensors") {
    Tensor x = randn({1000}).requires_grad_();
    Tensor e = (x * 2.0).exp();  // exp saves its output
    std::weak_ptr<Storage> saved = e.impl().storage;
    Tensor loss = e.sum();
    e = Tensor();
    CHECK_FALSE(saved.expired());  // only the exp node holds it now
    loss.backward(/*retain_graph=*/true);
    CHECK_FALSE(saved.expired());
    loss.backward();
    CHECK(saved.expired());
}

TEST_CASE("a dropped graph frees the activations it saved") {
    Tensor x = randn({1000}).requires_grad_();
    std::weak_ptr<Storage> saved;
    {
        Tensor e = x.exp();
        saved = e.impl().storage;
        Tensor loss = (e * e).sum();
        e = Tensor();
        CHECK_FALSE(saved.expired());
    }
    CHECK(saved.expired());
}
