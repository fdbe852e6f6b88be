#include "lucidpp/tensor/randperm.hpp"

#include <algorithm>
#include <mutex>
#include <numeric>
#include <utility>

#include "lucidpp/tensor/error.hpp"

namespace lucid {

// Fisher-Yates, front to back as PyTorch's CPU randperm: position i takes a uniformly drawn
// element of the ones not yet placed, so every permutation is equally likely.
std::vector<std::int64_t> random_permutation(std::int64_t n, Generator& generator) {
    check(n >= 0, "randperm: n must be non-negative, got {}", n);
    std::vector<std::int64_t> order(static_cast<std::size_t>(n));
    std::iota(order.begin(), order.end(), std::int64_t{0});
    std::lock_guard lock(generator.mutex());
    for (std::int64_t i = 0; i + 1 < n; ++i) {
        const std::int64_t chosen = generator.randint(i, n);
        std::swap(order[static_cast<std::size_t>(i)], order[static_cast<std::size_t>(chosen)]);
    }
    return order;
}

Tensor randperm(std::int64_t n, Dtype dtype, Generator* generator) {
    std::vector<std::int64_t> order =
        random_permutation(n, generator != nullptr ? *generator : default_generator());
    Tensor out = empty({n}, int64, "randperm");
    std::copy(order.begin(), order.end(), out.data_ptr<std::int64_t>());
    return dtype == int64 ? out : out.to(dtype);
}

}  // namespace lucid
