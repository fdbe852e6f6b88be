// Memory stays bounded: dropped graphs free everything, NoGradGuard records nothing, and
// backward releases what the nodes saved.
#include <cstdint>
#include <thread>
#include <vector>

#include "helpers.hpp"

using namespace lucid;

TEST_CASE("100,000 forward passes without backward leave no live nodes behind") {
    Tensor w = randn({4, 4}).requires_grad_();
    Tensor x = randn({2, 4});
    const std::int64_t before = autograd::live_node_count();
    std::int64_t peak = before;
    for (int i = 0; i < 100000; ++i) {
        Tensor loss = matmul(x, w).tanh().sum();
        peak = std::max(peak, autograd::live_node_count());
    }
    CHECK(peak - before == 3);  // one pass alive at a time: matmul, tanh, sum
    CHECK(autograd::live_node_count() == before);
}

TEST_CASE("ops under NoGradGuard record no nodes") {
    Tensor w = randn({4, 4}).requires_grad_();
    const std::int64_t before = autograd::live_node_count();
    NoGradGuard no_grad;
    Tensor kept = matmul(w, w).exp().sum();
    CHECK(autograd::live_node_count() == before);
}

TEST_CASE("backward without retain_graph releases the saved tensors") {
    Tensor x = randn({1000}).requires_grad_();
    Tensor e = (x * 2.0).exp();  // exp saves its output
    std::weak_ptr<Storage> saved = e.impl().storage;
    Tensor loss = e.sum();
    e = Tensor();
    CHECK_FALSE(saved.expired());  // only the exp node holds it now
    loss.backward(/*retain_graph=*/true);
    CHECK_FALSE(saved.expired());
    loss.backward();
    CHECK(saved.expired());
}

TEST_CASE("a dropped graph frees the activations it saved") {
    Tensor x = randn({1000}).requires_grad_();
    std::weak_ptr<Storage> saved;
    {
        Tensor e = x.exp();
        saved = e.impl().storage;
        Tensor loss = (e * e).sum();
        e = Tensor();
        CHECK_FALSE(saved.expired());
    }
    CHECK(saved.expired());
}

// AddressSanitizer builds (GCC's macro, clang's feature test) bypass the cache.
#if defined(__SANITIZE_ADDRESS__)
#define LUCID_TEST_ASAN
#elif defined(__has_feature)
#if __has_feature(address_sanitizer)
#define LUCID_TEST_ASAN
#endif
#endif

#if !defined(LUCID_TEST_ASAN)
TEST_CASE("the allocator's cap is the most tensors ever held, whatever reset_peak says") {
    empty_cache();
    {
        Tensor big = empty({262144}, float32);   // 1 MiB
        Tensor small = empty({16384}, float32);  // 64 KiB: both held at once
    }
    CHECK(memory_stats().cached_bytes == (1024 + 64) * 1024);
    reset_peak_memory_stats();
    { Tensor small = empty({16384}, float32); }  // the peak since the reset is far lower
    CHECK(memory_stats().cached_bytes == (1024 + 64) * 1024);
    empty_cache();
}

TEST_CASE("the allocator hands a freed large block out again") {
    empty_cache();
    const MemoryStats start = memory_stats();
    const void* first = nullptr;
    {
        Tensor big = empty({100000}, float32);  // 400,000 bytes: size class 13 x 32 KiB
        first = big.data_ptr<float>();
    }
    CHECK(memory_stats().cached_bytes == 13 * 32 * 1024);
    Tensor again = empty({99000}, float32);  // a little smaller, same size class
    CHECK(static_cast<const void*>(again.data_ptr<float>()) == first);
    CHECK(memory_stats().cache_hits == start.cache_hits + 1);
    CHECK(memory_stats().cached_bytes == 0);
    again = Tensor();
    empty_cache();
    CHECK(memory_stats().cached_bytes == 0);
    CHECK(memory_stats().allocated_bytes == start.allocated_bytes);
}

TEST_CASE("the allocator keeps small blocks in size classes and hands them out again") {
    empty_cache();
    const MemoryStats start = memory_stats();
    const void* first = nullptr;
    {
        Tensor small = empty({100}, float32);  // 400 bytes: size class 13 x 32 bytes
        first = small.data_ptr<float>();
        CHECK(memory_stats().allocated_bytes == start.allocated_bytes + 400);  // its own size
    }
    CHECK(memory_stats().cached_bytes == 13 * 32);
    {
        Tensor other_class = empty({120}, float32);  // 480 bytes: class 15 x 32, not the same
        CHECK(static_cast<const void*>(other_class.data_ptr<float>()) != first);
    }
    CHECK(memory_stats().cached_bytes == 13 * 32 + 15 * 32);
    Tensor again = empty({97}, float32);  // 388 bytes, the class of 400
    CHECK(static_cast<const void*>(again.data_ptr<float>()) == first);
    CHECK(memory_stats().cache_hits == start.cache_hits + 1);
    CHECK(memory_stats().cached_bytes == 15 * 32);
    {
        Tensor nothing = empty({0}, float32);  // the smallest class, 64 bytes
        Tensor one = empty({1}, float32);
        CHECK(nothing.numel() == 0);
        CHECK(reinterpret_cast<std::uintptr_t>(one.data_ptr<float>()) % 64 == 0);
    }
    CHECK(memory_stats().cached_bytes == 15 * 32 + 2 * 64);
    again = Tensor();
    empty_cache();
    CHECK(memory_stats().cached_bytes == 0);
    CHECK(memory_stats().allocated_bytes == start.allocated_bytes);
}

