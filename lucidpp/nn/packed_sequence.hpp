#pragma once
// Variable-length batches, as torch.nn.utils.rnn.
//
// A PackedSequence stores a batch of sequences sorted by length, longest first, time step by
// time step: `data` holds the rows of step 0 for every sequence, then the rows of step 1 for the
// sequences that are still running, and so on; batch_sizes[t] says how many rows step t has.
// Example, lengths (3, 2, 1) after sorting, rows named sequence/step:
//   data = [a0 b0 c0 | a1 b1 | a2]   batch_sizes = [3, 2, 1]
// sorted_indices[i] is the caller's batch index of the i-th longest sequence, and
// unsorted_indices its inverse; both are undefined when the batch came in sorted.
#include <cstdint>
#include <vector>

#include "lucidpp/tensor/tensor.hpp"

namespace lucid::nn {

struct PackedSequence {
    Tensor data;              // (sum of lengths, *)
    Tensor batch_sizes;       // int64 (max length)
    Tensor sorted_indices;    // int64 (batch), or undefined
    Tensor unsorted_indices;  // int64 (batch), or undefined

    std::vector<std::int64_t> batch_size_list() const { return batch_sizes.to_vector<std::int64_t>(); }
    std::int64_t batch_size() const;
    std::int64_t max_length() const { return batch_sizes.numel(); }
};

// input: (T, B, *) or (B, T, *) with batch_first; lengths: B positive lengths <= T. With
// enforce_sorted the lengths must be non-increasing; otherwise the batch is sorted here.
// Differentiable with respect to input.
PackedSequence pack_padded_sequence(const Tensor& input, const std::vector<std::int64_t>& lengths,
                                    bool batch_first = false, bool enforce_sorted = true);
PackedSequence pack_padded_sequence(const Tensor& input, const Tensor& lengths,
                                    bool batch_first = false, bool enforce_sorted = true);

struct PaddedSequence {
    Tensor padded;                      // (T, B, *) or (B, T, *), in the caller's batch order
    std::vector<std::int64_t> lengths;  // per sequence, in the caller's batch order
};

// The inverse of pack_padded_sequence; total_length (if > 0) pads to that many steps.
PaddedSequence pad_packed_sequence(const PackedSequence& sequence, bool batch_first = false,
                                   double padding_value = 0.0, std::int64_t total_length = 0);

// Stacks sequences of shape (L_i, *) into (max L, B, *) (or (B, max L, *)), padding the tail.
Tensor pad_sequence(const std::vector<Tensor>& sequences, bool batch_first = false,
                    double padding_value = 0.0);

// pack_padded_sequence(pad_sequence(sequences), their lengths, ...).
PackedSequence pack_sequence(const std::vector<Tensor>& sequences, bool enforce_sorted = true);

}  // namespace lucid::nn
