// The task Trainer on several ranks against the same Trainer alone: every rank draws the same
// global batch and trains its shard, so the two must follow the same path up to float32
// rounding, on a regression task and on a class task whose targets are partly unscored (-100).
#include <doctest/doctest.h>

#include <cmath>

#include "lucidpp/lucid.hpp"
#include "lucidpp/train/trainer.hpp"

namespace dist = lucid::distributed;
using namespace lucid;
using training::Parallelism;
using training::TrainConfig;
using training::Trainer;

namespace {

double max_difference(Trainer& a, Trainer& b) {
    double worst = 0;
    const auto left = a.model().parameters(), right = b.model().parameters();
    for (std::size_t i = 0; i < left.size(); ++i) {
        const auto p = left[i].to_vector<float>(), q = right[i].to_vector<float>();
        for (std::size_t k = 0; k < p.size(); ++k) {
            worst = std::max(worst, static_cast<double>(std::abs(p[k] - q[k])));
        }
    }
    return worst;
}

void compare(const std::string& task, std::int64_t batch) {
    TrainConfig config = TrainConfig::defaults_for(task);
    config.hyper.hidden = 16;
    config.hyper.batch_size = batch;
    Trainer parallel(config);
    Trainer alone(config, Parallelism::single_process);
    CHECK(parallel.world_size() == dist::world_size());
    for (int step = 0; step < 15; ++step) {
        const double a = parallel.step(), b = alone.step();
        CHECK(a == doctest::Approx(b).epsilon(1e-4));  // the global batch's loss on every rank
    }
    const double difference = max_difference(parallel, alone);
    MESSAGE(fmt::format("{} on {} ranks: largest parameter difference {:.3g}", task,
                        dist::world_size(), difference));
    CHECK(difference < 1e-4);
    CHECK(parallel.evaluate().test_loss ==
          doctest::Approx(alone.evaluate().test_loss).epsilon(1e-4));
}

}  // namespace

TEST_CASE("Trainer: data parallel follows the one-process run") {
    SUBCASE("adding (regression)") {
        compare("adding", 32);
    }
    SUBCASE("copy_memory (classes, -100 where unscored)") {
        compare("copy_memory", 31);
    }
}

TEST_CASE("Trainer: a batch smaller than the world is an error") {
    if (dist::world_size() == 1) return;
    TrainConfig config = TrainConfig::defaults_for("adding");
    config.hyper.batch_size = dist::world_size() - 1;
    const std::string expected = fmt::format("cannot be shared by {} ranks", dist::world_size());
    CHECK_THROWS_WITH_AS(Trainer{config}, doctest::Contains(expected.c_str()), Error);
}
