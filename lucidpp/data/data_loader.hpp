#pragma once
// DataLoader: a dataset read in batches, as torch.utils.data.DataLoader (one process, no workers).
//
//     data::TensorDataset dataset({inputs, targets});
//     data::DataLoader loader(dataset, {.batch_size = 32, .shuffle = true, .generator = &gen});
//     for (auto epoch = 0; epoch < 10; ++epoch)
//         for (std::vector<Tensor> batch : loader) { ... batch[0], batch[1] ... }
//
// Each range-for over the loader is one epoch: it asks the sampler for the epoch's order (with
// shuffle a new permutation, drawn from the generator, so a seed fixes every epoch's order),
// cuts it into batches of batch_size, and makes each batch when the loop reaches it by getting
// the examples from the dataset and collating them. size() is the number of batches per epoch.
//
// The dataset is not copied: it must outlive the loader (a temporary is refused at compile time).
#include <cstdint>
#include <functional>
#include <iterator>
#include <memory>
#include <optional>
#include <type_traits>
#include <utility>
#include <vector>

#include "lucidpp/data/batch_sampler.hpp"
#include "lucidpp/data/collate.hpp"
#include "lucidpp/data/dataset.hpp"
#include "lucidpp/data/sampler.hpp"
#include "lucidpp/tensor/error.hpp"

namespace lucid::data {

struct DataLoaderOptions {
    std::int64_t batch_size = 1;
    bool shuffle = false;            // a RandomSampler instead of a SequentialSampler
    bool drop_last = false;          // drop the last batch if it is smaller than batch_size
    Generator* generator = nullptr;  // what shuffle draws from; null: the default generator
    // Any other order (e.g. a distributed sampler); excludes shuffle, as in PyTorch.
    std::shared_ptr<Sampler> sampler = nullptr;
};

// The sampler the options ask for, checked as PyTorch checks them.
std::shared_ptr<Sampler> make_sampler(const DataLoaderOptions& options, std::int64_t dataset_size);

template <typename Example, typename Batch = DefaultBatch<Example>>
class DataLoader {
public:
    using Collate = std::function<Batch(std::vector<Example>)>;

    DataLoader(const Dataset<Example>& dataset, const DataLoaderOptions& options = {},
               Collate collate = default_collate_of)
        : dataset_(&dataset),
          batches_(make_sampler(options, dataset.size()), options.batch_size, options.drop_last),
          collate_(std::move(collate)) {}
    // A temporary dataset would be destroyed before the loader reads it.
    DataLoader(const Dataset<Example>&& dataset, const DataLoaderOptions& options = {},
               Collate collate = default_collate_of) = delete;

    class Iterator;
    // A new epoch.
    Iterator begin() { return Iterator(this, batches_.batches(epoch_++)); }
    std::default_sentinel_t end() const { return {}; }

    // Batches per epoch (len(loader)).
    std::int64_t size() const { return batches_.size(); }
    // The number of epochs begun; set_epoch makes the next one `epoch` (to resume a run).
    std::int64_t epoch() const { return epoch_; }
    void set_epoch(std::int64_t epoch) { epoch_ = epoch; }

    const Dataset<Example>& dataset() const { return *dataset_; }
    Sampler& sampler() { return batches_.sampler(); }

    // The batch of the given dataset indices.
    Batch batch_of(const std::vector<std::int64_t>& indices) const {
        std::vector<Example> examples;
        examples.reserve(indices.size());
        const std::int64_t n = dataset_->size();
        for (std::int64_t index : indices) {
            check(index >= 0 && index < n,
                  "DataLoader: the sampler gave index {}, out of range for a dataset of {} "
                  "examples",
                  index, n);
            examples.push_back(dataset_->get(index));
        }
        return collate_(std::move(examples));
    }

    // One epoch's batches, each made when the loop reaches it.
    class Iterator {
    public:
        using value_type = Batch;
        using difference_type = std::ptrdiff_t;

        Iterator(const DataLoader* loader, std::vector<std::vector<std::int64_t>> batches)
            : loader_(loader),
              batches_(
                  std::make_shared<std::vector<std::vector<std::int64_t>>>(std::move(batches))) {}

        Batch operator*() const { return loader_->batch_of((*batches_)[next_]); }
        Iterator& operator++() {
            ++next_;
            return *this;
        }
        void operator++(int) { ++next_; }
        bool operator==(std::default_sentinel_t) const { return next_ == batches_->size(); }

    private:
        const DataLoader* loader_;
        std::shared_ptr<std::vector<std::vector<std::int64_t>>> batches_;
        std::size_t next_ = 0;
    };

private:
    static Batch default_collate_of(std::vector<Example> examples) {
        return default_collate(examples);
    }

    const Dataset<Example>* dataset_;
    BatchSampler batches_;
    Collate collate_;
    std::int64_t epoch_ = 0;
};

// DataLoader loader(dataset, options, collate) names the batch type itself (the constructor
// already deduces the example type and the default batch).
template <typename Example, typename Collate>
DataLoader(const Dataset<Example>&, const DataLoaderOptions&, Collate)
    -> DataLoader<Example, std::invoke_result_t<Collate, std::vector<Example>>>;

}  // namespace lucid::data
