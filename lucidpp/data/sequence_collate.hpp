#pragma once
// Collates for sequences of different lengths: a batch a recurrent layer reads directly.
//
// Each example is a pair (sequence, target): the sequence (L_i, *) with its own length L_i, the
// target anything default_collate stacks (an int64 class, a double, a tensor of one shape).
// PadCollate pads the sequences to the longest (nn::pad_sequence) and gives their lengths;
// PackCollate packs them (nn::pack_sequence, unsorted is fine), so a GRU runs each sequence
// exactly its own number of steps and its h_n comes back in the batch's order. Either is the
// third argument of a DataLoader:
//
//     data::DataLoader loader(dataset, {.batch_size = 32, .shuffle = true}, data::PackCollate{});
//     for (data::PackedBatch batch : loader) { auto [output, h_n] = gru(batch.sequences); ... }
#include <cstdint>
#include <utility>
#include <vector>

#include "lucidpp/data/collate.hpp"
#include "lucidpp/nn/packed_sequence.hpp"
#include "lucidpp/tensor/tensor.hpp"

namespace lucid::data {

struct PaddedBatch {
    Tensor sequences;                   // (T, B, *), or (B, T, *) with batch_first; T the longest
    std::vector<std::int64_t> lengths;  // L_i, in the batch's order
    Tensor targets;                     // the targets, stacked: (B, ...)
};

struct PackedBatch {
    nn::PackedSequence sequences;  // the examples' order is kept in its sorted/unsorted indices
    Tensor targets;                // the targets, stacked in the examples' order: (B, ...)
};

// The collates without the pairs: sequences and their already stacked targets.
PaddedBatch pad_batch(const std::vector<Tensor>& sequences, Tensor targets, bool batch_first,
                      double padding_value);
PackedBatch pack_batch(const std::vector<Tensor>& sequences, Tensor targets, bool enforce_sorted);

struct PadCollate {
    bool batch_first = false;
    double padding_value = 0.0;

    template <typename Target>
    PaddedBatch operator()(const std::vector<std::pair<Tensor, Target>>& examples) const {
        return pad_batch(field<0>(examples), default_collate(field<1>(examples)), batch_first,
                         padding_value);
    }
};

struct PackCollate {
    // As nn::pack_sequence: false takes the examples in any order of lengths.
    bool enforce_sorted = false;

    template <typename Target>
    PackedBatch operator()(const std::vector<std::pair<Tensor, Target>>& examples) const {
        return pack_batch(field<0>(examples), default_collate(field<1>(examples)), enforce_sorted);
    }
};

}  // namespace lucid::data
