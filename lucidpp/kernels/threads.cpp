#include "lucidpp/kernels/threads.hpp"

#include <cblas.h>

#include <atomic>

#include "lucidpp/tensor/error.hpp"

namespace lucid {

namespace {
std::atomic<int> thread_count{0};  // 0: not set yet, OpenBLAS's own default applies
}

void set_num_threads(int n) {
    check(n >= 1, "set_num_threads: expected a positive number of threads, got {}", n);
    openblas_set_num_threads(n);
    thread_count = n;
}

int get_num_threads() {
    int n = thread_count.load();
    return n > 0 ? n : openblas_get_num_threads();
}

}  // namespace lucid
