// lucidpp/data: datasets, samplers, the DataLoader and default_collate.
#include <algorithm>
#include <set>

#include "helpers.hpp"

namespace {

using namespace lucid;
using lucid::testing::check_values;
using lucid::testing::error_of;
using Indices = std::vector<std::int64_t>;

void check_message(const std::string& message, const std::string& part) {
    INFO("message: ", message);
    CHECK(message.find(part) != std::string::npos);
}

// x: (10, 2) with row i = (i, 10 i); y: int64 (10) with y_i = i, so a batch shows its indices.
data::TensorDataset counting_dataset(std::int64_t n = 10) {
    Tensor rows = arange(0.0, static_cast<double>(n), 1.0, float32);
    return data::TensorDataset(
        {stack({rows, rows * 10.0}, 1), arange(0.0, static_cast<double>(n))});
}

// Each batch's indices (the y field), one epoch.
template <typename Loader>
std::vector<Indices> epoch_of(Loader& loader) {
    std::vector<Indices> batches;
    for (std::vector<Tensor> batch : loader) batches.push_back(batch[1].to_vector<std::int64_t>());
    return batches;
}

Indices flat(const std::vector<Indices>& batches) {
    Indices all;
    for (const Indices& b : batches) all.insert(all.end(), b.begin(), b.end());
    return all;
}

// A user's dataset: example i is (a (2) tensor filled with i, the label i % 3).
struct Pairs : data::Dataset<std::pair<Tensor, std::int64_t>> {
    std::int64_t size() const override { return 5; }
    std::pair<Tensor, std::int64_t> get(std::int64_t i) const override {
        return {full({2}, static_cast<double>(i)), i % 3};
    }
};

// A sampler that records the epochs it is told, and may give an index out of range.
struct Recording : data::Sampler {
    std::vector<std::int64_t> epochs;
    Indices order{0, 1, 2};
    Indices indices() override {
        epochs.push_back(epoch());
        return order;
    }
    std::int64_t size() const override { return static_cast<std::int64_t>(order.size()); }
};

// The loader keeps a reference: a temporary dataset is refused when it is compiled.
static_assert(std::is_constructible_v<data::DataLoader<std::vector<Tensor>>, data::TensorDataset&>);
static_assert(
    !std::is_constructible_v<data::DataLoader<std::vector<Tensor>>, data::TensorDataset&&>);

}  // namespace

