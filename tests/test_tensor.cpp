// The tensor layer: creation, dtypes, layout, access, conversion and the seeded generator.
#include "helpers.hpp"

using namespace lucid;
using lucid::testing::check_values;
using lucid::testing::error_of;

TEST_CASE("tensor() fills row-major values into a shape") {
    Tensor t = tensor({1, 2, 3, 4, 5, 6}, {2, 3}, float32);
    CHECK(t.shape() == Shape{2, 3});
    CHECK(t.dim() == 2);
    CHECK(t.numel() == 6);
    CHECK(t.dtype() == float32);
    CHECK(t.strides() == Strides{3, 1});
    CHECK(t.size(-1) == 3);
    CHECK(t.size(0) == 2);
    CHECK(t.is_contiguous());
    CHECK(t.to_vector<float>() == std::vector<float>{1, 2, 3, 4, 5, 6});
}

TEST_CASE("Shape is a vector of int64 and converts from braced lists") {
    Shape from_list = {6, 4, 3};
    std::vector<std::int64_t> plain{6, 4, 3};
    Shape from_vector = plain;
    CHECK(from_list == from_vector);
    CHECK(randn({6, 4, 3}).shape() == from_list);
    CHECK(fmt::format("{}", from_list) == "(6, 4, 3)");
    CHECK(fmt::format("{}", Shape{}) == "()");
}

TEST_CASE("creation functions give the documented values") {
    check_values(zeros({2, 2}), {0, 0, 0, 0});
    check_values(ones({3}), {1, 1, 1});
    check_values(full({2}, 2.5), {2.5, 2.5});
    check_values(eye(2, 3), {1, 0, 0, 0, 1, 0});
    check_values(eye(2), {1, 0, 0, 1});
    CHECK(arange(5).dtype() == int64);
    CHECK(arange(5).to_vector<std::int64_t>() == std::vector<std::int64_t>{0, 1, 2, 3, 4});
    check_values(arange(1.0, 2.0, 0.25, float64), {1.0, 1.25, 1.5, 1.75});
    check_values(arange(3.0, 0.0, -1.0, float32), {3, 2, 1});
    Tensor like = zeros_like(ones({2, 3}, float64));
    CHECK(like.shape() == Shape{2, 3});
    CHECK(like.dtype() == float64);
    check_values(ones_like(like), {1, 1, 1, 1, 1, 1});
    CHECK(scalar_tensor(4.0).dim() == 0);
    CHECK(scalar_tensor(4.0).item<double>() == 4.0);
}

TEST_CASE("dtypes: names, sizes, promotion and conversion") {
    CHECK(dtype_name(float32) == "float32");
    CHECK(dtype_name(float64) == "float64");
    CHECK(dtype_name(int64) == "int64");
    CHECK(element_size(float32) == 4);
    CHECK(element_size(float64) == 8);
    CHECK(element_size(int64) == 8);
    CHECK(promote_types(int64, float32) == float32);
    CHECK(promote_types(float32, float64) == float64);
    CHECK(promote_types(int64, int64) == int64);

    Tensor x = tensor({1.5, -2.7, 3.0}, float64);
    Tensor as_int = x.to(int64);
    CHECK(as_int.dtype() == int64);
    CHECK(as_int.to_vector<std::int64_t>() == std::vector<std::int64_t>{1, -2, 3});
    CHECK(x.to(float32).dtype() == float32);
    CHECK(x.to(float64).is_same(x));  // no conversion, no copy
}

TEST_CASE("item() reads the single element, in any requested type") {
    Tensor t = tensor({2.75}, {1, 1}, float64);
    CHECK(t.item<double>() == 2.75);
    CHECK(t.item<float>() == 2.75f);
    CHECK(tensor({7}, int64).item<std::int64_t>() == 7);
    CHECK(tensor({1, 2}, float32).sum().item<double>() == 3.0);
}

TEST_CASE("clone copies the data, contiguous copies only when it must") {
    Tensor a = tensor({1, 2, 3, 4}, {2, 2}, float32);
    Tensor b = a.clone();
    b.fill_(9.0);
    check_values(a, {1, 2, 3, 4});
    CHECK(a.contiguous().is_same(a));

    Tensor t = a.t();
    CHECK_FALSE(t.is_contiguous());
    Tensor c = t.contiguous();
    CHECK(c.is_contiguous());
    CHECK(c.strides() == Strides{2, 1});
    check_values(c, {1, 3, 2, 4});
    CHECK(t.to_vector<double>() == std::vector<double>{1, 3, 2, 4});
}

TEST_CASE("detach shares storage but leaves the graph") {
    Tensor a = ones({2}).requires_grad_();
    Tensor b = a * 2.0;
    Tensor d = b.detach();
    CHECK_FALSE(d.requires_grad());
    CHECK(d.is_leaf());
    CHECK(d.impl().storage == b.impl().storage);
}

TEST_CASE("manual_seed makes random tensors bit-identical") {
    manual_seed(42);
    std::vector<float> first = randn({100}).to_vector<float>();
    std::vector<float> uniform_first = rand({10}).to_vector<float>();
    manual_seed(42);
    CHECK(randn({100}).to_vector<float>() == first);
    CHECK(rand({10}).to_vector<float>() == uniform_first);
    manual_seed(43);
    CHECK(randn({100}).to_vector<float>() != first);
}

