#include "helpers.hpp"

using namespace lucid;
using lucid::testing::check_values;
using lucid::testing::error_of;
using lucid::testing::leaf;

namespace {

using Inputs = std::vector<Tensor>;

// 1 2 3 / 4 5 6 and 7 8 / 9 10 / 11 12; their product is 58 64 / 139 154.
Tensor matrix_a(Dtype dtype = float64) { return tensor({1, 2, 3, 4, 5, 6}, {2, 3}, dtype); }
Tensor matrix_b(Dtype dtype = float64) { return tensor({7, 8, 9, 10, 11, 12}, {3, 2}, dtype); }

// The product of two 2-D tensors by the textbook triple loop, row-major.
std::vector<double> naive_matmul(const Tensor& a, const Tensor& b) {
    const std::int64_t n = a.size(0), k = a.size(1), m = b.size(1);
    std::vector<double> va = a.to_vector<double>(), vb = b.to_vector<double>();
    std::vector<double> out(static_cast<std::size_t>(n * m), 0.0);
    for (std::int64_t i = 0; i < n; ++i) {
        for (std::int64_t j = 0; j < m; ++j) {
            for (std::int64_t p = 0; p < k; ++p) out[i * m + j] += va[i * k + p] * vb[p * m + j];
        }
    }
    return out;
}

// A float64 leaf of shape (rows, cols) that is the transpose of a contiguous tensor.
Tensor transposed_leaf(std::int64_t rows, std::int64_t cols, std::uint64_t seed) {
    Tensor x = leaf({cols, rows}, seed).detach().t();
    x.requires_grad_();
    return x;
}

auto matmul_fn = [](const Inputs& x) { return matmul(x[0], x[1]); };

}  // namespace

TEST_CASE("linalg: 1-D x 1-D is a dot product with a 0-d result") {
    Tensor out = matmul(tensor({1, 2, 3}, float64), tensor({4, 5, 6}, float64));
    CHECK(out.dim() == 0);
    CHECK(out.item<double>() == 32);
}

TEST_CASE("linalg: 1-D x 2-D and 2-D x 1-D drop the added dim") {
    Tensor v = tensor({1, 2, 3}, float64);
    Tensor left = matmul(v, matrix_b());
    CHECK(left.shape() == Shape{2});
    check_values(left, {58, 64});
    Tensor right = matmul(matrix_a(), tensor({1, 0, -1}, float64));
    CHECK(right.shape() == Shape{2});
    check_values(right, {-2, -2});
}

TEST_CASE("linalg: 2-D x 2-D in float32 and float64") {
    for (Dtype dtype : {float32, float64}) {
        Tensor out = matrix_a(dtype).matmul(matrix_b(dtype));
        CHECK(out.dtype() == dtype);
        CHECK(out.shape() == Shape{2, 2});
        check_values(out, {58, 64, 139, 154});
    }
    check_values(mm(matrix_b(), matrix_a()),
                 {39, 54, 69, 49, 68, 87, 59, 82, 105});
}

TEST_CASE("linalg: larger random products match the triple loop") {
    Generator generator(3);
    Tensor a = randn({7, 5}, float64, &generator);
    Tensor b = randn({5, 9}, float64, &generator);
    check_values(matmul(a, b), naive_matmul(a, b), 1e-10);
    Tensor af = a.to(float32), bf = b.to(float32);
    check_values(matmul(af, bf), naive_matmul(a, b), 1e-4);
}

TEST_CASE("linalg: batched 3-D x 3-D multiplies batch by batch") {
    Tensor a = tensor({1, 2, 3, 4, 5, 6, 1, 0, 0, 0, 1, 0}, {2, 2, 3}, float64);
    Tensor b = tensor({7, 8, 9, 10, 11, 12, 1, 2, 3, 4, 5, 6}, {2, 3, 2}, float64);
    Tensor out = matmul(a, b);
    CHECK(out.shape() == Shape{2, 2, 2});
    // batch 0 is the 2-by-2 product above; batch 1 picks the first two rows of b[1].
    check_values(out, {58, 64, 139, 154, 1, 2, 3, 4});
}

