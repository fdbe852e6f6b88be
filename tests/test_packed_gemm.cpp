// kernels::gemm_packed, the recurrent layer's per-step product on a weight packed once: every
// micro-kernel this CPU can run, against a triple loop in double, on shapes that end mid-tile.
#include <doctest/doctest.h>

#include <cmath>
#include <cstdint>
#include <limits>
#include <random>
#include <thread>
#include <utility>
#include <vector>

#include "lucidpp/kernels/packed_gemm.hpp"
#include "lucidpp/tensor/error.hpp"

using namespace lucid::kernels;

namespace {

// The kernels this CPU runs: the portable one always, and every one up to the best.
std::vector<PackedIsa> runnable_isas() {
    std::vector<PackedIsa> isas;
    for (PackedIsa isa : {PackedIsa::portable, PackedIsa::avx2, PackedIsa::avx512}) {
        if (isa <= packed_gemm_best_isa()) isas.push_back(isa);
    }
    return isas;
}

std::vector<float> uniform(std::size_t count, std::mt19937& rng) {
    std::uniform_real_distribution<float> dist(-1.0f, 1.0f);
    std::vector<float> v(count);
    for (float& x : v) x = dist(rng);
    return v;
}

struct Case {
    std::int64_t m, k, n;
    bool transposed;
    float beta;
};

// Runs one case on `isa` and returns the largest error relative to sum_p |a||b| (+ |c| when
// beta is 1); also checks that nothing outside the m x n block of C was written.
double max_relative_error(const Case& t, PackedIsa isa, std::mt19937& rng) {
    const std::int64_t lda = t.k + 3, ldc = t.n + 5, ldb = (t.transposed ? t.k : t.n) + 2;
    const std::vector<float> a = uniform(static_cast<std::size_t>(t.m * lda), rng);
    const std::vector<float> b =
        uniform(static_cast<std::size_t>((t.transposed ? t.n : t.k) * ldb), rng);
    std::vector<float> c = uniform(static_cast<std::size_t>(t.m * ldc + 7), rng);
    const std::vector<float> c0 = c;
    auto b_at = [&](std::int64_t p, std::int64_t j) {
        return static_cast<double>(t.transposed ? b[j * ldb + p] : b[p * ldb + j]);
    };
    const PackedMatrix packed(t.k, t.n, b.data(), MatrixRef{t.transposed, ldb});
    gemm_packed(t.m, a.data(), lda, packed, t.beta, c.data(), ldc, isa);

    double worst = 0.0;
    for (std::int64_t i = 0; i < t.m; ++i) {
        for (std::int64_t j = 0; j < t.n; ++j) {
            double sum = t.beta * static_cast<double>(c0[i * ldc + j]);
            double scale = std::abs(sum) + 1e-30;
            for (std::int64_t p = 0; p < t.k; ++p) {
                sum += static_cast<double>(a[i * lda + p]) * b_at(p, j);
                scale += std::abs(static_cast<double>(a[i * lda + p]) * b_at(p, j));
            }
            worst = std::max(worst, std::abs(c[i * ldc + j] - sum) / scale);
        }
    }
    for (std::size_t x = 0; x < c.size(); ++x) {
        const auto i = static_cast<std::int64_t>(x) / ldc, j = static_cast<std::int64_t>(x) % ldc;
        if (i >= t.m || j >= t.n) REQUIRE(c[x] == c0[x]);
    }
    return worst;
}

}  // namespace

TEST_CASE("gemm_packed: matches a triple loop in double on every kernel and many shapes") {
    const std::vector<std::int64_t> ms{1, 2, 3, 5, 7, 8, 9, 13, 16, 17, 24, 31, 32, 33, 64, 70};
    const std::vector<std::pair<std::int64_t, std::int64_t>> kn{
        {1, 1},   {2, 33},  {7, 16},   {31, 32},  {32, 17},  {33, 64},
        {64, 65}, {96, 31}, {257, 40}, {300, 96}, {64, 100}, {5, 129}};
    std::mt19937 rng(13);
    for (PackedIsa isa : runnable_isas()) {
        int index = 0;
        for (std::int64_t m : ms) {
            for (const auto& [k, n] : kn) {
                const Case t{m, k, n, index % 2 == 0, (index / 2) % 2 == 0 ? 0.0f : 1.0f};
                ++index;
                CAPTURE(static_cast<int>(isa));
                CAPTURE(t.m);
                CAPTURE(t.k);
                CAPTURE(t.n);
                CAPTURE(t.transposed);
                CAPTURE(t.beta);
                CHECK(max_relative_error(t, isa, rng) < 3e-6);
            }
        }
    }
}

