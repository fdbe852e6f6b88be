#include "lucidpp/ops/shape.hpp"

#include "helpers.hpp"

namespace {

using namespace lucid;
using lucid::autograd::gradcheck;
using lucid::testing::check_values;
using lucid::testing::error_of;
using lucid::testing::leaf;

// A float64 leaf that is a transposed (non-contiguous) view, of shape (cols, rows).
Tensor transposed_leaf(std::int64_t rows, std::int64_t cols, std::uint64_t seed) {
    Tensor x = leaf({rows, cols}, seed).detach().t();
    x.requires_grad_();
    return x;
}

Tensor int_tensor(const std::vector<double>& values, const Shape& shape) {
    return tensor(values, shape, int64);
}

// Sum of the output weighted by 1, 2, 3, ...: every output element gets its own gradient.
Tensor weighted_sum(const Tensor& y) {
    Tensor weights = arange(1.0, static_cast<double>(y.numel()) + 1.0, 1.0, float64);
    return (y * weights.reshape(y.shape())).sum();
}

}  // namespace

TEST_SUITE("ops.shape") {

// ---- cat ---------------------------------------------------------------------------------------

TEST_CASE("cat joins along dim 0 and dim 1") {
    Tensor a = tensor({1, 2, 3, 4}, {2, 2}, float32);
    Tensor b = tensor({5, 6}, {1, 2}, float32);
    Tensor rows = cat({a, b}, 0);
    CHECK(rows.shape() == Shape{3, 2});
    check_values(rows, {1, 2, 3, 4, 5, 6});

    Tensor c = tensor({7, 8, 9, 10, 11, 12}, {2, 3}, float32);
    Tensor cols = cat({a, c}, 1);
    CHECK(cols.shape() == Shape{2, 5});
    check_values(cols, {1, 2, 7, 8, 9, 3, 4, 10, 11, 12});
}

TEST_CASE("cat with a negative dim, three inputs, int64 and a non-contiguous input") {
    Tensor a = int_tensor({1, 2}, {2, 1});
    Tensor b = int_tensor({3, 4, 5, 6}, {2, 2}).t();  // [[3, 5], [4, 6]]
    Tensor c = int_tensor({7, 8}, {2, 1});
    Tensor out = cat({a, b, c}, -1);
    CHECK(out.dtype() == int64);
    CHECK(out.shape() == Shape{2, 4});
    check_values(out, {1, 3, 5, 7, 2, 4, 6, 8});
}

TEST_CASE("cat backward hands each input its slice of the gradient") {
    Tensor a = leaf({1, 2}, 1);
    Tensor b = leaf({2, 2}, 2);
    weighted_sum(cat({a, b}, 0)).backward();
    check_values(a.grad(), {1, 2});
    check_values(b.grad(), {3, 4, 5, 6});
}

TEST_CASE("cat of the same tensor twice accumulates both slices") {
    Tensor a = leaf({2}, 3);
    weighted_sum(cat({a, a}, 0)).backward();
    check_values(a.grad(), {1 + 3, 2 + 4});
}

TEST_CASE("cat gradcheck: random shapes, negative dim, non-contiguous input") {
    Tensor a = leaf({3, 2}, 4);
    Tensor b = transposed_leaf(4, 3, 5);  // (3, 4), non-contiguous
    Tensor c = leaf({3, 1}, 6);
    CHECK(gradcheck([](const std::vector<Tensor>& in) { return cat(in, -1); }, {a, b, c}));
    Tensor d = leaf({2, 3, 4}, 7);
    Tensor e = leaf({2, 1, 4}, 8);
    CHECK(gradcheck([](const std::vector<Tensor>& in) { return cat(in, 1); }, {d, e}));
}

TEST_CASE("cat errors name the op, the dimension and the sizes") {
    Tensor a = zeros({2, 3});
    Tensor b = zeros({2, 4});
    CHECK(error_of([&] { cat({a, zeros({4, 3})}, 1); }) ==
          "cat: Sizes of tensors must match except in dimension 1. Expected size 2 but got size "
          "4 for tensor number 1 in the list.");
    CHECK(error_of([&] { cat({a, b}, 0); }) ==
          "cat: Sizes of tensors must match except in dimension 0. Expected size 3 but got size "
          "4 for tensor number 1 in the list.");
    CHECK(error_of([&] { cat({}, 0); }) == "cat: expected a non-empty list of Tensors");
    CHECK(error_of([&] { cat({a, zeros({2, 3}, float64)}); }).find("dtype float32") !=
          std::string::npos);
    CHECK(error_of([&] { cat({a, zeros({2, 3, 1})}); })
              .find("Tensors must have same number of dimensions: got 2 and 3") !=
          std::string::npos);
    CHECK(error_of([&] { cat({scalar_tensor(1.0)}); })
              .find("zero-dimensional tensor (at position 0) cannot be concatenated") !=
          std::string::npos);
    CHECK(error_of([&] { cat({a, b}, 2); }).find("cat: Dimension out of range") !=
          std::string::npos);
}

// ---- stack -------------------------------------------------------------------------------------

TEST_CASE("stack adds a new dim at 0, 1 and -1") {
    Tensor a = tensor({1, 2, 3}, float32);
    Tensor b = tensor({4, 5, 6}, float32);
    Tensor first = stack({a, b}, 0);
    CHECK(first.shape() == Shape{2, 3});
    check_values(first, {1, 2, 3, 4, 5, 6});
    Tensor last = stack({a, b}, -1);
    CHECK(last.shape() == Shape{3, 2});
    check_values(last, {1, 4, 2, 5, 3, 6});
    Tensor scalars = stack({scalar_tensor(7.0), scalar_tensor(8.0)});
    CHECK(scalars.shape() == Shape{2});
    check_values(scalars, {7, 8});
}

TEST_CASE("stack gradcheck, including a non-contiguous input") {
    Tensor a = leaf({3, 2}, 10);
    Tensor b = transposed_leaf(2, 3, 11);  // (3, 2)
    CHECK(gradcheck([](const std::vector<Tensor>& in) { return stack(in, 1); }, {a, b}));
    CHECK(gradcheck([](const std::vector<Tensor>& in) { return stack(in, -1); }, {a, b}));
}

TEST_CASE("stack errors") {
    CHECK(error_of([] { stack({zeros({2, 3}), zeros({3, 2})}); }) ==
          "stack: expects each tensor to be equal size, but got (2, 3) at entry 0 and (3, 2) at "
          "entry 1");
    CHECK(error_of([] { stack({}); }) == "stack: expects a non-empty TensorList");
    CHECK(error_of([] { stack({zeros({2})}, 2); }).find("stack: Dimension out of range") !=
          std::string::npos);
}

// ---- split and chunk ---------------------------------------------------------------------------

TEST_CASE("split by size gives views, the last one smaller") {
    Tensor x = arange(10.0, float32).reshape({5, 2});
    std::vector<Tensor> pieces = split(x, 2);
    REQUIRE(pieces.size() == 3);
    CHECK(pieces[0].shape() == Shape{2, 2});
    CHECK(pieces[2].shape() == Shape{1, 2});
    check_values(pieces[1], {4, 5, 6, 7});
    check_values(pieces[2], {8, 9});
    // Views: writing through x shows in the piece.
    x.fill_(1.0);
    check_values(pieces[2], {1, 1});

    std::vector<Tensor> columns = split(arange(6.0, float32).reshape({2, 3}), 2, -1);
    REQUIRE(columns.size() == 2);
    check_values(columns[0], {0, 1, 3, 4});
    check_values(columns[1], {2, 5});
}

TEST_CASE("split by a list of sizes") {
    Tensor x = tensor({1, 2, 3, 4, 5, 6}, float32);
    std::vector<Tensor> pieces = split(x, std::vector<std::int64_t>{1, 0, 3, 2});
    REQUIRE(pieces.size() == 4);
    check_values(pieces[0], {1});
    CHECK(pieces[1].numel() == 0);
    check_values(pieces[2], {2, 3, 4});
    check_values(pieces[3], {5, 6});
}

TEST_CASE("split gradcheck: pieces used together sum back into the whole") {
    Tensor x = transposed_leaf(3, 5, 12);  // (5, 3)
    auto fn = [](const std::vector<Tensor>& in) {
        std::vector<Tensor> p = split(in[0], 2, 0);  // sizes 2, 2, 1
        return cat({p[2] * 3.0, p[0], p[0] * p[1]}, 0);
    };
    CHECK(gradcheck(fn, {x}));
    auto by_sizes = [](const std::vector<Tensor>& in) {
        std::vector<Tensor> p = split(in[0], std::vector<std::int64_t>{1, 2}, -1);
        return p[1] * p[0];
    };
    CHECK(gradcheck(by_sizes, {x}));
}

TEST_CASE("split errors") {
    Tensor x = zeros({5});
    CHECK(error_of([&] { split(x, std::vector<std::int64_t>{2, 2}); }) ==
          "split_with_sizes: expects split_sizes to sum exactly to 5 (input tensor's size at "
          "dimension 0), but got split_sizes=[2, 2]");
    CHECK(error_of([&] { split(x, std::vector<std::int64_t>{6, -1}); })
              .find("non-negative entries, but got split_sizes=[6, -1]") != std::string::npos);
    CHECK(error_of([&] { split(x, 0); }) ==
          "split: split_size can only be 0 if dimension size is 0, but got dimension size of 5");
    CHECK(error_of([&] { split(x, -1); }).find("split_size=-1") != std::string::npos);
    CHECK(error_of([] { split(scalar_tensor(1.0), 1); }) ==
          "split: expects at least a 1-dimensional tensor");
}

TEST_CASE("chunk uses pieces of ceil(n / chunks) and may give fewer chunks") {
    std::vector<Tensor> three = chunk(tensor({1, 2, 3, 4, 5}, float32), 3);
    REQUIRE(three.size() == 3);
    check_values(three[0], {1, 2});
    check_values(three[1], {3, 4});
    check_values(three[2], {5});

    std::vector<Tensor> fewer =
        chunk(tensor({1, 2, 3, 4, 5, 6}, float32), 4);  // size 2 -> 3 pieces
    REQUIRE(fewer.size() == 3);
    check_values(fewer[2], {5, 6});

    std::vector<Tensor> more_than_size = chunk(tensor({1, 2}, float32), 5);
    CHECK(more_than_size.size() == 2);

    std::vector<Tensor> empty_pieces = chunk(zeros({0, 2}), 3);
    CHECK(empty_pieces.size() == 3);

    std::vector<Tensor> cols = chunk(arange(8.0, float32).reshape({2, 4}), 2, -1);
    REQUIRE(cols.size() == 2);
    check_values(cols[1], {2, 3, 6, 7});
}

TEST_CASE("chunk gradcheck and errors") {
    Tensor x = transposed_leaf(4, 3, 13);  // (3, 4)
    auto fn = [](const std::vector<Tensor>& in) {
        std::vector<Tensor> c = chunk(in[0], 3, -1);  // sizes 2, 2
        return c[1] * c[0] + c[1];
    };
    CHECK(gradcheck(fn, {x}));
    CHECK(error_of([] { chunk(zeros({4}), 0); }) ==
          "chunk: expects `chunks` to be greater than 0, got: 0");
}

// ---- flip --------------------------------------------------------------------------------------

TEST_CASE("flip reverses each listed dim") {
    Tensor x = tensor({1, 2, 3, 4, 5, 6}, {2, 3}, float32);
    check_values(flip(x, {0}), {4, 5, 6, 1, 2, 3});
    check_values(flip(x, {1}), {3, 2, 1, 6, 5, 4});
    check_values(flip(x, {-1, 0}), {6, 5, 4, 3, 2, 1});
    check_values(flip(x, {}), {1, 2, 3, 4, 5, 6});
    check_values(flip(x.t(), {0}), {3, 6, 2, 5, 1, 4});
    Tensor i = flip(int_tensor({1, 2, 3}, {3}), {0});
    CHECK(i.dtype() == int64);
    check_values(i, {3, 2, 1});
    CHECK(flip(x, {0}).is_contiguous());
}

TEST_CASE("flip backward flips the gradient back") {
    Tensor x = leaf({3}, 14);
    weighted_sum(flip(x, {0})).backward();
    check_values(x.grad(), {3, 2, 1});
}

TEST_CASE("flip gradcheck on a non-contiguous 3-D view") {
    Tensor x = leaf({2, 3, 4}, 15).detach().permute({2, 0, 1});  // (4, 2, 3)
    x.requires_grad_();
    CHECK(gradcheck([](const std::vector<Tensor>& in) { return flip(in[0], {0, -1}); }, {x}));
}

TEST_CASE("flip errors") {
    CHECK(error_of([] { flip(zeros({2, 3}), {1, -1}); }) ==
          "flip: dim 1 appears multiple times in the list of dims");
    CHECK(error_of([] { flip(zeros({2, 3}), {2}); }).find("flip: Dimension out of range") !=
          std::string::npos);
}

// ---- index_select ------------------------------------------------------------------------------

TEST_CASE("index_select picks rows and columns, in any order and repeated") {
    Tensor x = tensor({1, 2, 3, 4, 5, 6, 7, 8, 9}, {3, 3}, float32);
    Tensor rows = index_select(x, 0, int_tensor({2, 0, 2}, {3}));
    CHECK(rows.shape() == Shape{3, 3});
    check_values(rows, {7, 8, 9, 1, 2, 3, 7, 8, 9});
    Tensor cols = index_select(x, -1, int_tensor({1, 1}, {2}));
    CHECK(cols.shape() == Shape{3, 2});
    check_values(cols, {2, 2, 5, 5, 8, 8});
    check_values(index_select(x.t(), 0, int_tensor({0}, {1})), {1, 4, 7});
    CHECK(index_select(x, 0, zeros({0}, int64)).shape() == Shape{0, 3});
}

TEST_CASE("index_select backward adds up repeated indices") {
    Tensor x = leaf({3, 2}, 16);
    index_select(x, 0, int_tensor({2, 0, 2, 2}, {4})).sum().backward();
    check_values(x.grad(), {1, 1, 0, 0, 3, 3});

    Tensor y = leaf({2, 3}, 17);
    weighted_sum(index_select(y, 1, int_tensor({2, 2}, {2}))).backward();
    check_values(y.grad(), {0, 0, 1 + 2, 0, 0, 3 + 4});
}

TEST_CASE("index_select gradcheck: non-contiguous input, negative dim, repeated indices") {
    Tensor x = leaf({3, 4, 2}, 18).detach().transpose(0, 2);  // (2, 4, 3)
    x.requires_grad_();
    Tensor index = int_tensor({3, 0, 3, 1, 3}, {5});
    CHECK(gradcheck(
        [&](const std::vector<Tensor>& in) { return index_select(in[0], -2, index); }, {x}));
    Tensor last = int_tensor({2, 0, 2}, {3});
    CHECK(gradcheck(
        [&](const std::vector<Tensor>& in) { return index_select(in[0], 2, last); }, {x}));
}

TEST_CASE("index_select errors") {
    Tensor x = zeros({3, 4});
    CHECK(error_of([&] { index_select(x, 1, int_tensor({0, 4}, {2})); }) ==
          "index_select: index 4 is out of bounds for dimension 1 with size 4");
    CHECK(error_of([&] { index_select(x, 0, int_tensor({-1}, {1})); }) ==
          "index_select: index -1 is out of bounds for dimension 0 with size 3");
    CHECK(error_of([&] { index_select(x, 0, tensor({0}, float32)); }) ==
          "index_select: expected dtype int64 for index, got float32");
    CHECK(error_of([&] { index_select(x, 0, zeros({1, 1}, int64)); })
              .find("Index is supposed to be a vector") != std::string::npos);
}

// ---- gather ------------------------------------------------------------------------------------

TEST_CASE("gather follows torch.gather along dim 1 and dim 0") {
    Tensor x = tensor({1, 2, 3, 4}, {2, 2}, float32);
    Tensor along_1 = gather(x, 1, int_tensor({0, 0, 1, 0}, {2, 2}));
    check_values(along_1, {1, 1, 4, 3});  // the example from the PyTorch docs
    Tensor along_0 = gather(x, 0, int_tensor({1, 0, 1, 1}, {2, 2}));
    check_values(along_0, {3, 2, 3, 4});
}

TEST_CASE("gather with an index smaller than the input, and a non-contiguous input") {
    Tensor x = tensor({1, 2, 3, 4, 5, 6, 7, 8, 9}, {3, 3}, float32);
    Tensor out = gather(x, -1, int_tensor({2, 1}, {2, 1}));
    CHECK(out.shape() == Shape{2, 1});
    check_values(out, {3, 5});
    // x.t() = [[1, 4, 7], [2, 5, 8], [3, 6, 9]]
    check_values(gather(x.t(), 1, int_tensor({0, 2, 1, 1}, {2, 2})), {1, 7, 5, 5});
}

TEST_CASE("gather backward adds up repeated indices") {
    Tensor x = leaf({2, 3}, 19);
    weighted_sum(gather(x, 1, int_tensor({2, 2, 0, 1, 1, 1}, {2, 3}))).backward();
    check_values(x.grad(), {3, 0, 1 + 2, 0, 4 + 5 + 6, 0});
}

TEST_CASE("gather gradcheck on a non-contiguous 3-D input with negative dims") {
    Tensor x = leaf({4, 3, 2}, 20).detach().permute({1, 2, 0});  // (3, 2, 4)
    x.requires_grad_();
    Tensor along_last = int_tensor({3, 0, 3, 1, 2, 2, 0, 0, 1, 3, 3, 3}, {3, 2, 2});
    CHECK(gradcheck([&](const std::vector<Tensor>& in) { return gather(in[0], -1, along_last); },
                    {x}));
    Tensor along_first = int_tensor({2, 2, 0, 1, 0, 0}, {1, 2, 3});
    CHECK(gradcheck([&](const std::vector<Tensor>& in) { return gather(in[0], -3, along_first); },
                    {x}));
}

TEST_CASE("gather errors") {
    Tensor x = zeros({3, 3});
    CHECK(error_of([&] { gather(x, 1, int_tensor({0, 3}, {1, 2})); }) ==
          "gather: index 3 is out of bounds for dimension 1 with size 3");
    CHECK(error_of([&] { gather(x, 1, zeros({4, 2}, int64)); }) ==
          "gather: Size does not match at dimension 0 expected index (4, 2) to be smaller than "
          "self (3, 3) apart from dimension 1");
    CHECK(error_of([&] { gather(x, 0, zeros({3}, int64)); })
              .find("Index tensor must have the same number of dimensions as input tensor") !=
          std::string::npos);
    CHECK(error_of([&] { gather(x, 0, zeros({1, 1}, float64)); }) ==
          "gather: expected dtype int64 for index, got float64");
}

// ---- graph bookkeeping -------------------------------------------------------------------------

TEST_CASE("shape ops record nothing when no input needs a gradient") {
    Tensor x = tensor({1, 2, 3, 4}, {2, 2}, float32);
    CHECK(cat({x, x}).grad_fn() == nullptr);
    CHECK(flip(x, {0}).grad_fn() == nullptr);
    CHECK(gather(x, 0, zeros({1, 2}, int64)).grad_fn() == nullptr);
    Tensor y = leaf({2, 2}, 21);
    {
        NoGradGuard guard;
        CHECK(index_select(y, 0, zeros({1}, int64)).grad_fn() == nullptr);
    }
    CHECK(index_select(y, 0, zeros({1}, int64)).requires_grad());
}

}  // TEST_SUITE
