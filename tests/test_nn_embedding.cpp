#include "lucidpp/nn/functional.hpp"

#include "helpers.hpp"

namespace {

using namespace lucid;
namespace F = lucid::nn::functional;
using lucid::autograd::gradcheck;
using lucid::testing::check_values;
using lucid::testing::error_of;
using lucid::testing::leaf;

Tensor indices_of(const std::vector<double>& values, const Shape& shape) {
    return tensor(values, shape, int64);
}

// 4 embeddings of width 2: row r is (10 r, 10 r + 1).
Tensor table() {
    return tensor({0, 1, 10, 11, 20, 21, 30, 31}, {4, 2}, float32);
}

}  // namespace

TEST_SUITE("nn.embedding") {

TEST_CASE("embedding looks up rows for 1-D indices") {
    Tensor out = F::embedding(indices_of({3, 0, 3}, {3}), table());
    CHECK(out.shape() == Shape{3, 2});
    CHECK(out.dtype() == float32);
    check_values(out, {30, 31, 0, 1, 30, 31});
}

TEST_CASE("embedding of N-D indices has shape indices.shape + (dim)") {
    Tensor out = F::embedding(indices_of({1, 2, 3, 0, 0, 1}, {2, 3}), table());
    CHECK(out.shape() == Shape{2, 3, 2});
    check_values(out, {10, 11, 20, 21, 30, 31, 0, 1, 0, 1, 10, 11});

    Tensor scalar = F::embedding(indices_of({2}, {}), table());
    CHECK(scalar.shape() == Shape{2});
    check_values(scalar, {20, 21});

    Tensor none = F::embedding(zeros({0}, int64), table());
    CHECK(none.shape() == Shape{0, 2});
}

TEST_CASE("embedding reads non-contiguous indices and weight in logical order") {
    Tensor indices = indices_of({0, 1, 2, 3}, {2, 2}).t();  // [[0, 2], [1, 3]]
    check_values(F::embedding(indices, table()), {0, 1, 20, 21, 10, 11, 30, 31});
    Tensor weight =
        tensor({0, 10, 20, 1, 11, 21}, {2, 3}, float32).t();  // rows (0, 1), (10, 11), ...
    check_values(F::embedding(indices_of({2, 1}, {2}), weight), {20, 21, 10, 11});
}

TEST_CASE("embedding backward scatter-adds into rows, repeated indices add up") {
    Tensor weight = leaf({4, 2}, 1);
    Tensor out = F::embedding(indices_of({3, 0, 3, 3}, {2, 2}), weight);
    Tensor weights = tensor({1, 2, 3, 4, 5, 6, 7, 8}, {2, 2, 2}, float64);
    (out * weights).sum().backward();
    // Row 3 gets positions 0, 2, 3: (1 + 5 + 7, 2 + 6 + 8); row 0 gets position 1: (3, 4).
    check_values(weight.grad(), {3, 4, 0, 0, 0, 0, 13, 16});
}

TEST_CASE("the padding_idx row is looked up but gets no gradient") {
    Tensor weight = leaf({4, 2}, 2);
    std::vector<double> rows = weight.to_vector<double>();
    Tensor out = F::embedding(indices_of({1, 2, 1, 0}, {4}), weight, 1);
    check_values(out, {rows[2], rows[3], rows[4], rows[5], rows[2], rows[3], rows[0], rows[1]});
    out.sum().backward();
    check_values(weight.grad(), {1, 1, 0, 0, 1, 1, 0, 0});
}

TEST_CASE("a negative padding_idx counts from the end") {
    Tensor weight = leaf({4, 2}, 3);
    F::embedding(indices_of({3, 3, 2}, {3}), weight, -1).sum().backward();
    check_values(weight.grad(), {0, 0, 0, 0, 1, 1, 0, 0});

    Tensor first = leaf({4, 2}, 4);
    F::embedding(indices_of({0, 1}, {2}), first, -4).sum().backward();
    check_values(first.grad(), {0, 0, 1, 1, 0, 0, 0, 0});
}

TEST_CASE("embedding gradcheck: N-D repeated indices, non-contiguous weight") {
    Tensor weight = leaf({3, 5}, 5).detach().t();  // (5, 3), non-contiguous
    weight.requires_grad_();
    Tensor indices = indices_of({4, 0, 4, 2, 2, 4}, {3, 2});
    CHECK(gradcheck([&](const std::vector<Tensor>& in) { return F::embedding(indices, in[0]); },
                    {weight}));
    // With a padding row that the indices never reach, the gradient is the plain one.
    CHECK(gradcheck(
        [&](const std::vector<Tensor>& in) { return F::embedding(indices, in[0], 1); },
        {weight}));
}

TEST_CASE("embedding records nothing for a weight that needs no gradient") {
    Tensor out = F::embedding(indices_of({0}, {1}), table());
    CHECK(out.grad_fn() == nullptr);
    CHECK_FALSE(out.requires_grad());
}

TEST_CASE("embedding errors") {
    Tensor weight = zeros({5, 3});
    CHECK(error_of([&] { F::embedding(indices_of({1, 7}, {2}), weight); }) ==
          "embedding: index 7 is out of range for 5 embeddings");
    CHECK(error_of([&] { F::embedding(indices_of({-1}, {1}), weight); }) ==
          "embedding: index -1 is out of range for 5 embeddings");
    CHECK(error_of([&] { F::embedding(tensor({1}, float32), weight); }) ==
          "embedding: expected indices of dtype int64, got float32");
    CHECK(error_of([&] { F::embedding(indices_of({0}, {1}), zeros({5})); }) ==
          "embedding: weight must be 2-D (num_embeddings, embedding_dim), got shape (5)");
    CHECK(error_of([&] { F::embedding(indices_of({0}, {1}), weight, 5); }) ==
          "embedding: Padding_idx must be within num_embeddings (5), got 5");
    CHECK(error_of([&] { F::embedding(indices_of({0}, {1}), weight, -6); })
              .find("got -6") != std::string::npos);
}

}  // TEST_SUITE
