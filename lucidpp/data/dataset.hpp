#pragma once
// Dataset: what a DataLoader reads from, as torch.utils.data.Dataset (a map-style dataset).
//
// A user's dataset derives from Dataset<Example> and says how many examples it has and how to
// make the one at an index; Example is whatever one item is (a Tensor, a pair of a sequence and
// a label, a std::vector<Tensor>, ...). The loader asks only for indices in [0, size()).
#include <cstdint>

namespace lucid::data {

template <typename Example>
class Dataset {
public:
    using ExampleType = Example;

    virtual ~Dataset() = default;

    // len(dataset)
    virtual std::int64_t size() const = 0;
    // dataset[index], for index in [0, size())
    virtual Example get(std::int64_t index) const = 0;
};

}  // namespace lucid::data
