#include "lucidpp/kernels/threads.hpp"

#include <sched.h>

#include <algorithm>
#include <atomic>
#include <charconv>
#include <cstdlib>
#include <cstring>
#include <thread>

#include "lucidpp/tensor/error.hpp"

namespace lucid {

namespace {

int cores_available() {
    cpu_set_t cpus;
    if (sched_getaffinity(0, sizeof(cpus), &cpus) == 0) return std::max(1, CPU_COUNT(&cpus));
    return static_cast<int>(std::max(1u, std::thread::hardware_concurrency()));
}

// OMP_NUM_THREADS as PyTorch reads it: a positive number, else ignored.
int default_threads() {
    if (const char* text = std::getenv("OMP_NUM_THREADS")) {
        int n = 0;
        const char* end = text + std::strlen(text);
        if (auto [at, error] = std::from_chars(text, end, n);
            error == std::errc() && at == end && n > 0)
            return n;
    }
    return cores_available();
}

std::atomic<int> thread_count{0};  // 0: not set yet

}  // namespace

void set_num_threads(int n) {
    check(n >= 1, "set_num_threads: expected a positive number of threads, got {}", n);
    thread_count = n;
}

int get_num_threads() {
    int n = thread_count.load(std::memory_order_relaxed);
    if (n == 0) {
        int expected = 0;
        thread_count.compare_exchange_strong(expected, default_threads());
        n = thread_count.load();
    }
    return n;
}

}  // namespace lucid
