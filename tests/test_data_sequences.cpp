// lucidpp/data: collates of variable-length sequences, fed to a GRU.
#include "helpers.hpp"

namespace {

using namespace lucid;
using lucid::testing::check_values;
using lucid::testing::error_of;
using Example = std::pair<Tensor, std::int64_t>;

void check_message(const std::string& message, const std::string& part) {
    INFO("message: ", message);
    CHECK(message.find(part) != std::string::npos);
}

// Sequence i has lengths[i] steps of 2 features: step t is (i + t / 10, -t), label 10 + i.
struct Sequences : data::Dataset<Example> {
    std::vector<std::int64_t> lengths;
    explicit Sequences(std::vector<std::int64_t> l) : lengths(std::move(l)) {}
    std::int64_t size() const override { return static_cast<std::int64_t>(lengths.size()); }
    Example get(std::int64_t i) const override {
        const std::int64_t length = lengths[static_cast<std::size_t>(i)];
        Tensor steps = arange(0.0, static_cast<double>(length), 1.0, float32);
        return {stack({steps / 10.0 + static_cast<double>(i), -steps}, 1), 10 + i};
    }
};

std::vector<Example> examples_of(const Sequences& dataset) {
    std::vector<Example> out;
    for (std::int64_t i = 0; i < dataset.size(); ++i) out.push_back(dataset.get(i));
    return out;
}

// The GRU's final state for each sequence run alone: (B, H).
Tensor one_by_one(nn::GRU& gru, const std::vector<Example>& examples) {
    std::vector<Tensor> states;
    for (const auto& [sequence, label] : examples) {
        auto [output, h_n] = gru(sequence.unsqueeze(1));  // (L, 1, 2)
        states.push_back(h_n.select(0, 0).select(0, 0));
    }
    return stack(states, 0);
}

// Each sequence's outputs in a packed run, unpacked, equal its outputs when run alone.
void check_outputs(nn::GRU& gru, const std::vector<Example>& examples,
                   const nn::PackedSequence& output) {
    nn::PaddedSequence unpacked = nn::pad_packed_sequence(output);  // (T, B, H)
    for (std::size_t b = 0; b < examples.size(); ++b) {
        const Tensor& sequence = examples[b].first;
        auto [alone, h_n] = gru(sequence.unsqueeze(1));
        CHECK(unpacked.lengths[b] == sequence.size(0));
        check_values(
            unpacked.padded.select(1, static_cast<std::int64_t>(b)).narrow(0, 0, sequence.size(0)),
            alone.to_vector<double>(), 1e-5);
    }
}

}  // namespace

TEST_SUITE("data.sequences") {
    TEST_CASE("PadCollate: padded (T, B, *) or (B, T, *), lengths and stacked labels") {
        Sequences dataset({2, 3, 1});
        data::PaddedBatch batch = data::PadCollate{}(examples_of(dataset));
        CHECK(batch.sequences.shape() == Shape{3, 3, 2});
        CHECK(batch.lengths == std::vector<std::int64_t>{2, 3, 1});
        CHECK(batch.targets.to_vector<std::int64_t>() == std::vector<std::int64_t>{10, 11, 12});
        // Sequence 0 is (0, 0), (0.1, -1), then padding.
        check_values(batch.sequences.select(1, 0), {0.0, 0.0, 0.1, -1.0, 0.0, 0.0});

        data::PaddedBatch first =
            data::PadCollate{.batch_first = true, .padding_value = -9.0}(examples_of(dataset));
        CHECK(first.sequences.shape() == Shape{3, 3, 2});
        check_values(first.sequences.select(0, 2), {2.0, 0.0, -9.0, -9.0, -9.0, -9.0});
    }

    TEST_CASE("packed and padded batches give the GRU outputs of per-sequence runs, unsorted") {
        Sequences dataset({2, 5, 1, 4, 3});
        const std::vector<Example> examples = examples_of(dataset);
        manual_seed(3);
        nn::GRU gru({.input_size = 2, .hidden_size = 4});
        const Tensor expected = one_by_one(gru, examples);

        data::PackedBatch packed = data::PackCollate{}(examples);
        CHECK(packed.sequences.batch_size_list() == std::vector<std::int64_t>{5, 4, 3, 2, 1});
        CHECK(packed.targets.to_vector<std::int64_t>() ==
              std::vector<std::int64_t>{10, 11, 12, 13, 14});
        auto [output, h_n] = gru(packed.sequences);
        check_values(h_n.select(0, 0), expected.to_vector<double>(), 1e-5);
        check_outputs(gru, examples, output);

        data::PaddedBatch padded = data::PadCollate{}(examples);
        auto [padded_output, padded_h_n] = gru(nn::pack_padded_sequence(
            padded.sequences, padded.lengths, /*batch_first=*/false, /*enforce_sorted=*/false));
        check_values(padded_h_n.select(0, 0), expected.to_vector<double>(), 1e-5);
        check_outputs(gru, examples, padded_output);
    }

    TEST_CASE("a shuffling loader with PackCollate feeds a GRU directly") {
        Sequences dataset({2, 5, 1, 4, 3, 6, 2});
        manual_seed(3);
        nn::GRU gru({.input_size = 2, .hidden_size = 4});
        const Tensor expected = one_by_one(gru, examples_of(dataset));  // (7, 4)
        Generator generator(5);
        data::DataLoader loader(dataset,
                                {.batch_size = 3, .shuffle = true, .generator = &generator},
                                data::PackCollate{});
        CHECK(loader.size() == 3);
        std::int64_t seen = 0;
        for (data::PackedBatch batch : loader) {
            auto [output, h_n] = gru(batch.sequences);
            // h_n row b is the state of the example whose label is targets[b].
            const auto labels = batch.targets.to_vector<std::int64_t>();
            for (std::size_t b = 0; b < labels.size(); ++b) {
                check_values(h_n.select(0, 0).select(0, static_cast<std::int64_t>(b)),
                             expected.select(0, labels[b] - 10).to_vector<double>(), 1e-5);
            }
            seen += static_cast<std::int64_t>(labels.size());
        }
        CHECK(seen == 7);
    }

    TEST_CASE("PackCollate with enforce_sorted refuses unsorted lengths; empty sequences") {
        Sequences dataset({2, 3});
        check_message(
            error_of([&] { data::PackCollate{.enforce_sorted = true}(examples_of(dataset)); }),
            "sorted");
        std::vector<Example> with_empty{{zeros({0, 2}), 0}, {zeros({2, 2}), 1}};
        CHECK(data::PadCollate{}(with_empty).lengths == std::vector<std::int64_t>{0, 2});
        CHECK_FALSE(error_of([&] { data::PackCollate{}(with_empty); }).empty());
    }
}
