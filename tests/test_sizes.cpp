// Size arithmetic that cannot overflow: element counts, strides, byte counts, view bounds and
// module sizes that do not fit are a lucid::Error naming the op and the shape, never a wrapped
// size, a crash or std::bad_alloc. And exp_fast (the gate kernels' exp) on NaN and +-inf.
#include <cmath>
#include <cstdint>
#include <limits>

#include "helpers.hpp"
#include "lucidpp/kernels/fast_math.hpp"
#include "lucidpp/tensor/byte_size.hpp"

// The 4 TiB allocation below asks for more than AddressSanitizer's largest block (1 TiB by
// default), on which ASan aborts the program unless it may return null (as malloc does) instead.
// This binary lets it, so that the sanitizer build tests what users get. Ignored without ASan.
extern "C" const char* __asan_default_options() {
    return "allocator_may_return_null=1";
}

using namespace lucid;
using lucid::testing::error_of;

namespace {

constexpr std::int64_t max64 = std::numeric_limits<std::int64_t>::max();
constexpr float inf = std::numeric_limits<float>::infinity();
constexpr float not_a_number = std::numeric_limits<float>::quiet_NaN();

}  // namespace

TEST_CASE("sizes: checked arithmetic reports what overflowed") {
    CHECK(try_mul(3, 4) == 12);
    CHECK(try_mul(max64, 2) == std::nullopt);
    CHECK(try_add(max64, 1) == std::nullopt);
    CHECK(checked_mul(1LL << 31, 1LL << 31, "op", {2}) == 1LL << 62);
    CHECK(error_of([] {
              checked_mul(1LL << 32, 1LL << 32, "op", {2, 3});
          }) == "op: 4294967296 * 4294967296 overflows int64 for shape (2, 3)");
    CHECK(error_of([] { checked_add(max64, 1, "op", {}); }) ==
          "op: 9223372036854775807 + 1 overflows int64 for shape ()");
}

TEST_CASE("sizes: numel and contiguous_strides check every product") {
    CHECK(numel({max64, 1}) == max64);
    CHECK(numel({0, max64, max64}) == 0);  // a zero size wins, as in PyTorch
    CHECK(error_of([] {
              numel({1LL << 32, 1LL << 32}, "zeros");
          }) ==
          "zeros: shape (4294967296, 4294967296) has too many elements (their count overflows "
          "int64)");
    CHECK(error_of([] {
              numel({2, -3}, "ones");
          }) == "ones: negative dimension -3 in shape (2, -3)");
    CHECK(contiguous_strides({2, max64}) == Strides{max64, 1});
    CHECK(error_of([] {
              contiguous_strides({0, 1LL << 32, 1LL << 32}, "empty");
          }) ==
          "empty: 4294967296 * 4294967296 overflows int64 for shape (0, 4294967296, 4294967296)");
}

TEST_CASE("sizes: byte counts read as people write them") {
    CHECK(byte_size(12) == "12 bytes");
    CHECK(byte_size(1536) == "1.5 KiB");
    CHECK(byte_size(1000 * 1024.0) == "1000 KiB");
    CHECK(byte_size(1.25 * 1024 * 1024 * 1024) == "1.25 GiB");
    CHECK(byte_size(std::ldexp(1.0, 42)) == "4 TiB");
    CHECK(byte_size(std::ldexp(1.0, 64)) == "16 EiB");
}

TEST_CASE("sizes: a tensor too large to count or to allocate is an error naming op and shape") {
    CHECK(error_of([] { zeros({1LL << 62}); }) ==
          "zeros: cannot allocate 16 EiB for shape (4611686018427387904)");
    CHECK(error_of([] {
              zeros({1LL << 32, 1LL << 32});
          }) ==
          "zeros: shape (4294967296, 4294967296) has too many elements (their count overflows "
          "int64)");
    CHECK(error_of([] { randn({1LL << 62}, float64); }) ==
          "randn: cannot allocate 32 EiB for shape (4611686018427387904)");
    CHECK(error_of([] { ones({-1}); }) == "ones: negative dimension -1 in shape (-1)");
    CHECK(error_of([] {
              tensor({1, 2}, {-1, -2}, float32);
          }) == "tensor: negative dimension -1 in shape (-1, -2)");
    CHECK(error_of([] { full({max64, 2}, 1.0); }).find("full: shape") == 0);
}

