// Collectives on 1, 2 and 3 ranks (tests/distributed/meson.build runs this binary under
// mpirun with each count): results are checked against the sums each rank can work out alone.
#include <doctest/doctest.h>

#include "lucidpp/distributed/collectives.hpp"
#include "lucidpp/distributed/process_group.hpp"
#include "lucidpp/lucid.hpp"

namespace dist = lucid::distributed;
using lucid::float32;
using lucid::float64;
using lucid::int64;
using lucid::Tensor;

namespace {

// Rank r holds r + 1 + [0, 1, 2, 3, 4, 5] / 8 as a 2x3 tensor: exact in float32.
Tensor rank_values(lucid::Dtype dtype) {
    std::vector<double> values;
    for (int i = 0; i < 6; ++i) values.push_back(dist::rank() + 1.0 + i / 8.0);
    return lucid::tensor(values, {2, 3}, dtype);
}

// 1 + 2 + ... + N
double rank_sum() {
    const double n = dist::world_size();
    return n * (n + 1) / 2;
}

void check_values(const Tensor& tensor, auto expected) {
    const auto got = tensor.to(float64).to_vector<double>();
    for (std::size_t i = 0; i < got.size(); ++i) {
        CAPTURE(i);
        CHECK(got[i] == expected(static_cast<double>(i)));
    }
}

doctest::Contains contains(const std::string& text) {
    return doctest::Contains(doctest::String(text.c_str()));
}

}  // namespace

TEST_CASE("all_reduce sums, averages, and takes the max and min across ranks") {
    const double n = dist::world_size();
    const double last = n - 1;
    for (auto dtype : {float32, float64}) {
        CAPTURE(dtype);
        Tensor sum = rank_values(dtype);
        dist::all_reduce(sum, dist::ReduceOp::sum);
        check_values(sum, [&](double i) { return rank_sum() + n * i / 8; });

        Tensor avg = rank_values(dtype);
        dist::all_reduce(avg, dist::ReduceOp::avg);
        check_values(avg, [&](double i) { return rank_sum() / n + i / 8; });

        Tensor max = rank_values(dtype);
        dist::all_reduce(max, dist::ReduceOp::max);
        check_values(max, [&](double i) { return last + 1 + i / 8; });

        Tensor min = rank_values(dtype);
        dist::all_reduce(min);  // sum, the default
        dist::all_reduce(min, dist::ReduceOp::min);
        check_values(min, [&](double i) { return rank_sum() + n * i / 8; });
    }
}

TEST_CASE("all_reduce of int64 sums exactly beyond 2^53") {
    const std::int64_t big = (std::int64_t{1} << 60) + 1;
    const std::int64_t r = dist::rank();
    Tensor t = lucid::tensor(std::vector<std::int64_t>{big, r, -r});
    dist::all_reduce(t);
    CHECK(t.data_ptr<std::int64_t>()[0] == big * dist::world_size());
    const std::int64_t n = dist::world_size();
    CHECK(t.data_ptr<std::int64_t>()[1] == n * (n - 1) / 2);
    CHECK(t.data_ptr<std::int64_t>()[2] == -n * (n - 1) / 2);
}

TEST_CASE("broadcast copies the src rank's tensor to every rank") {
    for (int src = 0; src < dist::world_size(); ++src) {
        CAPTURE(src);
        for (auto dtype : {float32, float64, int64}) {
            Tensor t = (rank_values(float64) * 8.0).to(dtype);
            dist::broadcast(t, src);
            check_values(t, [&](double i) { return (src + 1.0) * 8 + i; });
        }
    }
}

TEST_CASE("all_gather puts rank r's tensor at index r") {
    for (auto dtype : {float32, float64}) {
        const std::vector<Tensor> gathered = dist::all_gather(rank_values(dtype));
        REQUIRE(static_cast<int>(gathered.size()) == dist::world_size());
        for (std::size_t r = 0; r < gathered.size(); ++r) {
            CHECK(gathered[r].shape() == lucid::Shape{2, 3});
            CHECK(gathered[r].dtype() == dtype);
            check_values(gathered[r], [&](double i) { return r + 1.0 + i / 8; });
        }
    }
}

