#pragma once
// The allocator behind every Storage, and its statistics.
//
// A training loop allocates the same buffers every step: activations, gradients, workspaces.
// glibc serves large blocks (128 KiB and up) with mmap and returns them to the kernel on free, so
// every step would fault all of its pages in again; on the small RNN benchmark that was 40% of
// the step time. Small blocks cost less each, but every op takes at least one: 64-byte aligned
// blocks of a few KiB miss glibc's per-thread cache and take its slow path every time.
// So freed blocks are kept, grouped in size classes an eighth of a power of two wide (from 64
// bytes), and handed out again: the large ones (64 KiB and up) in a map, the small ones in a free
// list per class. The cache never holds more bytes than tensors ever held at once. Any thread may
// free a block another allocated. Builds with AddressSanitizer skip the cache, so that a use
// after free is still caught.
#include <cstddef>

namespace lucid {

struct MemoryStats {
    std::size_t allocated_bytes = 0;       // in tensors now (large blocks rounded up to classes)
    std::size_t peak_allocated_bytes = 0;  // the most at once, since reset_peak_memory_stats()
    std::size_t cached_bytes = 0;          // freed, kept for reuse
    std::size_t allocations = 0;           // calls so far
    std::size_t cache_hits = 0;            // of them, served from the cache
};

MemoryStats memory_stats();
// Sets the peak to what is allocated now, so that the peak of one computation can be measured.
void reset_peak_memory_stats();
// Returns every cached block to the system.
void empty_cache();

namespace detail {
// Aligned to 64 bytes. `nbytes` must be the same in both calls. Throws std::bad_alloc when the
// system cannot give the memory (empty(), the one caller, names the op and shape instead).
void* allocate(std::size_t nbytes);
void deallocate(void* bytes, std::size_t nbytes);
}  // namespace detail

}  // namespace lucid
