#include "lucidpp/tensor/allocator.hpp"

#include <algorithm>
#include <bit>
#include <iterator>
#include <limits>
#include <map>
#include <mutex>
#include <new>

namespace lucid {

namespace {

// 64 bytes: a cache line, and enough for any vector width the compiler targets.
constexpr std::align_val_t alignment{64};
constexpr std::size_t smallest_cached = 64 * 1024;

#if defined(__SANITIZE_ADDRESS__)  // GCC
constexpr bool caching = false;
#elif defined(__has_feature)
#if __has_feature(address_sanitizer)  // clang
constexpr bool caching = false;
#else
constexpr bool caching = true;
#endif
#else
constexpr bool caching = true;
#endif

// Rounds up to a multiple of an eighth of the largest power of two not above n:
// 64 KiB, 72 KiB, ..., 120 KiB, 128 KiB, 144 KiB, ... Wastes at most 12.5%.
std::size_t size_class(std::size_t n) {
    if (n > std::numeric_limits<std::size_t>::max() / 2) return n;  // would overflow
    const std::size_t step = std::bit_floor(n) / 8;
    return (n + step - 1) / step * step;
}

struct Cache {
    std::mutex mutex;
    std::multimap<std::size_t, void*> free_blocks;  // by size class
    MemoryStats stats;
    std::size_t most_ever_allocated = 0;  // the cache's cap; reset_peak_memory_stats leaves it

    void count_allocation(std::size_t size) {
        stats.allocations++;
        stats.allocated_bytes += size;
        stats.peak_allocated_bytes = std::max(stats.peak_allocated_bytes, stats.allocated_bytes);
        most_ever_allocated = std::max(most_ever_allocated, stats.allocated_bytes);
    }

    void release_largest() {
        auto largest = std::prev(free_blocks.end());
        stats.cached_bytes -= largest->first;
        ::operator delete(largest->second, alignment);
        free_blocks.erase(largest);
    }
};

Cache& cache() {
    // Never destroyed: tensors in static objects may outlive it.
    static Cache* instance = new Cache();
    return *instance;
}

}  // namespace

namespace detail {

void* allocate(std::size_t nbytes) {
    Cache& c = cache();
    const bool cached = caching && nbytes >= smallest_cached;
    const std::size_t size = cached ? size_class(nbytes) : nbytes;
    if (cached) {
        std::lock_guard lock(c.mutex);
        if (auto found = c.free_blocks.find(size); found != c.free_blocks.end()) {
            void* block = found->second;
            c.free_blocks.erase(found);
            c.stats.cached_bytes -= size;
            c.stats.cache_hits++;
            c.count_allocation(size);
            return block;
        }
    }
    // The nothrow form: under AddressSanitizer the throwing one aborts the program on a size
    // the system cannot give instead of throwing (allocator_may_return_null=1 makes this one
    // return null; see tests/test_sizes.cpp).
    void* block = ::operator new(size == 0 ? 1 : size, alignment, std::nothrow);
    if (block == nullptr) {
        empty_cache();  // blocks of other sizes may be what the system is missing
        block = ::operator new(size == 0 ? 1 : size, alignment, std::nothrow);
    }
    if (block == nullptr) throw std::bad_alloc();  // empty() turns it into a lucid::Error
    std::lock_guard lock(c.mutex);
    c.count_allocation(size);
    return block;
}

void deallocate(void* bytes, std::size_t nbytes) {
    Cache& c = cache();
    const bool cached = caching && nbytes >= smallest_cached;
    const std::size_t size = cached ? size_class(nbytes) : nbytes;
    std::unique_lock lock(c.mutex);
    c.stats.allocated_bytes -= size;
    if (cached) {
        const std::size_t limit = c.most_ever_allocated;
        while (c.stats.cached_bytes + size > limit && !c.free_blocks.empty()) c.release_largest();
        if (c.stats.cached_bytes + size <= limit) {
            try {
                c.free_blocks.emplace(size, bytes);
                c.stats.cached_bytes += size;
                return;
            } catch (const std::bad_alloc&) {  // no memory for the map's node: free the block
            }
        }
    }
    lock.unlock();
    ::operator delete(bytes, alignment);
}

}  // namespace detail

MemoryStats memory_stats() {
    Cache& c = cache();
    std::lock_guard lock(c.mutex);
    return c.stats;
}

void reset_peak_memory_stats() {
    Cache& c = cache();
    std::lock_guard lock(c.mutex);
    c.stats.peak_allocated_bytes = c.stats.allocated_bytes;
}

void empty_cache() {
    Cache& c = cache();
    std::lock_guard lock(c.mutex);
    while (!c.free_blocks.empty()) c.release_largest();
}

}  // namespace lucid
