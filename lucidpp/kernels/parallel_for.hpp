#pragma once
// lucidpp's own threads: a team of get_num_threads() threads (the caller and persistent
// workers) that splits a loop into chunks, like PyTorch's at::parallel_for.
//
// The chunks are claimed, not assigned: every thread, the caller included, takes the next
// unclaimed chunk until none is left, and the caller waits only for chunks already under way.
// A worker that is slow to wake, because the machine is busy, costs nothing: the caller runs
// its chunks too. That is what keeps two threads from collapsing on a loaded machine, where
// OpenBLAS's own threads wait for each other inside every product (docs/performance.md).
#include <cstdint>

namespace lucid::kernels {

namespace detail {
using ChunkBody = void (*)(void* fn, std::int64_t begin, std::int64_t end);
void run_chunks(std::int64_t n, std::int64_t chunks, ChunkBody body, void* fn);
}  // namespace detail

// How many chunks [0, n) splits into: at most one per thread, and none smaller than `grain`
// items. 1 inside another parallel_for, whose chunks already hold every thread.
std::int64_t chunk_count(std::int64_t n, std::int64_t grain);

// Calls fn(begin, end) on consecutive ranges that cover [0, n), chunk_count(n, grain) of them,
// on the team's threads, and returns when all are done. Which rows form a chunk depends only
// on n, grain and the thread count, so results do not depend on which thread ran what. fn must
// not throw (an exception ends the program); a parallel_for inside fn runs on its own thread.
template <class Fn>
void parallel_for(std::int64_t n, std::int64_t grain, Fn&& fn) {
    detail::run_chunks(
        n, chunk_count(n, grain),
        [](void* f, std::int64_t begin, std::int64_t end) { (*static_cast<Fn*>(f))(begin, end); },
        &fn);
}

}  // namespace lucid::kernels