TEST_CASE("sizes: memory the system cannot give is a lucid::Error, not std::bad_alloc") {
    // 4 TiB: representable, but more than this machine has (empty() does not touch the memory,
    // so a system that overcommits without limit would fail this check, not run out of memory).
    CHECK(error_of([] { empty({1LL << 40}); }) ==
          "empty: cannot allocate 4 TiB for shape (1099511627776)");
    const MemoryStats before = memory_stats();
    CHECK(error_of([] {
              zeros({1LL << 20, 1LL << 20}, float64);
          }) == "zeros: cannot allocate 8 TiB for shape (1048576, 1048576)");
    CHECK(memory_stats().allocated_bytes == before.allocated_bytes);
    CHECK(zeros({3}).sum().item() == 0.0);  // and the allocator still works
}

TEST_CASE("sizes: narrow, slice, select and split bounds cannot overflow") {
    Tensor x = arange(3.0, float64);
    CHECK(
        error_of([&] { narrow(x, 0, max64, 1); }) ==
        "narrow: start (9223372036854775807) + length (1) exceeds dimension size (3) of shape (3)");
    CHECK(error_of([&] { narrow(x, 0, 1, max64); }) ==
          "narrow: start (1) + length (9223372036854775807) exceeds dimension size (3) of shape "
          "(3)");
    Tensor every = x.slice(0, 0, 3, max64);
    CHECK(every.shape() == Shape{1});
    CHECK(every.item() == 0.0);
    CHECK(x.slice(0, 1, max64, 2).shape() == Shape{1});
    CHECK(error_of([&] {
              split(x, {max64, max64, 5}, 0);
          }) ==
          "split_with_sizes: expects split_sizes to sum exactly to 3 (input tensor's size at "
          "dimension 0), but got split_sizes=[9223372036854775807, 9223372036854775807, 5]");
    CHECK(split(x, max64, 0).size() == 1);
    CHECK(chunk(x, max64, 0).size() == 3);
}

TEST_CASE("sizes: view, expand, broadcast and cat check the shapes they make") {
    Tensor x = arange(6.0, float64);
    CHECK(error_of([&] {
              x.view({-1, max64, 2});
          }) == "view: shape (-1, 9223372036854775807, 2) is invalid for input of size 6");
    CHECK(error_of([&] {
              x.view({1LL << 32, 1LL << 32, 0, -1});
          }) == "view: shape (4294967296, 4294967296, 0, -1) is invalid for input of size 6");
    CHECK(x.view({2, -1}).shape() == Shape{2, 3});
    Tensor one = zeros({1});
    CHECK(error_of([&] {
              one.expand({max64, max64});
          }) ==
          "expand: shape (9223372036854775807, 9223372036854775807) has too many elements "
          "(their count overflows int64)");
    Tensor column = one.expand({1LL << 32, 1}), row = one.expand({1, 1LL << 32});
    CHECK(error_of([&] { add(column, row); })
              .find("shape (4294967296, 4294967296) has too many "
                    "elements") != std::string::npos);
    Tensor wide = one.expand({max64});
    CHECK(error_of([&] {
              cat({wide, wide}, 0);
          }) ==
          "cat: 9223372036854775807 + 9223372036854775807 overflows int64 for shape "
          "(9223372036854775807)");
}

TEST_CASE("sizes: arange refuses lengths that are not finite or do not fit int64") {
    CHECK(error_of([] { arange(0.0, 1e300); }) ==
          "arange: invalid size: [0, 1e+300) in steps of 1 has 1e+300 elements, more than int64 "
          "holds");
    CHECK(error_of([] { arange(0.0, std::numeric_limits<double>::infinity()); }) ==
          "arange: unsupported range: 0 -> inf (step 1)");
    CHECK(error_of([] { arange(std::nan(""), 1.0); }) ==
          "arange: unsupported range: nan -> 1 (step 1)");
    CHECK(error_of([] { arange(-1e308, 1e308, 1e-300); }).find("arange: invalid size") == 0);
    CHECK(arange(0.0, 2.5, 0.5, float64).numel() == 5);
}

