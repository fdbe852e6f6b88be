#include "lucidpp/kernels/parallel_for.hpp"

#include <algorithm>
#include <atomic>
#include <chrono>
#include <exception>
#include <mutex>
#include <thread>
#include <vector>

#include "lucidpp/kernels/threads.hpp"

namespace lucid::kernels {

namespace {

void pause() {
#if defined(__x86_64__) || defined(__i386__)
    __builtin_ia32_pause();
#endif
}

// Busy-waits for `done()` up to `spins` pauses (about 40 ns each on x86), then sleeps on the
// futex of `word`, which changes whenever done() may have become true. The word is read before
// done() is asked: a change after that read ends the wait at once, while a wait on a value read
// after done() could miss the last change and sleep for ever.
template <class Done>
void spin_then_wait(const std::atomic<std::uint32_t>& word, int spins, Done&& done) {
    for (int i = 0; i < spins; ++i) {
        if (done()) return;
        pause();
    }
    for (;;) {
        const std::uint32_t seen = word.load(std::memory_order_acquire);
        if (done()) return;
        word.wait(seen, std::memory_order_acquire);
    }
}

thread_local bool inside_chunk = false;

// The whole loop as one chunk on this thread: a loop inside it stays here too.
void run_here(std::int64_t n, detail::ChunkBody body, void* fn) {
    const bool outer = inside_chunk;
    inside_chunk = true;
    body(fn, 0, n);
    inside_chunk = outer;
}

// The caller of run_chunks and size - 1 workers. A run publishes its job under a new generation;
// `claim` holds the generation in its high half and the next unclaimed chunk in its low half, so
// that a worker still on an older run can never claim a chunk of this one.
class Team {
public:
    ~Team() { resize(1); }

    void run(std::int64_t n, std::int64_t chunks, detail::ChunkBody body, void* fn) {
        std::unique_lock lock(mutex_, std::try_to_lock);
        if (!lock.owns_lock()) {  // another thread's loop holds the team: run this one alone
            run_here(n, body, fn);
            return;
        }
        resize(get_num_threads());
        const Clock::time_point start = Clock::now();
        if (start < alone_until_) {  // the same chunks, so the same results, all on this thread
            for (std::int64_t c = 0; c < chunks; ++c)
                body(fn, c * n / chunks, (c + 1) * n / chunks);
            return;
        }
        n_ = n;
        chunks_.store(chunks, std::memory_order_relaxed);
        body_ = body;
        fn_ = fn;
        done_.store(0, std::memory_order_relaxed);
        const std::uint32_t generation = generation_.load(std::memory_order_relaxed) + 1;
        claim_.store(std::uint64_t{generation} << 32, std::memory_order_release);
        generation_.store(generation, std::memory_order_release);
        generation_.notify_all();
        help(generation);
        const Clock::time_point own_done = Clock::now();
        const auto target = static_cast<std::uint32_t>(chunks);
        spin_then_wait(done_, kCallerSpins,
                       [&] { return done_.load(std::memory_order_acquire) == target; });
        note_wait(start, own_done, Clock::now());
    }

private:
    using Clock = std::chrono::steady_clock;

    // On a machine whose other work keeps the workers off the cores, the caller would wait at
    // the end of a loop for a chunk whose thread is not running. When that wait is a large
    // part of a loop, the team runs alone for a while, doubling it each time the next try
    // waits too (from 10 ms up to a second), and halving it after each loop that does not.
    void note_wait(Clock::time_point start, Clock::time_point own_done, Clock::time_point end) {
        using std::chrono::microseconds;
        const auto wait = end - own_done;
        if (wait > microseconds(200) && wait * 4 > end - start) {
            alone_for_ = std::min<Clock::duration>(
                std::max<Clock::duration>(alone_for_ * 2, kMinAlone), kMaxAlone);
            alone_until_ = end + alone_for_;
        } else {
            alone_for_ /= 2;
        }
    }

    static constexpr Clock::duration kMinAlone = std::chrono::milliseconds(10);
    static constexpr Clock::duration kMaxAlone = std::chrono::seconds(1);

    // The caller spins a little at the end of a loop (the last chunk is usually close); a worker
    // spins longer after one, so that the next loop of the same step finds it awake.
    static constexpr int kCallerSpins = 1000;
    static constexpr int kWorkerSpins = 4000;

    // Runs chunks of the given run until none is left unclaimed.
    void help(std::uint32_t generation) {
        std::uint64_t seen = claim_.load(std::memory_order_acquire);
        for (;;) {
            const std::uint64_t index = seen & 0xffffffffu;
            if ((seen >> 32) != generation ||
                index >= static_cast<std::uint64_t>(chunks_.load(std::memory_order_relaxed)))
                return;
            if (!claim_.compare_exchange_weak(seen, seen + 1, std::memory_order_acq_rel)) continue;
            run_chunk(static_cast<std::int64_t>(index));
            done_.fetch_add(1, std::memory_order_release);
            done_.notify_one();
            seen = claim_.load(std::memory_order_acquire);
        }
    }

    void run_chunk(std::int64_t c) noexcept {
        inside_chunk = true;
        const std::int64_t chunks = chunks_.load(std::memory_order_relaxed);
        body_(fn_, c * n_ / chunks, (c + 1) * n_ / chunks);
        inside_chunk = false;
    }

    void work() {
        inside_chunk = false;
        std::uint32_t seen = generation_.load(std::memory_order_acquire);
        for (;;) {
            spin_then_wait(generation_, kWorkerSpins, [&] {
                return generation_.load(std::memory_order_acquire) != seen ||
                       stop_.load(std::memory_order_acquire);
            });
            if (stop_.load(std::memory_order_acquire)) return;
            seen = generation_.load(std::memory_order_acquire);
            help(seen);
        }
    }

    // Called with the mutex held (or from the destructor).
    void resize(int size) {
        if (static_cast<int>(workers_.size()) + 1 == size) return;
        stop_ = true;
        generation_.fetch_add(1, std::memory_order_release);
        generation_.notify_all();
        for (std::thread& worker : workers_) worker.join();
        workers_.clear();
        stop_ = false;
        for (int i = 1; i < size; ++i) workers_.emplace_back([this] { work(); });
    }

    std::mutex mutex_;
    Clock::time_point alone_until_{};
    Clock::duration alone_for_{};
    std::vector<std::thread> workers_;
    std::atomic<bool> stop_{false};
    std::atomic<std::uint32_t> generation_{0};
    std::atomic<std::uint64_t> claim_{0};
    std::atomic<std::uint32_t> done_{0};
    // Read by a worker before it claims a chunk, and so perhaps while the next run is set up.
    std::atomic<std::int64_t> chunks_{1};
    // Read only after a chunk is claimed: the run cannot end, nor the next begin, before that.
    std::int64_t n_ = 0;
    detail::ChunkBody body_ = nullptr;
    void* fn_ = nullptr;
};

Team& team() {
    static Team instance;
    return instance;
}

}  // namespace

std::int64_t chunk_count(std::int64_t n, std::int64_t grain) {
    if (inside_chunk || n <= 0) return 1;
    const std::int64_t by_size = n / std::max<std::int64_t>(grain, 1);
    return std::clamp<std::int64_t>(by_size, 1, get_num_threads());
}

namespace detail {

void run_chunks(std::int64_t n, std::int64_t chunks, ChunkBody body, void* fn) {
    if (chunks <= 1)
        run_here(n, body, fn);
    else
        team().run(n, chunks, body, fn);
}

}  // namespace detail

}  // namespace lucid::kernels