TEST_CASE("the generator is the standard mt19937_64, so streams are portable") {
    Generator generator(5489);  // the standard's default seed
    std::uint64_t value = 0;
    for (int i = 0; i < 10000; ++i) value = generator.next_u64();
    CHECK(value == 9981545732273789042ULL);  // required by the C++ standard
}

TEST_CASE("a Generator is its own stream, and its state round-trips") {
    Generator a(7), b(7);
    manual_seed(1);
    Tensor x = randn({5}, float64, &a);
    (void)randn({3});  // draws from the default generator do not disturb `b`
    Tensor y = randn({5}, float64, &b);
    CHECK(x.to_vector<double>() == y.to_vector<double>());

    Generator g(3);
    (void)g.normal();  // leaves a spare normal in the state
    std::string state = g.state();
    double next = g.normal();
    double after = g.uniform();
    Generator restored;
    restored.set_state(state);
    CHECK(restored.normal() == next);
    CHECK(restored.uniform() == after);
    CHECK(error_of([&] { restored.set_state("garbage"); }).find("malformed") != std::string::npos);
}

TEST_CASE("random distributions have the right range and moments") {
    Generator generator(11);
    std::vector<double> u = rand({20000}, float64, &generator).to_vector<double>();
    double sum = 0;
    for (double v : u) {
        CHECK_UNARY(v >= 0.0);
        CHECK_UNARY(v < 1.0);
        sum += v;
    }
    CHECK(sum / 20000 == doctest::Approx(0.5).epsilon(0.02));

    std::vector<double> n = randn({20000}, float64, &generator).to_vector<double>();
    double mean = 0, square = 0;
    for (double v : n) {
        mean += v / 20000;
        square += v * v / 20000;
    }
    CHECK(std::abs(mean) < 0.03);
    CHECK(square == doctest::Approx(1.0).epsilon(0.05));

    Tensor ints = randint(-3, 4, {1000}, &generator);
    CHECK(ints.dtype() == int64);
    std::vector<std::int64_t> values = ints.to_vector<std::int64_t>();
    CHECK(*std::min_element(values.begin(), values.end()) == -3);
    CHECK(*std::max_element(values.begin(), values.end()) == 3);
}

TEST_CASE("randint takes a dtype, as torch::randint does, and draws the same integers") {
    Generator g1(11), g2(11), g3(11);
    std::vector<std::int64_t> ints = randint(-5, 5, {2, 50}, &g1).to_vector<std::int64_t>();
    Tensor floats = randint(-5, 5, {2, 50}, float64, &g2);
    CHECK(floats.dtype() == float64);
    CHECK(floats.shape() == Shape{2, 50});
    std::vector<double> values = floats.to_vector<double>();
    REQUIRE(values.size() == ints.size());
    for (std::size_t i = 0; i < ints.size(); ++i) CHECK(values[i] == static_cast<double>(ints[i]));
    CHECK(randint(0, 3, {4}, float32, &g3).dtype() == float32);
    CHECK_THROWS_AS(randint(2, 2, {1}, float32), Error);
}

TEST_CASE("uniform_ and normal_ fill in place, seeded") {
    Generator g1(5), g2(5);
    Tensor a = empty({4, 4}, float64);
    a.uniform_(-2.0, 2.0, &g1);
    std::vector<double> values = a.to_vector<double>();
    for (double v : values) CHECK_UNARY(v >= -2.0 && v < 2.0);
    Tensor b = zeros({4, 4}, float64).t();  // a non-contiguous target fills too
    b.uniform_(-2.0, 2.0, &g2);
    CHECK(b.to_vector<double>() == values);  // filled in logical order

    Tensor c = zeros({1000}, float64);
    std::uint64_t version = c.version();
    c.normal_(5.0, 0.5);
    CHECK(c.version() == version + 1);
    CHECK(c.mean().item<double>() == doctest::Approx(5.0).epsilon(0.01));
}

TEST_CASE("in-place ops update values and the version counter") {
    Tensor a = tensor({1, 2, 3}, float32);
    std::uint64_t start = a.version();
    a.add_(tensor({1, 1, 1}, float32));
    a.mul_(2.0);
    a.sub_(tensor({1, 1, 1}, float32));
    a.div_(tensor({1, 2, 4}, float32));
    check_values(a, {3, 2.5, 1.75});
    a.add_(tensor({10, 10, 10}, float32), 0.5);
    check_values(a, {8, 7.5, 6.75});
    a.clamp_(7.0, 7.6);
    check_values(a, {7.6, 7.5, 7});
    a.copy_(tensor({5.0}));  // broadcasts
    check_values(a, {5, 5, 5});
    a.zero_();
    check_values(a, {0, 0, 0});
    CHECK(a.version() == start + 8);

    // Views share the version counter with their base.
    Tensor base = zeros({2, 2});
    Tensor row = base.select(0, 1);
    row.fill_(3.0);
    check_values(base, {0, 0, 3, 3});
    CHECK(base.version() == row.version());
}
