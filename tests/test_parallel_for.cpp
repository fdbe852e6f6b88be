// lucidpp's thread team (kernels/parallel_for.hpp): every index exactly once, chunks that depend
// only on the sizes and the thread count, nested and concurrent loops, and recurrent layers whose
// results repeat at a thread count.
#include <atomic>
#include <chrono>
#include <set>
#include <thread>

#include "helpers.hpp"
#include "lucidpp/kernels/parallel_for.hpp"

using namespace lucid;
using kernels::chunk_count;
using kernels::parallel_for;

namespace {

// Restores the thread count a test changed.
struct ThreadCount {
    int before = get_num_threads();
    explicit ThreadCount(int n) { set_num_threads(n); }
    ~ThreadCount() { set_num_threads(before); }
};

}  // namespace

TEST_CASE("parallel_for visits every index exactly once, in chunks of at least the grain") {
    for (int threads : {1, 2, 3, 5}) {
        ThreadCount count(threads);
        for (std::int64_t n : {0, 1, 7, 100, 1000}) {
            for (std::int64_t grain : {0, 1, 3, 64, 5000}) {
                CAPTURE(threads);
                CAPTURE(n);
                CAPTURE(grain);
                std::vector<std::atomic<int>> visits(static_cast<std::size_t>(n));
                std::atomic<std::int64_t> chunks{0}, smallest{n};
                parallel_for(n, grain, [&](std::int64_t begin, std::int64_t end) {
                    for (std::int64_t i = begin; i < end; ++i) ++visits[static_cast<std::size_t>(i)];
                    ++chunks;
                    std::int64_t s = smallest.load();
                    while (end - begin < s && !smallest.compare_exchange_weak(s, end - begin)) {
                    }
                });
                for (auto& v : visits) CHECK(v.load() == 1);
                CHECK(chunks.load() == chunk_count(n, grain));
                if (chunks.load() > 1) CHECK(smallest.load() >= grain);
            }
        }
    }
}

TEST_CASE("chunk_count: one chunk per thread at most, none under the grain, one when nested") {
    ThreadCount count(3);
    CHECK(chunk_count(100, 10) == 3);
    CHECK(chunk_count(100, 40) == 2);
    CHECK(chunk_count(100, 60) == 1);
    CHECK(chunk_count(100, 0) == 3);
    CHECK(chunk_count(0, 1) == 1);
    std::atomic<std::int64_t> nested_max{0};
    parallel_for(90, 30, [&](std::int64_t, std::int64_t) {
        std::int64_t inner = chunk_count(1000, 1);
        std::int64_t seen = nested_max.load();
        while (inner > seen && !nested_max.compare_exchange_weak(seen, inner)) {
        }
    });
    CHECK(nested_max.load() == 1);
    set_num_threads(1);
    CHECK(chunk_count(100, 1) == 1);
}

TEST_CASE("parallel_for runs chunks on a second thread") {
    ThreadCount count(2);
    bool two_threads = false;
    for (int attempt = 0; attempt < 400 && !two_threads; ++attempt) {
        std::mutex mutex;
        std::set<std::thread::id> ids;
        parallel_for(2, 1, [&](std::int64_t, std::int64_t) {
            std::this_thread::sleep_for(std::chrono::milliseconds(5));
            std::lock_guard lock(mutex);
            ids.insert(std::this_thread::get_id());
        });
        two_threads = ids.size() == 2;
    }
    CHECK(two_threads);
}

TEST_CASE("parallel_for from several threads at once: each loop complete") {
    ThreadCount count(2);
    std::vector<std::thread> callers;
    std::atomic<int> wrong{0};
    for (int c = 0; c < 3; ++c) {
        callers.emplace_back([&] {
            for (int round = 0; round < 200; ++round) {
                std::atomic<std::int64_t> sum{0};
                parallel_for(1000, 10, [&](std::int64_t begin, std::int64_t end) {
                    std::int64_t local = 0;
                    for (std::int64_t i = begin; i < end; ++i) local += i;
                    sum += local;
                });
                if (sum.load() != 999 * 1000 / 2) ++wrong;
            }
        });
    }
    for (auto& t : callers) t.join();
    CHECK(wrong.load() == 0);
}

// The step loops are split over batch rows, which never mixes rows; the products over all rows
// are split by OpenBLAS calls of other shapes, whose last bits may differ. So: close at any
// thread count, the same bits at the same one.
TEST_CASE("a recurrent layer: the same bits at the same thread count, close at any") {
    for (const char* kind : {"gru", "lstm"}) {
        CAPTURE(kind);
        std::vector<std::vector<float>> results;
        for (int threads : {1, 2, 3, 2}) {
            ThreadCount count(threads);
            manual_seed(7);
            std::unique_ptr<nn::RNNBase> layer;
            if (std::string(kind) == "gru")
                layer = std::make_unique<nn::GRU>(nn::GRUOptions{.input_size = 16, .hidden_size = 64});
            else
                layer = std::make_unique<nn::LSTM>(nn::LSTMOptions{.input_size = 16, .hidden_size = 64});
            Tensor x = randn({40, 48, 16});
            auto r = layer->run(x, Tensor(), Tensor());
            (r.output * r.output).sum().backward();
            std::vector<float> all = r.output.contiguous().to_vector<float>();
            for (const Tensor& p : layer->parameters()) {
                std::vector<float> g = p.grad().contiguous().to_vector<float>();
                all.insert(all.end(), g.begin(), g.end());
            }
            results.push_back(all);
        }
        CHECK(results[3] == results[1]);
        for (std::size_t run : {1, 2}) {
            double worst = 0;
            for (std::size_t i = 0; i < results[0].size(); ++i) {
                const double a = results[0][i], b = results[run][i];
                worst = std::max(worst, std::abs(a - b) / (1e-3 + std::abs(a)));
            }
            CHECK(worst < 1e-5);
        }
    }
}

// A wake-up lost between the caller's last check and its sleep hangs the loop for ever. The
// caller sleeps once it has spun about 40 us, so the second chunk ends at varied times around
// then; a hang is a timeout of the test.
TEST_CASE("20,000 loops whose second chunk ends as the caller goes to sleep all end") {
    ThreadCount count(2);
    std::atomic<std::int64_t> total{0};
    for (int round = 0; round < 20000; ++round) {
        const auto busy = std::chrono::microseconds(round * 7919 % 90);
        parallel_for(2, 1, [&](std::int64_t begin, std::int64_t end) {
            if (begin == 1) {
                const auto until = std::chrono::steady_clock::now() + busy;
                while (std::chrono::steady_clock::now() < until) {
                }
            }
            total += end - begin;
        });
    }
    CHECK(total.load() == 40000);
}
