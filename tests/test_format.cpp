// Tensors print the way PyTorch prints them.
#include <sstream>

#include "helpers.hpp"

using namespace lucid;

TEST_CASE("1-D and scalar tensors") {
    CHECK(to_string(tensor({1, 2, 3}, float32)) == "tensor([1., 2., 3.])");
    CHECK(to_string(tensor({0.5, -1.25})) == "tensor([ 0.5000, -1.2500])");
    CHECK(to_string(scalar_tensor(2.5)) == "tensor(2.5000)");
    CHECK(to_string(arange(4)) == "tensor([0, 1, 2, 3])");
    CHECK(to_string(zeros({0})) == "tensor([])");
    CHECK(to_string(zeros({0, 3})) == "tensor([], size=(0, 3))");
    CHECK(to_string(Tensor()) == "tensor(undefined)");
}

TEST_CASE("matrices align their columns") {
    Tensor m = tensor({0.1, -1.2, 3, 4}, {2, 2});
    CHECK(to_string(m) ==
          "tensor([[ 0.1000, -1.2000],\n"
          "        [ 3.0000,  4.0000]])");
    CHECK(to_string(arange(8).reshape({2, 2, 2})) ==
          "tensor([[[0, 1],\n"
          "         [2, 3]],\n"
          "\n"
          "        [[4, 5],\n"
          "         [6, 7]]])");
}

TEST_CASE("dtype and requires_grad are shown as PyTorch shows them") {
    CHECK(to_string(tensor({1.5}, float64)) == "tensor([1.5000], dtype=lucid.float64)");
    CHECK(to_string(ones({2}).requires_grad_()) == "tensor([1., 1.], requires_grad=True)");
}

TEST_CASE("very large or small magnitudes switch to scientific notation") {
    CHECK(to_string(tensor({1e-5, 1.0})) == "tensor([1.0000e-05, 1.0000e+00])");
}

// The expected strings are str(t) printed by PyTorch 1.13 for the same tensors.
TEST_CASE("long tensors are elided") {
    CHECK(to_string(arange(2000)) == "tensor([   0,    1,    2,  ..., 1997, 1998, 1999])");
    std::string big = to_string(arange(10000).reshape({100, 100}));
    CHECK(big.find("...") != std::string::npos);
    CHECK(big.size() < 600);
    CHECK(to_string(arange(3000, float32).reshape({3, 1000}) / 7.0) ==
          "tensor([[0.0000e+00, 1.4286e-01, 2.8571e-01,  ..., 1.4243e+02, 1.4257e+02,\n"
          "         1.4271e+02],\n"
          "        [1.4286e+02, 1.4300e+02, 1.4314e+02,  ..., 2.8529e+02, 2.8543e+02,\n"
          "         2.8557e+02],\n"
          "        [2.8571e+02, 2.8586e+02, 2.8600e+02,  ..., 4.2814e+02, 4.2829e+02,\n"
          "         4.2843e+02]])");
    CHECK(to_string(arange(1200, float32).reshape({2, 2, 300})) ==
          "tensor([[[0.0000e+00, 1.0000e+00, 2.0000e+00,  ..., 2.9700e+02,\n"
          "          2.9800e+02, 2.9900e+02],\n"
          "         [3.0000e+02, 3.0100e+02, 3.0200e+02,  ..., 5.9700e+02,\n"
          "          5.9800e+02, 5.9900e+02]],\n"
          "\n"
          "        [[6.0000e+02, 6.0100e+02, 6.0200e+02,  ..., 8.9700e+02,\n"
          "          8.9800e+02, 8.9900e+02],\n"
          "         [9.0000e+02, 9.0100e+02, 9.0200e+02,  ..., 1.1970e+03,\n"
          "          1.1980e+03, 1.1990e+03]]])");
}

TEST_CASE("rows wrap at 80 characters, as PyTorch's linewidth") {
    CHECK(to_string(arange(30, float32)) ==
          "tensor([ 0.,  1.,  2.,  3.,  4.,  5.,  6.,  7.,  8.,  9., 10., 11., 12., 13.,\n"
          "        14., 15., 16., 17., 18., 19., 20., 21., 22., 23., 24., 25., 26., 27.,\n"
          "        28., 29.])");
    CHECK(to_string(arange(60, float64).reshape({2, 30})) ==
          "tensor([[ 0.,  1.,  2.,  3.,  4.,  5.,  6.,  7.,  8.,  9., 10., 11., 12., 13.,\n"
          "         14., 15., 16., 17., 18., 19., 20., 21., 22., 23., 24., 25., 26., 27.,\n"
          "         28., 29.],\n"
          "        [30., 31., 32., 33., 34., 35., 36., 37., 38., 39., 40., 41., 42., 43.,\n"
          "         44., 45., 46., 47., 48., 49., 50., 51., 52., 53., 54., 55., 56., 57.,\n"
          "         58., 59.]], dtype=lucid.float64)");
    const std::string hundred = to_string(arange(100));
    CHECK(hundred.starts_with("tensor([ 0,  1,  2,  3,  4,  5,  6,  7,  8,  9, 10, 11, 12, 13, "
                              "14, 15, 16, 17,\n        18, 19,"));
    CHECK(hundred.ends_with("\n        90, 91, 92, 93, 94, 95, 96, 97, 98, 99])"));
}

TEST_CASE("integer lists make int64 tensors, as torch::tensor") {
    CHECK(tensor({1, 2, 3}).dtype() == int64);
    CHECK(to_string(tensor({1, 2, 3})) == "tensor([1, 2, 3])");
    CHECK(tensor({1, 2, 3, 4}, {2, 2}).dtype() == int64);
    CHECK(tensor({1, 2}, float32).dtype() == float32);
    CHECK(tensor({1, 2.5}).dtype() == float32);  // any floating literal: floats
    const std::vector<std::int64_t> big{(std::int64_t{1} << 53) + 1, -7};
    CHECK(tensor(big).to_vector<std::int64_t>() == big);  // exact beyond 2^53
    CHECK(tensor(big, {2, 1}).shape() == Shape{2, 1});
    CHECK(tensor({}, {0}).dtype() == float32);
}

TEST_CASE("fmt and ostream both print tensors") {
    CHECK(fmt::format("{}", tensor({1, 2}, float32)) == "tensor([1., 2.])");
    std::ostringstream out;
    out << arange(2);
    CHECK(out.str() == "tensor([0, 1])");
}