TEST_CASE("sizes: modules with absurd sizes say which module and which size") {
    CHECK(error_of([] {
              nn::GRU(nn::GRUOptions{2, max64});
          }) ==
          "GRU: hidden_size 9223372036854775807 is too large: 3 * hidden_size overflows int64");
    CHECK(error_of([] {
              nn::LSTM(nn::LSTMOptions{2, 1LL << 61});
          }) ==
          "LSTM: hidden_size 2305843009213693952 is too large: 4 * hidden_size overflows int64");
    CHECK(error_of([] {
              nn::RNN(nn::RNNOptions{
                  .input_size = 2, .hidden_size = max64 / 2 + 1, .bidirectional = true});
          }) ==
          "RNN: hidden_size 4611686018427387904 is too large: 2 * hidden_size overflows int64");
    CHECK(
        error_of([] {
            nn::LSTM(nn::LSTMOptions{.input_size = 2, .hidden_size = 1LL << 60, .proj_size = 1});
        }) ==
        "LSTM: too many weights to count in int64 (input_size 2, hidden_size 1152921504606846976, "
        "num_layers 1)");
    CHECK(error_of([] {
              nn::GRU(nn::GRUOptions{2, 4, max64});
          }) ==
          "GRU: too many weights to count in int64 (input_size 2, hidden_size 4, num_layers "
          "9223372036854775807)");
    CHECK(error_of([] {
              nn::GRU(nn::GRUOptions{2, 1LL << 20});
          }) == "GRU: cannot allocate 12 TiB for shape (3145728, 1048576)");
    CHECK(error_of([] {
              nn::GRUCell(nn::GRUCellOptions{2, max64});
          }) ==
          "GRUCell: hidden_size 9223372036854775807 is too large: 3 * hidden_size overflows int64");
    CHECK(error_of([] {
              nn::Linear(nn::LinearOptions{max64, 2});
          }) ==
          "Linear: shape (2, 9223372036854775807) has too many elements (their count overflows "
          "int64)");
    CHECK(error_of([] {
              nn::Linear(nn::LinearOptions{1LL << 20, 1LL << 20});
          }) == "Linear: cannot allocate 4 TiB for shape (1048576, 1048576)");
    CHECK(error_of([] {
              nn::Embedding(nn::EmbeddingOptions{max64, 2});
          }) ==
          "Embedding: shape (9223372036854775807, 2) has too many elements (their count "
          "overflows int64)");
}

TEST_CASE("sizes: exp_fast, sigmoid_fast and tanh_fast keep NaN and reach their limits") {
    using namespace lucid::kernels;
    CHECK(std::isnan(exp_fast(not_a_number)));
    CHECK(std::isnan(sigmoid_fast(not_a_number)));
    CHECK(std::isnan(tanh_fast(not_a_number)));
    CHECK(exp_fast(inf) == inf);
    CHECK(exp_fast(-inf) == 0.0f);
    CHECK(exp_fast(0.0f) == 1.0f);
    CHECK(sigmoid_fast(inf) == 1.0f);
    CHECK(sigmoid_fast(-inf) == 0.0f);
    CHECK(tanh_fast(inf) == 1.0f);
    CHECK(tanh_fast(-inf) == -1.0f);
    // The finite range keeps its accuracy.
    for (float x = -80.0f; x <= 80.0f; x += 0.37f) {
        INFO("x = ", x);
        CHECK(exp_fast(x) == doctest::Approx(std::exp(static_cast<double>(x))).epsilon(3e-7));
    }
    // Through the fused kernel: a NaN input gives NaN outputs (UBSan reported the cast here).
    nn::GRU gru(2, 3);
    auto [out, h_n] = gru(full({1, 1, 2}, std::nan("")));
    for (double value : out.to_vector<double>()) CHECK(std::isnan(value));
    for (double value : h_n.to_vector<double>()) CHECK(std::isnan(value));
}

TEST_CASE("sizes: randint's range may span all of int64") {
    Generator generator(7);
    const std::int64_t min64 = std::numeric_limits<std::int64_t>::min();
    std::vector<std::int64_t> values =
        randint(min64, max64, {64}, &generator).to_vector<std::int64_t>();
    bool negative = false, positive = false;
    for (std::int64_t value : values) {
        CHECK(value < max64);
        negative = negative || value < 0;
        positive = positive || value > 0;
    }
    CHECK((negative && positive));
    Generator small(7);
    for (std::int64_t value : randint(-3, 2, {64}, &small).to_vector<std::int64_t>()) {
        CHECK((value >= -3 && value < 2));
    }
}