TEST_CASE("gemm_packed: k = 0 gives beta C, and empty products touch nothing") {
    for (PackedIsa isa : runnable_isas()) {
        const PackedMatrix empty(0, 3, nullptr, MatrixRef{false, 3});
        std::vector<float> c{1, 2, 3, 4, 5, 6};
        gemm_packed(2, nullptr, 0, empty, 1.0f, c.data(), 3, isa);
        CHECK(c == std::vector<float>{1, 2, 3, 4, 5, 6});
        gemm_packed(2, nullptr, 0, empty, 0.0f, c.data(), 3, isa);
        CHECK(c == std::vector<float>(6, 0.0f));
        const PackedMatrix none(4, 0, nullptr, MatrixRef{false, 0});
        gemm_packed(0, nullptr, 4, none, 0.0f, nullptr, 0, isa);
        CHECK(none.rows() == 4);
        CHECK(none.cols() == 0);
    }
}

TEST_CASE("gemm_packed: NaN and inf propagate like a GEMM; with beta 0, C is never read") {
    const std::int64_t m = 10, k = 20, n = 40;
    std::mt19937 rng(5);
    std::vector<float> a = uniform(static_cast<std::size_t>(m * k), rng);
    std::vector<float> b(static_cast<std::size_t>(k * n), 0.5f);
    a[2 * k + 7] = std::numeric_limits<float>::quiet_NaN();
    for (std::int64_t p = 0; p < k; ++p) a[5 * k + p] = 1.0f;
    a[5 * k + 3] = std::numeric_limits<float>::infinity();
    const PackedMatrix packed(k, n, b.data(), MatrixRef{false, n});
    for (PackedIsa isa : runnable_isas()) {
        std::vector<float> c(static_cast<std::size_t>(m * n),
                             std::numeric_limits<float>::quiet_NaN());
        gemm_packed(m, a.data(), k, packed, 0.0f, c.data(), n, isa);
        for (std::int64_t i = 0; i < m; ++i) {
            for (std::int64_t j = 0; j < n; ++j) {
                const float x = c[i * n + j];
                if (i == 2)
                    CHECK(std::isnan(x));
                else if (i == 5)
                    CHECK(x == std::numeric_limits<float>::infinity());
                else
                    CHECK(std::isfinite(x));
            }
        }
    }
}

TEST_CASE("gemm_packed: two threads on disjoint rows of one packed matrix agree with one") {
    const std::int64_t m = 32, k = 64, n = 96;
    std::mt19937 rng(7);
    const std::vector<float> a = uniform(static_cast<std::size_t>(m * k), rng);
    const std::vector<float> b = uniform(static_cast<std::size_t>(n * k), rng);
    const PackedMatrix packed(k, n, b.data(), MatrixRef{true, k});
    std::vector<float> one(static_cast<std::size_t>(m * n)), two(one.size());
    gemm_packed(m, a.data(), k, packed, 0.0f, one.data(), n);
    std::thread other([&] { gemm_packed(m / 2, a.data(), k, packed, 0.0f, two.data(), n); });
    gemm_packed(m / 2, a.data() + m / 2 * k, k, packed, 0.0f, two.data() + m / 2 * n, n);
    other.join();
    CHECK(one == two);
}

TEST_CASE("PackedMatrix: moves, and bad arguments are errors") {
    const std::vector<float> b(12, 1.0f);
    PackedMatrix packed(3, 4, b.data(), MatrixRef{false, 4});
    PackedMatrix moved = std::move(packed);
    CHECK(moved.rows() == 3);
    CHECK(moved.cols() == 4);
    CHECK(reinterpret_cast<std::uintptr_t>(moved.block(0, 0)) % 64 == 0);
    std::vector<float> a(6, 1.0f), c(8);
    gemm_packed(2, a.data(), 3, moved, 0.0f, c.data(), 4);
    CHECK(c == std::vector<float>(8, 3.0f));
    const std::vector<float> small{1, 2, 3, 4};  // op(B) = (1 3 / 2 4), packed in the same buffer
    moved.pack(2, 2, small.data(), MatrixRef{true, 2});
    gemm_packed(1, a.data(), 2, moved, 0.0f, c.data(), 2);
    CHECK(c[0] == 3.0f);
    CHECK(c[1] == 7.0f);
    PackedMatrix grown;  // packed into storage it allocates on first use
    grown.pack(3, 4, b.data(), MatrixRef{false, 4});
    gemm_packed(2, a.data(), 3, grown, 0.0f, c.data(), 4);
    CHECK(c == std::vector<float>(8, 3.0f));
    CHECK_THROWS_AS(gemm_packed(2, a.data(), 3, moved, 0.5f, c.data(), 4), lucid::Error);
    CHECK_THROWS_AS(gemm_packed(2, a.data(), 1, moved, 0.0f, c.data(), 2), lucid::Error);
    CHECK_THROWS_AS(PackedMatrix(3, 4, b.data(), MatrixRef{true, 2}), lucid::Error);
    CHECK_THROWS_AS(PackedMatrix(-1, 4, b.data(), MatrixRef{false, 4}), lucid::Error);
}