TEST_CASE("linalg: batch dims broadcast, (2,1,3,4) x (5,4,2) gives (2,5,3,2)") {
    Tensor a = leaf({2, 1, 3, 4}, 1).detach();
    Tensor b = leaf({5, 4, 2}, 2).detach();
    Tensor out = matmul(a, b);
    REQUIRE(out.shape() == Shape{2, 5, 3, 2});
    for (std::int64_t i = 0; i < 2; ++i) {
        for (std::int64_t j = 0; j < 5; ++j) {
            INFO("batch ", i, ", ", j);
            check_values(out.select(0, i).select(0, j),
                         naive_matmul(a.select(0, i).select(0, 0), b.select(0, j)), 1e-10);
        }
    }
    Tensor shared = matmul(a.select(0, 0).select(0, 0), b);  // 2-D x 3-D
    CHECK(shared.shape() == Shape{5, 3, 2});
    check_values(shared.select(0, 4), naive_matmul(a.select(0, 0).select(0, 0), b.select(0, 4)),
                 1e-10);
    Tensor vec = matmul(tensor({1, 0, 0, 0}, float64), b);  // 1-D x 3-D: the first rows of b
    CHECK(vec.shape() == Shape{5, 2});
    check_values(vec.select(0, 3), b.select(0, 3).select(0, 0).to_vector<double>());
    Tensor col = matmul(a, tensor({0, 0, 0, 1}, float64));  // 4-D x 1-D: the last columns
    CHECK(col.shape() == Shape{2, 1, 3});
    check_values(col, a.select(3, 3).to_vector<double>());
}

TEST_CASE("linalg: transposed and strided operands give the right values") {
    Tensor at = tensor({1, 4, 2, 5, 3, 6}, {3, 2}, float64).t();  // holds matrix_a
    Tensor bt = tensor({7, 9, 11, 8, 10, 12}, {2, 3}, float64).t();  // holds matrix_b
    REQUIRE_FALSE(at.is_contiguous());
    check_values(matmul(at, matrix_b()), {58, 64, 139, 154});
    check_values(matmul(matrix_a(), bt), {58, 64, 139, 154});
    check_values(matmul(at, bt), {58, 64, 139, 154});
    check_values(matmul(bt.t(), at.t()), {58, 139, 64, 154});
    // Every other column: neither row- nor column-major, so it is copied first.
    Tensor wide = tensor({1, 0, 2, 0, 3, 0, 4, 0, 5, 0, 6, 0}, {2, 6}, float64);
    check_values(matmul(wide.slice(1, 0, 6, 2), matrix_b()), {58, 64, 139, 154});
    // A transposed batch of matrices.
    Tensor batch = stack({matrix_a().t(), matrix_a().t()}).transpose(1, 2);
    check_values(matmul(batch, matrix_b()), {58, 64, 139, 154, 58, 64, 139, 154});
    // A transposed vector slice: a column of a matrix.
    check_values(matmul(matrix_b().select(1, 0), matrix_a().t()), {58, 139});
}

TEST_CASE("linalg: an empty inner dim gives zeros") {
    Tensor out = matmul(empty({2, 0}, float64), empty({0, 3}, float64));
    CHECK(out.shape() == Shape{2, 3});
    check_values(out, {0, 0, 0, 0, 0, 0});
}

TEST_CASE("linalg: gradients by hand, dA = dC B^T and dB = A^T dC") {
    Tensor a = matrix_a().requires_grad_();
    Tensor b = matrix_b().requires_grad_();
    matmul(a, b).sum().backward();
    check_values(a.grad(), {15, 19, 23, 15, 19, 23});  // row sums of b
    check_values(b.grad(), {5, 5, 7, 7, 9, 9});        // column sums of a
    CHECK(a.grad().dtype() == float64);
    Tensor u = tensor({1, 2, 3}, float64).requires_grad_();
    Tensor v = tensor({4, 5, 6}, float64).requires_grad_();
    matmul(u, v).backward();
    check_values(u.grad(), {4, 5, 6});
    check_values(v.grad(), {1, 2, 3});
}

