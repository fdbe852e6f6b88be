// Packing and padding, as torch.nn.utils.rnn. Every conversion is one index_select over rows
// (plus a cat of one padding row when padding), so gradients reach the input through the ops
// layer and nothing here needs a backward of its own.
//
// Row numbering: a padded (T, B, *) tensor flattened to (T * B, *) holds step t of sequence b
// at row t * B + b; a (B, T, *) one at row b * T + t.
#include "lucidpp/nn/packed_sequence.hpp"

#include <fmt/ranges.h>

#include <algorithm>
#include <numeric>

#include "lucidpp/ops/shape.hpp"
#include "lucidpp/tensor/creation.hpp"
#include "lucidpp/tensor/error.hpp"

namespace lucid::nn {

namespace {

using Index = std::vector<std::int64_t>;

Tensor index_tensor(const Index& values) {
    return tensor(std::vector<double>(values.begin(), values.end()), int64);
}

std::int64_t padded_row(std::int64_t step, std::int64_t sequence, std::int64_t steps,
                        std::int64_t batch, bool batch_first) {
    return batch_first ? sequence * steps + step : step * batch + sequence;
}

// `shape` with its leading `count` sizes replaced by `leading`.
Shape replace_leading(const Shape& shape, std::size_t count, const Shape& leading) {
    Shape result = leading;
    result.insert(result.end(), shape.begin() + static_cast<std::ptrdiff_t>(count), shape.end());
    return result;
}

void check_lengths(const Index& lengths, std::int64_t steps, std::int64_t batch,
                   bool enforce_sorted) {
    const auto count = static_cast<std::int64_t>(lengths.size());
    check(count == batch,
          "pack_padded_sequence: Expected `len(lengths)` to be equal to batch_size, but got {} "
          "(batch_size={})",
          count, batch);
    for (std::int64_t b = 0; b < count; ++b) {
        check(lengths[b] > 0,
              "pack_padded_sequence: Length of all samples has to be greater than 0, but found "
              "an element in 'lengths' that is <= 0");
        check(lengths[b] <= steps,
              "pack_padded_sequence: lengths[{}] = {} is longer than the padded input's {} steps",
              b, lengths[b], steps);
    }
    check(!enforce_sorted || std::is_sorted(lengths.rbegin(), lengths.rend()),
          "pack_padded_sequence: `lengths` array must be sorted in decreasing order when "
          "`enforce_sorted` is True. You can pass `enforce_sorted=False` to pack_padded_sequence "
          "and/or pack_sequence to sidestep this requirement if you do not need ONNX "
          "exportability.");
}

// The batch indices ordered longest first; equal lengths keep their order (a stable sort).
Index longest_first(const Index& lengths) {
    Index order(lengths.size());
    std::iota(order.begin(), order.end(), 0);
    std::stable_sort(order.begin(), order.end(),
                     [&](std::int64_t a, std::int64_t b) { return lengths[a] > lengths[b]; });
    return order;
}

Index inverse_permutation(const Index& order) {
    Index inverse(order.size());
    for (std::size_t i = 0; i < order.size(); ++i) inverse[order[i]] = static_cast<std::int64_t>(i);
    return inverse;
}

// batch_sizes[t] = how many of the (sorted) sequences are longer than t.
Index batch_sizes_of(const Index& sorted_lengths) {
    Index sizes(sorted_lengths.front());
    for (std::int64_t length : sorted_lengths) {
        for (std::int64_t t = 0; t < length; ++t) ++sizes[t];
    }
    return sizes;
}

void check_packed(const PackedSequence& sequence, const Index& batch_sizes) {
    check(sequence.data.defined() && sequence.data.dim() >= 1,
          "pad_packed_sequence: data must be a tensor of shape (sum of lengths, *)");
    check(!batch_sizes.empty() && batch_sizes.front() > 0,
          "pad_packed_sequence: batch_sizes must hold at least one positive step size");
    for (std::size_t t = 1; t < batch_sizes.size(); ++t) {
        check(batch_sizes[t] > 0 && batch_sizes[t] <= batch_sizes[t - 1],
              "pad_packed_sequence: batch_sizes must be positive and non-increasing, got [{}]",
              fmt::join(batch_sizes, ", "));
    }
    const std::int64_t rows =
        std::accumulate(batch_sizes.begin(), batch_sizes.end(), std::int64_t{0});
    check(sequence.data.size(0) == rows,
          "pad_packed_sequence: data has {} rows but batch_sizes [{}] add up to {}",
          sequence.data.size(0), fmt::join(batch_sizes, ", "), rows);
}

Index to_index(const Tensor& values, const char* op, const char* name) {
    check(values.dtype() == int64 && values.dim() == 1,
          "{}: {} must be a 1-D int64 tensor, got dtype {} and shape {}", op, name, values.dtype(),
          values.shape());
    return values.to_vector<std::int64_t>();
}

void check_permutation(const Index& indices, std::int64_t batch, const char* name) {
    Index seen(indices);
    std::sort(seen.begin(), seen.end());
    Index all(batch);
    std::iota(all.begin(), all.end(), 0);
    check(seen == all, "pad_packed_sequence: {} [{}] is not a permutation of the {} batch indices",
          name, fmt::join(indices, ", "), batch);
}

// sorted_positions[b]: where the caller's sequence b sits in the packed (sorted) batch, which
// is unsorted_indices, or the inverse of sorted_indices when only that one is set.
Index sorted_positions(const PackedSequence& sequence, std::int64_t batch) {
    const Tensor& given =
        sequence.unsorted_indices.defined() ? sequence.unsorted_indices : sequence.sorted_indices;
    if (!given.defined()) {
        Index identity(batch);
        std::iota(identity.begin(), identity.end(), 0);
        return identity;
    }
    const char* name = sequence.unsorted_indices.defined() ? "unsorted_indices" : "sorted_indices";
    Index indices = to_index(given, "pad_packed_sequence", name);
    check(static_cast<std::int64_t>(indices.size()) == batch,
          "pad_packed_sequence: {} has {} entries for a batch of {}", name, indices.size(), batch);
    check_permutation(indices, batch, name);
    return sequence.unsorted_indices.defined() ? indices : inverse_permutation(indices);
}

}  // namespace

std::int64_t PackedSequence::batch_size() const {
    return batch_sizes.numel() == 0 ? 0 : batch_sizes.select(0, 0).item<std::int64_t>();
}

PackedSequence pack_padded_sequence(const Tensor& input, const Index& lengths, bool batch_first,
                                    bool enforce_sorted) {
    check(input.dim() >= 2,
          "pack_padded_sequence: input must have at least 2 dimensions ({}), got shape {}",
          batch_first ? "B, T, *" : "T, B, *", input.shape());
    const std::int64_t steps = input.size(batch_first ? 1 : 0);
    const std::int64_t batch = input.size(batch_first ? 0 : 1);
    check(steps > 0 && batch > 0, "pack_padded_sequence: Cannot pack empty tensors, got shape {}",
          input.shape());
    check_lengths(lengths, steps, batch, enforce_sorted);

    PackedSequence packed;
    Index order(lengths.size());
    std::iota(order.begin(), order.end(), 0);
    if (!enforce_sorted) {
        order = longest_first(lengths);
        packed.sorted_indices = index_tensor(order);
        packed.unsorted_indices = index_tensor(inverse_permutation(order));
    }
    Index sorted_lengths;
    for (std::int64_t b : order) sorted_lengths.push_back(lengths[b]);
    const Index batch_sizes = batch_sizes_of(sorted_lengths);

    // Step by step, the rows of the sequences still running, longest first.
    Index rows;
    for (std::size_t t = 0; t < batch_sizes.size(); ++t) {
        for (std::int64_t i = 0; i < batch_sizes[t]; ++i) {
            rows.push_back(
                padded_row(static_cast<std::int64_t>(t), order[i], steps, batch, batch_first));
        }
    }
    Tensor flat = input.reshape(replace_leading(input.shape(), 2, {steps * batch}));
    packed.data = index_select(flat, 0, index_tensor(rows));
    packed.batch_sizes = index_tensor(batch_sizes);
    return packed;
}

PackedSequence pack_padded_sequence(const Tensor& input, const Tensor& lengths, bool batch_first,
                                    bool enforce_sorted) {
    return pack_padded_sequence(input, to_index(lengths, "pack_padded_sequence", "lengths"),
                                batch_first, enforce_sorted);
}

PaddedSequence pad_packed_sequence(const PackedSequence& sequence, bool batch_first,
                                   double padding_value, std::int64_t total_length) {
    check(sequence.batch_sizes.defined(), "pad_packed_sequence: batch_sizes is undefined");
    const Index batch_sizes = to_index(sequence.batch_sizes, "pad_packed_sequence", "batch_sizes");
    check_packed(sequence, batch_sizes);
    const auto max_length = static_cast<std::int64_t>(batch_sizes.size());
    check(total_length <= 0 || total_length >= max_length,
          "pad_packed_sequence: Expected total_length to be at least the length of the longest "
          "sequence in input, but got total_length={} and max sequence length being {}",
          total_length, max_length);
    const std::int64_t steps = std::max(total_length, max_length);
    const std::int64_t batch = batch_sizes.front();

    const Index sorted_position = sorted_positions(sequence, batch);

    // Every padded row points at its packed row, or at the padding row appended after them.
    const std::int64_t padding_row = sequence.data.size(0);
    Index rows(steps * batch, padding_row);
    Index lengths(batch, 0);
    std::int64_t step_start = 0;
    for (std::int64_t t = 0; t < max_length; ++t) {
        for (std::int64_t b = 0; b < batch; ++b) {
            const std::int64_t i = sorted_position[b];
            if (i >= batch_sizes[t]) continue;
            rows[padded_row(t, b, steps, batch, batch_first)] = step_start + i;
            lengths[b] = t + 1;
        }
        step_start += batch_sizes[t];
    }

    const Tensor& data = sequence.data;
    Tensor padding = full(replace_leading(data.shape(), 1, {1}), padding_value, data.dtype());
    Tensor flat = index_select(cat({data, padding}, 0), 0, index_tensor(rows));
    const Shape leading = batch_first ? Shape{batch, steps} : Shape{steps, batch};
    return {flat.reshape(replace_leading(data.shape(), 1, leading)), lengths};
}

Tensor pad_sequence(const std::vector<Tensor>& sequences, bool batch_first, double padding_value) {
    check(!sequences.empty(), "pad_sequence: received an empty list of sequences");
    const Tensor& first = sequences.front();
    std::int64_t max_length = 0;
    for (std::size_t k = 0; k < sequences.size(); ++k) {
        const Tensor& s = sequences[k];
        check(s.dim() >= 1, "pad_sequence: sequence {} must have shape (L, *), got shape {}", k,
              s.shape());
        const bool same_trailing =
            s.dim() == first.dim() &&
            std::equal(s.shape().begin() + 1, s.shape().end(), first.shape().begin() + 1);
        check(same_trailing,
              "pad_sequence: all sequences must have the same trailing shape, but sequence 0 has "
              "shape {} and sequence {} has shape {}",
              first.shape(), k, s.shape());
        check(s.dtype() == first.dtype(),
              "pad_sequence: all sequences must have the same dtype, but sequence 0 has {} and "
              "sequence {} has {}",
              first.dtype(), k, s.dtype());
        max_length = std::max(max_length, s.size(0));
    }

    std::vector<Tensor> padded;
    for (const Tensor& s : sequences) {
        const std::int64_t missing = max_length - s.size(0);
        if (missing == 0) {
            padded.push_back(s);
            continue;
        }
        Tensor tail = full(replace_leading(s.shape(), 1, {missing}), padding_value, s.dtype());
        padded.push_back(cat({s, tail}, 0));
    }
    return stack(padded, batch_first ? 0 : 1);
}

PackedSequence pack_sequence(const std::vector<Tensor>& sequences, bool enforce_sorted) {
    check(!sequences.empty(), "pack_sequence: received an empty list of sequences");
    Index lengths;
    for (const Tensor& s : sequences) {
        check(s.dim() >= 1, "pack_sequence: sequences must have shape (L, *), got shape {}",
              s.shape());
        lengths.push_back(s.size(0));
    }
    return pack_padded_sequence(pad_sequence(sequences), lengths, false, enforce_sorted);
}

}  // namespace lucid::nn
