#include "lucidpp/data/sequence_collate.hpp"

namespace lucid::data {

// nn::pad_sequence and nn::pack_sequence check the sequences (none, no dim 0, mixed feature
// shapes or dtypes, and for packing an empty one) and name the one at fault.
PaddedBatch pad_batch(const std::vector<Tensor>& sequences, Tensor targets, bool batch_first,
                      double padding_value) {
    Tensor padded = nn::pad_sequence(sequences, batch_first, padding_value);
    std::vector<std::int64_t> lengths;
    for (const Tensor& s : sequences) lengths.push_back(s.size(0));
    return {std::move(padded), std::move(lengths), std::move(targets)};
}

PackedBatch pack_batch(const std::vector<Tensor>& sequences, Tensor targets, bool enforce_sorted) {
    return {nn::pack_sequence(sequences, enforce_sorted), std::move(targets)};
}

}  // namespace lucid::data