TEST_CASE("linalg: gradcheck of every operand rank") {
    CHECK(autograd::gradcheck(matmul_fn, {leaf({4}, 1), leaf({4}, 2)}));
    CHECK(autograd::gradcheck(matmul_fn, {leaf({3}, 3), leaf({3, 2}, 4)}));
    CHECK(autograd::gradcheck(matmul_fn, {leaf({2, 3}, 5), leaf({3}, 6)}));
    CHECK(autograd::gradcheck(matmul_fn, {leaf({2, 3}, 7), leaf({3, 4}, 8)}));
    CHECK(autograd::gradcheck(matmul_fn, {leaf({2, 2, 3}, 9), leaf({2, 3, 2}, 10)}));
    CHECK(autograd::gradcheck(matmul_fn, {leaf({3}, 11), leaf({2, 3, 2}, 12)}));
    CHECK(autograd::gradcheck(matmul_fn, {leaf({2, 2, 3}, 13), leaf({3}, 14)}));
}

TEST_CASE("linalg: gradcheck with broadcast batch dims") {
    CHECK(autograd::gradcheck(matmul_fn, {leaf({2, 1, 3, 4}, 1), leaf({5, 4, 2}, 2)}));
    CHECK(autograd::gradcheck(matmul_fn, {leaf({3, 4}, 3), leaf({2, 4, 2}, 4)}));
    CHECK(autograd::gradcheck(matmul_fn, {leaf({2, 3, 4}, 5), leaf({4, 2}, 6)}));
}

TEST_CASE("linalg: gradcheck on transposed (non-contiguous) operands") {
    Tensor at = transposed_leaf(2, 3, 1);
    Tensor bt = transposed_leaf(3, 4, 2);
    CHECK(autograd::gradcheck(matmul_fn, {at, leaf({3, 4}, 3)}));
    CHECK(autograd::gradcheck(matmul_fn, {leaf({2, 3}, 4), bt}));
    CHECK(autograd::gradcheck(matmul_fn, {at, bt}));
    CHECK(autograd::gradcheck([](const Inputs& x) { return matmul(x[0].t(), x[1].t()); },
                              {leaf({3, 2}, 5), leaf({4, 3}, 6)}));
    Tensor batch = leaf({2, 4, 3}, 7).detach().transpose(1, 2);
    batch.requires_grad_();
    CHECK(autograd::gradcheck(matmul_fn, {batch, leaf({4, 2}, 8)}));
    CHECK(autograd::gradcheck([](const Inputs& x) { return matmul(x[0].slice(1, 0, 6, 2), x[1]); },
                              {leaf({2, 6}, 9), leaf({3, 2}, 10)}));
}

TEST_CASE("linalg: shape errors use PyTorch's wording") {
    Tensor a = zeros({2, 3});
    Tensor b = zeros({4, 5});
    CHECK(error_of([&] { matmul(a, b); }).find("matmul: shapes (2, 3) and (4, 5) cannot be "
                                               "multiplied") != std::string::npos);
    CHECK(error_of([&] { matmul(zeros({3}), zeros({4})); }).find("cannot be multiplied") !=
          std::string::npos);
    CHECK(error_of([&] { matmul(zeros({2, 2, 3}), zeros({5, 3, 2})); }).find("matmul:") !=
          std::string::npos);
    CHECK(error_of([&] { matmul(scalar_tensor(1.0), a); }) ==
          "matmul: both arguments need to be at least 1D, but they are 0D and 2D");
    CHECK(error_of([&] { matmul(zeros({2, 3}, int64), zeros({3, 2}, int64)); })
              .find("matmul: expected floating point tensors") != std::string::npos);
    CHECK(error_of([&] { matmul(zeros({2, 3}), zeros({3, 2}, float64)); })
              .find("same dtype") != std::string::npos);
    CHECK(error_of([&] { mm(zeros({3}), zeros({3, 2})); }) ==
          "mm: expected 2D tensors, got shapes (3) and (3, 2)");
}
