// Tensors print the way PyTorch prints them.
#include <sstream>

#include "helpers.hpp"

using namespace lucid;

TEST_CASE("1-D and scalar tensors") {
    CHECK(to_string(tensor({1, 2, 3})) == "tensor([1., 2., 3.])");
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

TEST_CASE("long tensors are elided") {
    CHECK(to_string(arange(2000)) == "tensor([   0,    1,    2, ..., 1997, 1998, 1999])");
    std::string big = to_string(arange(10000).reshape({100, 100}));
    CHECK(big.find("...") != std::string::npos);
    CHECK(big.size() < 600);
}

TEST_CASE("fmt and ostream both print tensors") {
    CHECK(fmt::format("{}", tensor({1, 2})) == "tensor([1., 2.])");
    std::ostringstream out;
    out << arange(2);
    CHECK(out.str() == "tensor([0, 1])");
}
