#include "helpers.hpp"
#include "lucidpp/nn/packed_sequence.hpp"

namespace {

using namespace lucid;
using lucid::autograd::gradcheck;
using lucid::nn::pack_padded_sequence;
using lucid::nn::pack_sequence;
using lucid::nn::PackedSequence;
using lucid::nn::pad_packed_sequence;
using lucid::nn::pad_sequence;
using lucid::testing::check_values;
using lucid::testing::error_of;
using lucid::testing::leaf;

using Index = std::vector<std::int64_t>;

Tensor int64_tensor(const std::vector<double>& values) {
    return tensor(values, int64);
}

// 0, 1, 2, ... in the given shape, float64.
Tensor counting(const Shape& shape) {
    return arange(static_cast<double>(numel(shape)), float64).reshape(shape);
}

bool contains(const std::string& text, const std::string& part) {
    return text.find(part) != std::string::npos;
}

// Sums of distinct weights, so gradcheck sees every output element separately.
Tensor weighted(const Tensor& x) {
    return (x * counting(x.shape()).add_(1.0)).sum();
}

}  // namespace

TEST_SUITE("nn.packed") {
    TEST_CASE("pack_padded_sequence, sorted lengths (4, 3, 1), time-major and batch-first") {
        // x[t][b] = 3 t + b; sequence b runs for lengths[b] steps.
        Tensor x = counting({4, 3});
        PackedSequence packed = pack_padded_sequence(x, Index{4, 3, 1});
        CHECK(packed.data.shape() == Shape{8});
        check_values(packed.data, {0, 1, 2, 3, 4, 6, 7, 9});
        CHECK(packed.batch_sizes.dtype() == int64);
        CHECK(packed.batch_size_list() == Index{3, 2, 2, 1});
        CHECK(packed.batch_size() == 3);
        CHECK(packed.max_length() == 4);
        CHECK_FALSE(packed.sorted_indices.defined());
        CHECK_FALSE(packed.unsorted_indices.defined());

        // The same sequences laid out (B, T) give the same packing.
        PackedSequence batch_first = pack_padded_sequence(x.t(), Index{4, 3, 1}, true);
        check_values(batch_first.data, {0, 1, 2, 3, 4, 6, 7, 9});
        CHECK(batch_first.batch_size_list() == Index{3, 2, 2, 1});
    }

    TEST_CASE("pack_padded_sequence, unsorted lengths (2, 4, 1) with a feature dim") {
        // (T, B, 2) = (4, 3, 2): x[t][b] = (6 t + 2 b, 6 t + 2 b + 1).
        PackedSequence packed =
            pack_padded_sequence(counting({4, 3, 2}), Index{2, 4, 1}, false, false);
        CHECK(packed.data.shape() == Shape{7, 2});
        // Sorted order is b = 1, 0, 2; step 0 has all three, step 1 two, steps 2 and 3 one.
        check_values(packed.data, {2, 3, 0, 1, 4, 5, 8, 9, 6, 7, 14, 15, 20, 21});
        CHECK(packed.batch_size_list() == Index{3, 2, 1, 1});
        CHECK(packed.sorted_indices.dtype() == int64);
        CHECK(packed.unsorted_indices.dtype() == int64);
        CHECK(packed.sorted_indices.to_vector<std::int64_t>() == Index{1, 0, 2});
        CHECK(packed.unsorted_indices.to_vector<std::int64_t>() == Index{1, 0, 2});

        // Batch-first (3, 4, 2): x[b][t] = (8 b + 2 t, 8 b + 2 t + 1).
        PackedSequence batch_first =
            pack_padded_sequence(counting({3, 4, 2}), Index{2, 4, 1}, true, false);
        check_values(batch_first.data, {8, 9, 0, 1, 16, 17, 10, 11, 2, 3, 12, 13, 14, 15});
        CHECK(batch_first.batch_size_list() == Index{3, 2, 1, 1});
    }

    TEST_CASE("unsorted packing sorts stably and unsorted_indices inverts sorted_indices") {
        // lengths (1, 2, 1, 2): the two 2s keep their order (1, 3), then the 1s (0, 2).
        PackedSequence packed =
            pack_padded_sequence(counting({2, 4}), Index{1, 2, 1, 2}, false, false);
        CHECK(packed.sorted_indices.to_vector<std::int64_t>() == Index{1, 3, 0, 2});
        CHECK(packed.unsorted_indices.to_vector<std::int64_t>() == Index{2, 0, 3, 1});
        check_values(packed.data, {1, 3, 0, 2, 5, 7});
        CHECK(packed.batch_size_list() == Index{4, 2});
    }

    TEST_CASE("sorted lengths with enforce_sorted=false still get indices") {
        PackedSequence packed =
            pack_padded_sequence(counting({4, 3}), Index{4, 3, 1}, false, false);
        CHECK(packed.sorted_indices.to_vector<std::int64_t>() == Index{0, 1, 2});
        CHECK(packed.unsorted_indices.to_vector<std::int64_t>() == Index{0, 1, 2});
        check_values(packed.data, {0, 1, 2, 3, 4, 6, 7, 9});
    }

    TEST_CASE("lengths given as an int64 tensor equal lengths given as a vector") {
        Tensor x = counting({4, 4, 2});
        PackedSequence from_vector = pack_padded_sequence(x, Index{2, 4, 1, 3}, true, false);
        PackedSequence from_tensor =
            pack_padded_sequence(x, int64_tensor({2, 4, 1, 3}), true, false);
        CHECK(from_tensor.data.to_vector<double>() == from_vector.data.to_vector<double>());
        CHECK(from_tensor.batch_size_list() == from_vector.batch_size_list());
        CHECK(from_tensor.sorted_indices.to_vector<std::int64_t>() == Index{1, 3, 0, 2});
    }

    TEST_CASE("pack_padded_sequence reads a non-contiguous input and keeps trailing dims") {
        // (T, B, 2, 2) made by permuting a contiguous (B, 2, T, 2) tensor.
        Tensor base = counting({2, 2, 3, 2});
        Tensor x = base.permute({2, 0, 1, 3});  // (3, 2, 2, 2): x[t][b][i][j] = base[b][i][t][j]
        REQUIRE_FALSE(x.is_contiguous());
        PackedSequence packed = pack_padded_sequence(x, Index{3, 1});
        CHECK(packed.data.shape() == Shape{4, 2, 2});
        // Rows: (t0 b0), (t0 b1), (t1 b0), (t2 b0); base[b][i][t][j] = 12 b + 6 i + 2 t + j.
        check_values(packed.data, {0, 1, 6, 7, 12, 13, 18, 19, 2, 3, 8, 9, 4, 5, 10, 11});
    }

    TEST_CASE("pad_packed_sequence restores the caller's batch order and lengths") {
        PackedSequence packed =
            pack_padded_sequence(counting({4, 3, 2}), Index{2, 4, 1}, false, false);
        auto [padded, lengths] = pad_packed_sequence(packed);
        CHECK(padded.shape() == Shape{4, 3, 2});
        CHECK(lengths == Index{2, 4, 1});
        check_values(padded, {0, 1, 2,  3,  4, 5,  //
                              6, 7, 8,  9,  0, 0,  //
                              0, 0, 14, 15, 0, 0,  //
                              0, 0, 20, 21, 0, 0});

        auto [batch_first, same_lengths] = pad_packed_sequence(packed, true, -1.0, 5);
        CHECK(batch_first.shape() == Shape{3, 5, 2});
        CHECK(same_lengths == Index{2, 4, 1});
        check_values(batch_first, {0, 1, 6,  7,  -1, -1, -1, -1, -1, -1,  //
                                   2, 3, 8,  9,  14, 15, 20, 21, -1, -1,  //
                                   4, 5, -1, -1, -1, -1, -1, -1, -1, -1});
    }

    TEST_CASE("pad_packed_sequence with a non-trivial permutation") {
        // lengths (1, 2, 1, 2): sorted (1, 3, 0, 2), unsorted (2, 0, 3, 1).
        Tensor x = counting({2, 4});
        PackedSequence packed = pack_padded_sequence(x, Index{1, 2, 1, 2}, false, false);
        auto [padded, lengths] = pad_packed_sequence(packed, false, 7.0);
        CHECK(lengths == Index{1, 2, 1, 2});
        check_values(padded, {0, 1, 2, 3, 7, 5, 7, 7});

        // A hand-made pack with only sorted_indices set is unsorted by its inverse.
        packed.unsorted_indices = Tensor();
        auto [same, same_lengths] = pad_packed_sequence(packed, false, 7.0);
        CHECK(same_lengths == Index{1, 2, 1, 2});
        check_values(same, {0, 1, 2, 3, 7, 5, 7, 7});
    }

    TEST_CASE("round trip pack -> pad gives the input with padding zeroed") {
        Tensor x = leaf({5, 4, 3}, 1).detach();
        const Index lengths{3, 5, 1, 4};
        for (bool batch_first : {false, true}) {
            Tensor input = batch_first ? x.transpose(0, 1) : x;  // non-contiguous when batch-first
            auto [padded, out_lengths] = pad_packed_sequence(
                pack_padded_sequence(input, lengths, batch_first, false), batch_first);
            CHECK(out_lengths == lengths);
            CHECK(padded.shape() == input.shape());
            std::vector<double> expected = padded.to_vector<double>();
            for (std::int64_t t = 0; t < 5; ++t) {
                for (std::int64_t b = 0; b < 4; ++b) {
                    Tensor row = batch_first ? input.select(0, b).select(0, t)
                                             : input.select(0, t).select(0, b);
                    Tensor got = batch_first ? padded.select(0, b).select(0, t)
                                             : padded.select(0, t).select(0, b);
                    INFO("batch_first ", batch_first, " t ", t, " b ", b);
                    check_values(got, t < lengths[b] ? row.to_vector<double>()
                                                     : std::vector<double>(3, 0.0));
                }
            }
        }
    }

    TEST_CASE("pad_packed_sequence of a sorted pack, with total_length") {
        PackedSequence packed = pack_padded_sequence(counting({4, 3}), Index{4, 3, 1});
        auto [padded, lengths] = pad_packed_sequence(packed, true, 0.0, 6);
        CHECK(padded.shape() == Shape{3, 6});
        CHECK(lengths == Index{4, 3, 1});
        check_values(padded, {0, 3, 6, 9, 0, 0, 1, 4, 7, 0, 0, 0, 2, 0, 0, 0, 0, 0});
        // total_length equal to the longest sequence changes nothing.
        auto [exact, same] = pad_packed_sequence(packed, false, 0.0, 4);
        CHECK(exact.shape() == Shape{4, 3});
    }

    TEST_CASE("pad_sequence stacks and pads, time-major and batch-first") {
        std::vector<Tensor> sequences{tensor({1, 2}, float32), tensor({3, 4, 5}, float32),
                                      tensor({6}, float32)};
        Tensor padded = pad_sequence(sequences, false, 9.0);
        CHECK(padded.shape() == Shape{3, 3});
        check_values(padded, {1, 3, 6, 2, 4, 9, 9, 5, 9});
        Tensor batch_first = pad_sequence(sequences, true);
        CHECK(batch_first.shape() == Shape{3, 3});
        check_values(batch_first, {1, 2, 0, 3, 4, 5, 6, 0, 0});

        // Trailing dims are kept: (2, 2) and (1, 2) -> (2, 2, 2).
        Tensor wide = pad_sequence({counting({2, 2}), counting({1, 2})});
        CHECK(wide.shape() == Shape{2, 2, 2});
        check_values(wide, {0, 1, 0, 1, 2, 3, 0, 0});

        // An empty sequence is all padding.
        check_values(pad_sequence({tensor({1, 2}, float32), zeros({0})}, true, 4.0), {1, 2, 4, 4});
    }

    TEST_CASE("pack_sequence packs a list of sequences") {
        std::vector<Tensor> sequences{tensor({1, 2}, float32), tensor({3, 4, 5}, float32),
                                      tensor({6}, float32)};
        PackedSequence packed = pack_sequence(sequences, false);
        check_values(packed.data, {3, 1, 6, 4, 2, 5});
        CHECK(packed.batch_size_list() == Index{3, 2, 1});
        CHECK(packed.sorted_indices.to_vector<std::int64_t>() == Index{1, 0, 2});
        CHECK(packed.unsorted_indices.to_vector<std::int64_t>() == Index{1, 0, 2});

        PackedSequence sorted = pack_sequence(
            {tensor({3, 4, 5}, float32), tensor({1, 2}, float32), tensor({6}, float32)});
        check_values(sorted.data, {3, 1, 6, 4, 2, 5});
        CHECK_FALSE(sorted.sorted_indices.defined());
    }

    TEST_CASE("int64 data packs and pads") {
        Tensor x = tensor({1, 2, 0, 3, 0, 0, 4, 5, 6}, {3, 3}, int64);
        PackedSequence packed = pack_padded_sequence(x, Index{2, 1, 3}, true, false);
        CHECK(packed.data.dtype() == int64);
        CHECK(packed.data.to_vector<std::int64_t>() == Index{4, 1, 3, 5, 2, 6});
        auto [padded, lengths] = pad_packed_sequence(packed, true);
        CHECK(padded.to_vector<std::int64_t>() == Index{1, 2, 0, 3, 0, 0, 4, 5, 6});
    }

    TEST_CASE("gradients flow from packed data back to the padded input") {
        Tensor x = leaf({3, 2}, 2);
        PackedSequence packed = pack_padded_sequence(x, Index{1, 3}, false, false);
        // data rows: x[0][1], x[0][0], x[1][1], x[2][1]; weights 1..4.
        (packed.data * tensor({1, 2, 3, 4}, float64)).sum().backward();
        check_values(x.grad(), {2, 1, 0, 3, 0, 4});
    }

    TEST_CASE("gradcheck through pack_padded_sequence") {
        Tensor x = leaf({4, 3, 2}, 3);
        CHECK(gradcheck(
            [](const std::vector<Tensor>& in) {
                return pack_padded_sequence(in[0], Index{2, 4, 1}, false, false).data;
            },
            {x}));
        Tensor y = leaf({4, 3}, 4).detach().t();  // (3, 4) batch-first, non-contiguous
        y.requires_grad_();
        CHECK(gradcheck(
            [](const std::vector<Tensor>& in) {
                return pack_padded_sequence(in[0], Index{4, 3, 3}, true).data;
            },
            {y}));
    }

    TEST_CASE("gradcheck through pad_packed_sequence and a full round trip") {
        Tensor data = leaf({7, 2}, 5);  // batch_sizes (3, 2, 1, 1)
        CHECK(gradcheck(
            [](const std::vector<Tensor>& in) {
                PackedSequence packed{in[0], int64_tensor({3, 2, 1, 1}), int64_tensor({1, 0, 2}),
                                      int64_tensor({1, 0, 2})};
                return pad_packed_sequence(packed, true, 0.5, 5).padded;
            },
            {data}));
        Tensor x = leaf({3, 5, 2}, 6);
        CHECK(gradcheck(
            [](const std::vector<Tensor>& in) {
                auto packed = pack_padded_sequence(in[0], Index{3, 5, 2}, true, false);
                return pad_packed_sequence(packed, false).padded;
            },
            {x}));
        // Every padded element that came from x gets exactly its own weight.
        Tensor input = leaf({3, 5, 2}, 7);
        auto [padded, lengths] =
            pad_packed_sequence(pack_padded_sequence(input, Index{3, 5, 2}, true, false), true);
        weighted(padded).backward();
        std::vector<double> grad = input.grad().to_vector<double>();
        for (std::int64_t b = 0; b < 3; ++b) {
            for (std::int64_t t = 0; t < 5; ++t) {
                for (std::int64_t f = 0; f < 2; ++f) {
                    const std::int64_t k = (b * 5 + t) * 2 + f;
                    CHECK(grad[k] == (t < lengths[b] ? static_cast<double>(k + 1) : 0.0));
                }
            }
        }
    }

    TEST_CASE("gradcheck through pad_sequence and pack_sequence") {
        Tensor a = leaf({3, 2}, 8);
        Tensor b = leaf({1, 2}, 9);
        Tensor c = leaf({2, 4}, 10).detach().t().narrow(0, 0, 2).t();  // (2, 2) non-contiguous
        c.requires_grad_();
        CHECK(gradcheck([](const std::vector<Tensor>& in) { return pad_sequence(in, false, 1.5); },
                        {a, b, c}));
        CHECK(gradcheck([](const std::vector<Tensor>& in) { return pad_sequence(in, true); },
                        {a, b, c}));
        CHECK(gradcheck([](const std::vector<Tensor>& in) { return pack_sequence(in, false).data; },
                        {a, b, c}));
    }

    TEST_CASE("pack_padded_sequence errors") {
        Tensor x = zeros({3, 2});
        CHECK(contains(error_of([&] {
                           pack_padded_sequence(x, Index{2, 0});
                       }),
                       "Length of all samples has to be greater than 0, but found an element in "
                       "'lengths' that is <= 0"));
        CHECK(contains(error_of([&] {
                           pack_padded_sequence(x, Index{-1, 1}, false, false);
                       }),
                       "Length of all samples has to be greater than 0"));
        CHECK(error_of([&] {
                  pack_padded_sequence(x, Index{4, 1});
              }) ==
              "pack_padded_sequence: lengths[0] = 4 is longer than the padded input's 3 steps");
        CHECK(error_of([&] {
                  pack_padded_sequence(x, Index{1, 1, 1});
              }) ==
              "pack_padded_sequence: Expected `len(lengths)` to be equal to batch_size, but got 3 "
              "(batch_size=2)");
        CHECK(
            contains(error_of([&] {
                         pack_padded_sequence(x, Index{1, 2});
                     }),
                     "`lengths` array must be sorted in decreasing order when `enforce_sorted` is "
                     "True. You can pass `enforce_sorted=False`"));
        CHECK(
            error_of([&] { pack_padded_sequence(zeros({3}), Index{1}); }) ==
            "pack_padded_sequence: input must have at least 2 dimensions (T, B, *), got shape (3)");
        CHECK(error_of([&] {
                  pack_padded_sequence(zeros({3, 0}), Index{});
              }) == "pack_padded_sequence: Cannot pack empty tensors, got shape (3, 0)");
        CHECK(error_of([&] {
                  pack_padded_sequence(x, tensor({1, 1}, float32));
              }) ==
              "pack_padded_sequence: lengths must be a 1-D int64 tensor, got dtype float32 and "
              "shape (2)");
        CHECK(contains(error_of([&] {
                           pack_sequence({tensor({1}, float32), tensor({1, 2}, float32)});
                       }),
                       "`lengths` array must be sorted in decreasing order"));
    }

    TEST_CASE("pad_packed_sequence errors") {
        PackedSequence packed = pack_padded_sequence(zeros({3, 2}), Index{3, 1});
        CHECK(error_of([&] { pad_packed_sequence(packed, false, 0.0, 2); }) ==
              "pad_packed_sequence: Expected total_length to be at least the length of the longest "
              "sequence in input, but got total_length=2 and max sequence length being 3");
        PackedSequence bad_rows{zeros({5}), int64_tensor({2, 1, 1}), {}, {}};
        CHECK(error_of([&] { pad_packed_sequence(bad_rows); }) ==
              "pad_packed_sequence: data has 5 rows but batch_sizes [2, 1, 1] add up to 4");
        PackedSequence growing{zeros({3}), int64_tensor({1, 2}), {}, {}};
        CHECK(error_of([&] { pad_packed_sequence(growing); }) ==
              "pad_packed_sequence: batch_sizes must be positive and non-increasing, got [1, 2]");
        PackedSequence bad_order{zeros({3}), int64_tensor({2, 1}), int64_tensor({0, 0}),
                                 int64_tensor({0, 0})};
        CHECK(error_of([&] { pad_packed_sequence(bad_order); }) ==
              "pad_packed_sequence: unsorted_indices [0, 0] is not a permutation of the 2 batch "
              "indices");
        PackedSequence short_order{zeros({3}), int64_tensor({2, 1}), {}, int64_tensor({0})};
        CHECK(error_of([&] { pad_packed_sequence(short_order); }) ==
              "pad_packed_sequence: unsorted_indices has 1 entries for a batch of 2");
    }

    TEST_CASE("pad_sequence errors name the shapes") {
        CHECK(error_of([] { pad_sequence({}); }) ==
              "pad_sequence: received an empty list of sequences");
        CHECK(error_of([] {
                  pad_sequence({zeros({2, 3}), zeros({2, 4})});
              }) ==
              "pad_sequence: all sequences must have the same trailing shape, but sequence 0 has "
              "shape (2, 3) and sequence 1 has shape (2, 4)");
        CHECK(error_of([] {
                  pad_sequence({zeros({2, 3}), zeros({2})});
              }) ==
              "pad_sequence: all sequences must have the same trailing shape, but sequence 0 has "
              "shape (2, 3) and sequence 1 has shape (2)");
        CHECK(error_of([] {
                  pad_sequence({zeros({2}), scalar_tensor(1)});
              }) == "pad_sequence: sequence 1 must have shape (L, *), got shape ()");
        CHECK(error_of([] {
                  pad_sequence({zeros({2}), zeros({2}, float64)});
              }) ==
              "pad_sequence: all sequences must have the same dtype, but sequence 0 has float32 "
              "and sequence 1 has float64");
        CHECK(error_of([] { pack_sequence({}); }) ==
              "pack_sequence: received an empty list of sequences");
    }

}  // TEST_SUITE
