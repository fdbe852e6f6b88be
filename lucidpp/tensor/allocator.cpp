#include "lucidpp/tensor/allocator.hpp"

#include <algorithm>
#include <array>
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
constexpr std::size_t smallest_large = 64 * 1024;  // and the size classes below it are small
constexpr std::size_t smallest_class = 64;

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
// 64, 72, ..., 120, 128, 144, ... bytes and the same from 64 KiB on. Wastes at most 12.5%.
std::size_t size_class(std::size_t n) {
    if (n > std::numeric_limits<std::size_t>::max() / 2) return n;  // would overflow
    n = std::max(n, smallest_class);
    const std::size_t step = std::bit_floor(n) / 8;
    return (n + step - 1) / step * step;
}

// The small size classes (64 bytes to 60 KiB) are eight per power of two: 10 powers, 80 lists.
constexpr std::size_t small_classes =
    8 * (std::bit_width(smallest_large) - std::bit_width(smallest_class));

std::size_t small_index(std::size_t size_class) {
    const int power = std::bit_width(size_class) - 1;
    const std::size_t eighth = size_class >> (power - 3);  // 8 ... 15
    return 8 * static_cast<std::size_t>(power - (std::bit_width(smallest_class) - 1)) + eighth - 8;
}

// What allocated_bytes counts for a block: a large one's size class, a small one's own size
// (small tensors are many, and their exact sizes keep the statistics comparable with PyTorch's).
std::size_t counted(std::size_t nbytes, std::size_t size) {
    return size < smallest_large ? nbytes : size;
}

// A freed small block holds the link to the next free block of its class: the lists cost no
// allocation of their own (a multimap node, as for large blocks, would cost a malloc per free).
struct FreeBlock {
    FreeBlock* next;
};

struct Cache {
    std::mutex mutex;
    std::multimap<std::size_t, void*> free_blocks;       // large ones, by size class
    std::array<FreeBlock*, small_classes> small_free{};  // a list per small size class
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

    void* take_small(std::size_t size) {
        FreeBlock*& head = small_free[small_index(size)];
        FreeBlock* block = head;
        if (block != nullptr) head = block->next;
        return block;
    }

    void keep_small(void* bytes, std::size_t size) {
        FreeBlock*& head = small_free[small_index(size)];
        head = new (bytes) FreeBlock{head};
    }

    void release_small() {
        for (std::size_t index = 0; index < small_classes; ++index) {
            const std::size_t power = std::size_t{1}
                                      << (index / 8 + std::bit_width(smallest_class) - 1);
            const std::size_t size = power + power / 8 * (index % 8);
            while (FreeBlock* block = small_free[index]) {
                small_free[index] = block->next;
                stats.cached_bytes -= size;
                ::operator delete(block, alignment);
            }
        }
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
    const std::size_t size = caching ? size_class(nbytes) : nbytes;
    if (caching) {
        std::lock_guard lock(c.mutex);
        void* block = nullptr;
        if (size < smallest_large) {
            block = c.take_small(size);
        } else if (auto found = c.free_blocks.find(size); found != c.free_blocks.end()) {
            block = found->second;
            c.free_blocks.erase(found);
        }
        if (block != nullptr) {
            c.stats.cached_bytes -= size;
            c.stats.cache_hits++;
            c.count_allocation(counted(nbytes, size));
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
    c.count_allocation(counted(nbytes, size));
    return block;
}

void deallocate(void* bytes, std::size_t nbytes) {
    Cache& c = cache();
    const std::size_t size = caching ? size_class(nbytes) : nbytes;
    std::unique_lock lock(c.mutex);
    c.stats.allocated_bytes -= counted(nbytes, size);
    if (caching) {
        const std::size_t limit = c.most_ever_allocated;
        while (c.stats.cached_bytes + size > limit && !c.free_blocks.empty()) c.release_largest();
        if (size < smallest_large && c.stats.cached_bytes + size <= limit) {
            c.keep_small(bytes, size);
            c.stats.cached_bytes += size;
            return;
        }
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
    c.release_small();
}

}  // namespace lucid
