#pragma once
// Generator: a seeded stream of random numbers. The engine is std::mt19937_64, whose output the
// C++ standard fixes bit for bit, and the distributions below are written out here (the standard
// library's are not portable), so one seed gives the same numbers on every machine and run.
#include <cstdint>
#include <mutex>
#include <random>
#include <string>

namespace lucid {

class Generator {
public:
    static constexpr std::uint64_t default_seed = 67280421310721ULL;  // PyTorch's default seed

    explicit Generator(std::uint64_t seed = default_seed) { manual_seed(seed); }

    void manual_seed(std::uint64_t seed);
    std::uint64_t initial_seed() const { return seed_; }

    std::uint64_t next_u64() { return engine_(); }
    double uniform();                       // [0, 1), 53 random bits
    double uniform(double low, double high);
    double normal(double mean = 0.0, double stddev = 1.0);
    std::int64_t randint(std::int64_t low, std::int64_t high);  // [low, high)

    // The full state as text, for checkpoints; set_state restores it exactly.
    std::string state() const;
    void set_state(const std::string& state);

    // Held by the creation functions while they draw, so threads may share a generator.
    std::mutex& mutex() { return mutex_; }

private:
    std::mt19937_64 engine_;
    std::uint64_t seed_ = default_seed;
    double spare_normal_ = 0.0;
    bool has_spare_normal_ = false;
    std::mutex mutex_;
};

// The generator used when none is passed.
Generator& default_generator();

// Seeds the default generator, as torch.manual_seed.
void manual_seed(std::uint64_t seed);

}  // namespace lucid
