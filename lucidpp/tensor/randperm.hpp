#pragma once
// randperm: a random permutation of 0..n-1, as torch.randperm.
#include <cstdint>
#include <vector>

#include "lucidpp/tensor/generator.hpp"
#include "lucidpp/tensor/tensor.hpp"

namespace lucid {

// The permutation as a 1-D tensor (int64 unless `dtype` says otherwise), drawn from `generator`
// or from the default generator.
Tensor randperm(std::int64_t n, Dtype dtype = int64, Generator* generator = nullptr);

// The same draws as a vector, for code that indexes with it (the samplers of lucidpp/data).
std::vector<std::int64_t> random_permutation(std::int64_t n, Generator& generator);

}  // namespace lucid
