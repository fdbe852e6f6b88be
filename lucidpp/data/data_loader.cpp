#include "lucidpp/data/data_loader.hpp"

namespace lucid::data {

std::shared_ptr<Sampler> make_sampler(const DataLoaderOptions& options, std::int64_t dataset_size) {
    if (options.sampler != nullptr) {
        check(!options.shuffle, "DataLoader: sampler option is mutually exclusive with shuffle");
        return options.sampler;
    }
    if (options.shuffle) return std::make_shared<RandomSampler>(dataset_size, options.generator);
    return std::make_shared<SequentialSampler>(dataset_size);
}

}  // namespace lucid::data
