#include "lucidpp/data/batch_sampler.hpp"

#include <algorithm>

#include "lucidpp/tensor/error.hpp"

namespace lucid::data {

BatchSampler::BatchSampler(std::shared_ptr<Sampler> sampler, std::int64_t batch_size,
                           bool drop_last)
    : sampler_(std::move(sampler)), batch_size_(batch_size), drop_last_(drop_last) {
    check(sampler_ != nullptr, "BatchSampler: sampler is null");
    check(batch_size > 0,
          "BatchSampler: batch_size should be a positive integer value, but got batch_size={}",
          batch_size);
}

std::vector<std::vector<std::int64_t>> BatchSampler::batches(std::int64_t epoch) {
    sampler_->set_epoch(epoch);
    const std::vector<std::int64_t> order = sampler_->indices();
    std::vector<std::vector<std::int64_t>> out;
    for (auto first = order.begin(); first != order.end();) {
        const auto left = order.end() - first;
        const auto take = std::min<std::ptrdiff_t>(left, batch_size_);
        if (take < batch_size_ && drop_last_) break;
        out.emplace_back(first, first + take);
        first += take;
    }
    return out;
}

std::int64_t BatchSampler::size() const {
    const std::int64_t n = sampler_->size();
    return drop_last_ ? n / batch_size_ : (n + batch_size_ - 1) / batch_size_;
}

}  // namespace lucid::data