TEST_CASE("empty tensors and barrier pass through") {
    Tensor empty = lucid::zeros({0, 3}, float32);
    dist::all_reduce(empty);
    dist::broadcast(empty, 0);
    CHECK(dist::all_gather(empty).size() == static_cast<std::size_t>(dist::world_size()));
    dist::barrier();
}

// Each error case is made on one rank only (the last), and must be the same error on all.
TEST_CASE("a mistake on one rank is an error on every rank, naming that rank") {
    const int last = dist::world_size() - 1;
    const bool culprit = dist::rank() == last;
    const std::string who = fmt::format("rank {}", last);

    SUBCASE("a shape that differs") {
        Tensor t = lucid::zeros(culprit && last > 0 ? lucid::Shape{2, 4} : lucid::Shape{2, 3});
        if (last == 0) return;
        CHECK_THROWS_WITH_AS(dist::all_reduce(t),
                             contains("all_reduce: the tensors differ between ranks: "
                                      "rank 0 has [2, 3] float32, " +
                                      who + " has [2, 4] float32"),
                             lucid::Error);
    }
    SUBCASE("a dtype that differs") {
        Tensor t = lucid::zeros({2}, culprit && last > 0 ? float64 : float32);
        if (last == 0) return;
        CHECK_THROWS_WITH_AS(dist::broadcast(t, 0), contains("has [2] float64"), lucid::Error);
    }
    SUBCASE("a tensor that is not contiguous") {
        Tensor base = lucid::zeros({3, 2});
        Tensor t = culprit ? base.t() : base.t().contiguous();
        CHECK_THROWS_WITH_AS(dist::all_reduce(t),
                             contains(who + ": its tensor ([2, 3] float32) is not "
                                            "contiguous"),
                             lucid::Error);
    }
    SUBCASE("avg of int64") {
        Tensor t = lucid::zeros({2}, culprit ? int64 : float32);
        const std::string expected =
            last > 0 ? "all_reduce: rank " + std::to_string(last) +
                           ": avg needs a floating point tensor, got [2] int64"
                     : "all_reduce: rank 0: avg needs a floating point tensor, got [2] int64";
        CHECK_THROWS_WITH_AS(dist::all_reduce(t, dist::ReduceOp::avg), expected.c_str(),
                             lucid::Error);
    }
    SUBCASE("a src out of range") {
        Tensor t = lucid::zeros({2});
        CHECK_THROWS_WITH_AS(
            dist::broadcast(t, culprit ? dist::world_size() : 0),
            contains(who + ": src " + std::to_string(dist::world_size()) + " is out of range"),
            lucid::Error);
        CHECK_THROWS_WITH_AS(dist::broadcast(t, -1), contains("rank 0: src -1"), lucid::Error);
    }
    SUBCASE("srcs that differ") {
        if (last == 0) return;
        Tensor t = lucid::zeros({2});
        CHECK_THROWS_WITH_AS(dist::broadcast(t, culprit ? 1 : 0),
                             contains("rank 0 names src 0, " + who + " names src 1"), lucid::Error);
    }
    SUBCASE("an all_gather list of the wrong length") {
        std::vector<Tensor> list(static_cast<std::size_t>(dist::world_size()) + (culprit ? 1 : 0),
                                 lucid::zeros({2}));
        for (auto& t : list) t = lucid::zeros({2});
        CHECK_THROWS_WITH_AS(dist::all_gather(list, lucid::zeros({2})),
                             contains(who + ": tensor_list has"), lucid::Error);
    }
    SUBCASE("another collective on one rank") {
        if (last == 0) return;
        Tensor t = lucid::zeros({2});
        auto call = [&] { culprit ? dist::broadcast(t, 0) : dist::all_reduce(t); };
        CHECK_THROWS_WITH_AS(call(), contains(who + " called another collective than rank 0"),
                             lucid::Error);
    }
    // After every error the ranks are still in step.
    Tensor one = lucid::ones({1});
    dist::all_reduce(one);
    CHECK(one.item() == dist::world_size());
}

TEST_CASE("the group reports itself") {
    CHECK(dist::is_initialized());
    CHECK(dist::rank() >= 0);
    CHECK(dist::rank() < dist::world_size());
    CHECK_THROWS_WITH_AS(dist::init_process_group(),
                         "distributed.init_process_group: trying to initialize the default "
                         "process group twice",
                         lucid::Error);
    CHECK(!dist::backend_name().empty());
}