TEST_CASE("blocks allocated on one thread and freed on another keep the statistics exact") {
    empty_cache();
    const MemoryStats start = memory_stats();
    constexpr int rounds = 2000;
    std::vector<std::vector<Tensor>> handed(4);
    {
        std::vector<std::thread> makers;
        for (int t = 0; t < 4; ++t) {
            makers.emplace_back([t, &handed] {
                for (int i = 0; i < rounds; ++i) {
                    handed[static_cast<std::size_t>(t)].push_back(empty({1 + (i * 7 + t) % 300}));
                    Tensor temporary = empty({1 + i % 50});  // freed at once, on this thread
                }
            });
        }
        for (std::thread& maker : makers) maker.join();
    }
    {
        std::vector<std::thread> freers;
        for (int t = 0; t < 4; ++t) {  // each frees another thread's tensors
            freers.emplace_back(
                [t, &handed] { handed[static_cast<std::size_t>((t + 1) % 4)].clear(); });
        }
        for (std::thread& freer : freers) freer.join();
    }
    const MemoryStats end = memory_stats();
    CHECK(end.allocated_bytes == start.allocated_bytes);
    CHECK(end.allocations == start.allocations + 4 * 2 * rounds);
    CHECK(end.cache_hits > start.cache_hits);
    CHECK(end.cached_bytes > 0);
    empty_cache();
    CHECK(memory_stats().cached_bytes == 0);
}
#endif

TEST_CASE("recurrent layers save 2 (RNN), 6 (GRU), 8 (LSTM) values per row and hidden unit") {
    // The fused layer saves, for each of the N = T * B rows: the state the row started from (H)
    // and its output (H); the GRU also its gates r, z, n and W_hn h + b_hn (4H); the LSTM its
    // gates i, f, g, o (4H) and the cell state before and after the step (2H). Plus the final
    // states it returns: h_n (B x H), and c_n for the LSTM.
    const std::int64_t T = 10, B = 4, I = 3, H = 8, N = T * B;
    struct Case {
        std::unique_ptr<nn::RNNBase> layer;
        std::int64_t per_row, final_states;
    };
    manual_seed(0);
    Case cases[] = {{std::make_unique<nn::RNN>(I, H), 2, 1},
                    {std::make_unique<nn::GRU>(I, H), 6, 1},
                    {std::make_unique<nn::LSTM>(I, H), 8, 2}};
    Tensor x = randn({T, B, I});
    for (Case& c : cases) {
        CAPTURE(c.per_row);
        c.layer->run(x, Tensor(), Tensor()).output.sum().backward();  // .grad buffers now exist
        const std::size_t before = memory_stats().allocated_bytes;
        {
            auto result = c.layer->run(x, Tensor(), Tensor());
            const std::size_t alive = memory_stats().allocated_bytes - before;
            CHECK(alive == sizeof(float) * static_cast<std::size_t>(c.per_row * N * H +
                                                                    c.final_states * B * H));
            result.output.sum().backward();
        }
        CHECK(memory_stats().allocated_bytes == before);
        NoGradGuard no_grad;  // then only the output and the final states stay
        auto result = c.layer->run(x, Tensor(), Tensor());
        CHECK(memory_stats().allocated_bytes - before ==
              sizeof(float) * static_cast<std::size_t>(N * H + c.final_states * B * H));
    }
}

TEST_CASE("under NoGradGuard a GRU layer holds one step of activations at a time") {
    const std::int64_t T = 10, B = 4, I = 3, H = 8, N = T * B, G = 3 * H;
    manual_seed(0);
    nn::GRU gru(I, H);
    Tensor x = randn({T, B, I});
    NoGradGuard no_grad;
    const std::size_t before = memory_stats().allocated_bytes;
    reset_peak_memory_stats();
    auto [output, h_n] = gru(x);
    // At the peak: output (N x H), h0 and h_n (B x H each), the input projection of all steps
    // (N x 3H), and one step's h_prev (H), gates (4H) and hidden projection (3H) per batch row.
    const std::size_t peak = memory_stats().peak_allocated_bytes - before;
    CHECK(peak == sizeof(float) *
                      static_cast<std::size_t>(N * H + 2 * B * H + N * G + B * (H + 4 * H + G)));
}

TEST_CASE("2,000 GRU training steps keep tensor memory and graph nodes flat") {
    manual_seed(0);
    nn::GRU gru(8, 32);
    nn::Linear head(32, 1);
    std::vector<Tensor> params = gru.parameters();
    for (auto& p : head.parameters()) params.push_back(p);
    optim::Adam adam(params);
    Tensor x = randn({20, 16, 8});
    Tensor target = randn({16, 1});
    auto step = [&] {
        auto [output, h_n] = gru(x);
        Tensor loss = nn::functional::mse_loss(head(output.select(0, -1)), target);
        adam.zero_grad();
        loss.backward();
        adam.step();
    };
    for (int i = 0; i < 10; ++i) step();
    reset_peak_memory_stats();  // earlier tests may have had a higher peak
    step();
    const MemoryStats after_warmup = memory_stats();
    const std::int64_t nodes = autograd::live_node_count();
    for (int i = 0; i < 2000; ++i) step();
    CHECK(memory_stats().allocated_bytes == after_warmup.allocated_bytes);
    CHECK(memory_stats().peak_allocated_bytes == after_warmup.peak_allocated_bytes);
    CHECK(autograd::live_node_count() == nodes);
}
