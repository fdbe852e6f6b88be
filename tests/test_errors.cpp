// Bad input gets a lucid::Error whose message names the op and the shapes involved.
#include "helpers.hpp"

using namespace lucid;
using lucid::testing::error_of;

namespace {
void check_message(const std::string& message, std::initializer_list<const char*> parts) {
    INFO("message: ", message);
    CHECK_FALSE(message.empty());
    for (const char* part : parts) CHECK(message.find(part) != std::string::npos);
}
}  // namespace

TEST_CASE("lucid::Error is a std::runtime_error") {
    CHECK_THROWS_AS(ones({2}).item<double>(), Error);
    CHECK_THROWS_AS(ones({2}).item<double>(), std::runtime_error);
}

TEST_CASE("impossible broadcasts name the op and both shapes") {
    check_message(error_of([] { ones({2, 3}) + ones({4}); }),
                  {"add", "(2, 3)", "(4)", "cannot be broadcast", "dimension 1"});
    check_message(error_of([] { ones({2, 3}) * ones({3, 2}); }), {"mul", "(2, 3)", "(3, 2)"});
    check_message(error_of([] { ones({2, 3}).expand({4, 3}); }),
                  {"expand", "(4, 3)", "(2, 3)"});
    check_message(error_of([] { where(ones({2}).to(int64), ones({3}), ones({2})); }),
                  {"where", "(2)", "(3)"});
}

TEST_CASE("bad dims name the op and the valid range") {
    check_message(error_of([] { ones({2, 3}).sum(2); }),
                  {"sum", "Dimension out of range", "[-2, 1]", "got 2"});
    check_message(error_of([] { ones({2, 3}).transpose(0, -3); }), {"transpose", "got -3"});
    check_message(error_of([] { ones({2, 3}).size(5); }), {"size", "got 5"});
    check_message(error_of([] { ones({2, 3}).select(0, 2); }),
                  {"select", "index 2 out of range", "(2, 3)"});
    check_message(error_of([] { ones({2, 3}).view({4, 2}); }),
                  {"view", "shape (4, 2) is invalid for input of size 6"});
    check_message(error_of([] { ones({2, 3}).t().view({6}); }), {"view", "reshape"});
    check_message(error_of([] { ones({2, 3}).permute({0, 0}); }), {"permute", "repeated dim"});
}

TEST_CASE("matmul names both shapes") {
    check_message(error_of([] { matmul(ones({2, 3}), ones({4, 5})); }),
                  {"matmul: shapes (2, 3) and (4, 5) cannot be multiplied"});
    check_message(error_of([] { matmul(ones({3}), ones({4})); }), {"matmul", "(3)", "(4)"});
    check_message(error_of([] { matmul(scalar_tensor(1), ones({4})); }), {"matmul", "at least 1D"});
    check_message(error_of([] { matmul(ones({2, 2}), ones({2, 2}, float64)); }),
                  {"matmul", "same dtype", "float32", "float64"});
}

TEST_CASE("an int64 tensor where a float is needed") {
    Tensor i = arange(3);
    check_message(error_of([&] { exp(i); }), {"exp: expected a floating point tensor, got int64"});
    check_message(error_of([&] { tanh(i); }), {"tanh", "int64"});
    check_message(error_of([&] { matmul(i, i); }), {"matmul", "floating point", "int64"});
    check_message(error_of([&] { mean(i); }), {"mean", "int64"});
    check_message(error_of([&] { i.requires_grad_(); }),
                  {"requires_grad_", "floating point", "int64"});
    check_message(error_of([] { randn({2}, int64); }), {"randn", "int64"});
}

TEST_CASE("backward on a non-scalar without a gradient") {
    Tensor y = ones({3}).requires_grad_() * 2.0;
    check_message(error_of([&] { y.backward(); }),
                  {"backward", "only for scalar outputs", "(3)"});
}

TEST_CASE("item() on a tensor with more than one element") {
    check_message(error_of([] { ones({2, 2}).item<double>(); }),
                  {"item", "4 elements", "(2, 2)"});
}

TEST_CASE("creation and random arguments are validated") {
    check_message(error_of([] {
                      tensor({1, 2, 3}, {2, 2}, float32);
                  }),
                  {"tensor", "3 values", "(2, 2)"});
    check_message(error_of([] { empty({2, -1}); }), {"empty", "negative dimension"});
    check_message(error_of([] { arange(0.0, 5.0, 0.0); }), {"arange", "step must be nonzero"});
    check_message(error_of([] { randint(3, 3, {2}); }), {"randint", "low < high"});
    check_message(error_of([] { ones({2}).uniform_(1.0, 0.0); }), {"uniform_", "low <= high"});
    check_message(error_of([] { ones({2}).normal_(0.0, -1.0); }), {"normal_", "std >= 0.0"});
    check_message(error_of([] { Tensor().shape(); }), {"undefined"});
}