TEST_SUITE("data.loader") {
    TEST_CASE("TensorDataset: rows along dim 0, views of each tensor") {
        data::TensorDataset dataset = counting_dataset();
        CHECK(dataset.size() == 10);
        std::vector<Tensor> example = dataset.get(3);
        REQUIRE(example.size() == 2);
        check_values(example[0], {3.0, 30.0});
        CHECK(example[1].dim() == 0);
        CHECK(example[1].item<std::int64_t>() == 3);
        check_message(error_of([&] { dataset.get(10); }),
                      "TensorDataset: index 10 is out of bounds for dimension 0 with size 10");
        check_message(error_of([&] { dataset.get(-1); }), "index -1 is out of bounds");
        check_message(error_of([] {
                          data::TensorDataset({zeros({4, 2}), zeros({5})});
                      }),
                      "TensorDataset: Size mismatch between tensors: shapes (4, 2), (5) differ "
                      "in dimension 0");
        check_message(error_of([] { data::TensorDataset({}); }), "at least one tensor");
        check_message(error_of([] {
                          data::TensorDataset({zeros({4}), scalar_tensor(1.0)});
                      }),
                      "every tensor needs a dimension 0 to index, got shapes (4), ()");
    }

    TEST_CASE("without shuffle: batches in order; drop_last decides the short last batch") {
        data::TensorDataset dataset = counting_dataset();
        data::DataLoader loader(dataset, {.batch_size = 4});
        CHECK(loader.size() == 3);
        CHECK(epoch_of(loader) == std::vector<Indices>{{0, 1, 2, 3}, {4, 5, 6, 7}, {8, 9}});
        // The inputs are stacked along a new dim 0.
        std::vector<Tensor> first = *loader.begin();
        CHECK(first[0].shape() == Shape{4, 2});
        CHECK(first[0].dtype() == float32);
        check_values(first[0], {0, 0, 1, 10, 2, 20, 3, 30});
        CHECK(first[1].shape() == Shape{4});
        CHECK(first[1].dtype() == int64);

        data::DataLoader dropping(dataset, {.batch_size = 4, .drop_last = true});
        CHECK(dropping.size() == 2);
        CHECK(epoch_of(dropping) == std::vector<Indices>{{0, 1, 2, 3}, {4, 5, 6, 7}});

        data::DataLoader exact(dataset, {.batch_size = 5, .drop_last = true});
        CHECK(exact.size() == 2);
        CHECK(epoch_of(exact).back() == Indices{5, 6, 7, 8, 9});
        data::DataLoader large(dataset, {.batch_size = 11});
        CHECK(large.size() == 1);
        CHECK(epoch_of(large).front().size() == 10);
        data::DataLoader large_dropped(dataset, {.batch_size = 11, .drop_last = true});
        CHECK(large_dropped.size() == 0);
        CHECK(epoch_of(large_dropped).empty());
    }

    TEST_CASE("shuffle: the seed fixes every epoch; each epoch reads every index once") {
        data::TensorDataset dataset = counting_dataset();
        Generator generator(0);
        data::DataLoader loader(dataset,
                                {.batch_size = 4, .shuffle = true, .generator = &generator});
        const std::vector<Indices> epoch0 = epoch_of(loader);
        const std::vector<Indices> epoch1 = epoch_of(loader);
        // The draws of seed 0 (Fisher-Yates over lucid::Generator): pinned, so that a change in
        // the shuffle shows.
        CHECK(epoch0 == std::vector<Indices>{{4, 6, 3, 9}, {8, 0, 2, 7}, {5, 1}});
        CHECK(epoch0 != epoch1);
        CHECK(epoch1 == std::vector<Indices>{{3, 0, 2, 7}, {6, 5, 1, 4}, {9, 8}});
        for (const auto& epoch : {epoch0, epoch1}) {
            CHECK(epoch.size() == 3);
            CHECK(epoch.back().size() == 2);
            Indices all = flat(epoch);
            std::sort(all.begin(), all.end());
            CHECK(all == Indices{0, 1, 2, 3, 4, 5, 6, 7, 8, 9});
        }
        // The same seed again gives the same epochs, in order.
        generator.manual_seed(0);
        data::DataLoader again(dataset,
                               {.batch_size = 4, .shuffle = true, .generator = &generator});
        CHECK(epoch_of(again) == epoch0);
        CHECK(epoch_of(again) == epoch1);
        // Another seed, another order.
        Generator other(1);
        data::DataLoader different(dataset,
                                   {.batch_size = 4, .shuffle = true, .generator = &other});
        CHECK(epoch_of(different) != epoch0);
        // Without a generator: the default generator, which manual_seed fixes.
        manual_seed(0);
        data::DataLoader by_default(dataset, {.batch_size = 4, .shuffle = true});
        CHECK(epoch_of(by_default) == epoch0);
    }

    TEST_CASE("randperm: a permutation drawn from the generator") {
        Generator generator(0);
        Tensor p = randperm(10, int64, &generator);
        CHECK(p.dtype() == int64);
        CHECK(p.to_vector<std::int64_t>() == Indices{4, 6, 3, 9, 8, 0, 2, 7, 5, 1});
        CHECK(randperm(0).numel() == 0);
        CHECK(randperm(3, float32).dtype() == float32);
        check_message(error_of([] { randperm(-1); }), "randperm: n must be non-negative, got -1");
    }

    TEST_CASE("the loader tells its sampler each epoch, for samplers that shuffle by epoch") {
        data::TensorDataset dataset = counting_dataset();
        auto sampler = std::make_shared<Recording>();
        data::DataLoader loader(dataset, {.batch_size = 2, .sampler = sampler});
        CHECK(loader.size() == 2);
        CHECK(epoch_of(loader) == std::vector<Indices>{{0, 1}, {2}});
        epoch_of(loader);
        loader.set_epoch(7);
        epoch_of(loader);
        CHECK(sampler->epochs == Indices{0, 1, 7});
        CHECK(loader.epoch() == 8);

        sampler->order = {0, 10};
        check_message(error_of([&] { epoch_of(loader); }),
                      "DataLoader: the sampler gave index 10, out of range for a dataset of 10 "
                      "examples");
        check_message(error_of([&] {
                          data::DataLoader both(dataset, {.shuffle = true, .sampler = sampler});
                      }),
                      "DataLoader: sampler option is mutually exclusive with shuffle");
    }

    TEST_CASE("errors: batch_size, an empty dataset") {
        data::TensorDataset dataset = counting_dataset();
        check_message(error_of([&] { data::DataLoader loader(dataset, {.batch_size = 0}); }),
                      "batch_size should be a positive integer value, but got batch_size=0");
        check_message(error_of([&] { data::DataLoader loader(dataset, {.batch_size = -2}); }),
                      "but got batch_size=-2");
        // As PyTorch: an empty dataset gives no batches, and cannot be shuffled.
        data::TensorDataset empty_set({zeros({0, 3})});
        data::DataLoader loader(empty_set, {.batch_size = 2});
        CHECK(loader.size() == 0);
        CHECK(epoch_of(loader).empty());
        check_message(error_of([&] { data::DataLoader l(empty_set, {.shuffle = true}); }),
                      "RandomSampler: num_samples should be a positive integer value, but got "
                      "num_samples=0");
    }

    TEST_CASE(
        "a user's dataset of (tensor, int64) pairs collates into a (tensor, int64 tensor) pair") {
        Pairs dataset;
        data::DataLoader loader(dataset, {.batch_size = 3});
        static_assert(std::is_same_v<decltype(*loader.begin()), std::pair<Tensor, Tensor>>);
        auto it = loader.begin();
        auto [inputs, labels] = *it;
        CHECK(inputs.shape() == Shape{3, 2});
        check_values(inputs, {0, 0, 1, 1, 2, 2});
        CHECK(labels.dtype() == int64);
        CHECK(labels.to_vector<std::int64_t>() == Indices{0, 1, 2});
        ++it;
        auto [last_inputs, last_labels] = *it;
        CHECK(last_inputs.shape() == Shape{2, 2});
        CHECK(last_labels.to_vector<std::int64_t>() == Indices{0, 1});
        ++it;
        CHECK(it == loader.end());
    }

    TEST_CASE("a user's collate function decides the batch type") {
        Pairs dataset;
        data::DataLoader loader(dataset, {.batch_size = 2},
                                [](std::vector<std::pair<Tensor, std::int64_t>> examples) {
                                    std::int64_t sum = 0;
                                    for (const auto& e : examples) sum += e.second;
                                    return sum;
                                });
        std::vector<std::int64_t> sums;
        for (std::int64_t sum : loader) sums.push_back(sum);
        CHECK(sums == Indices{1, 2, 1});  // labels 0 1 | 2 0 | 1
    }

    TEST_CASE("default_collate: numbers, tuples, and examples that do not match") {
        check_values(data::default_collate(std::vector<double>{0.5, 1.5}), {0.5, 1.5});
        CHECK(data::default_collate(std::vector<double>{0.5}).dtype() == float64);
        auto [a, b, c] =
            data::default_collate(std::vector<std::tuple<Tensor, double, std::int64_t>>{
                {ones({2}), 1.0, 4}, {zeros({2}), 2.0, 5}});
        CHECK(a.shape() == Shape{2, 2});
        check_values(b, {1.0, 2.0});
        CHECK(c.to_vector<std::int64_t>() == Indices{4, 5});
        check_message(error_of([] {
                          data::default_collate(std::vector<Tensor>{zeros({2}), zeros({3})});
                      }),
                      "stack");
        check_message(error_of([] {
                          data::default_collate(std::vector<std::vector<Tensor>>{{zeros({2})}, {}});
                      }),
                      "default_collate: each element in list of batch should be of equal size, "
                      "but example 0 has 1 tensors and example 1 has 0");
    }
}
