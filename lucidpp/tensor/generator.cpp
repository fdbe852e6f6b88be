#include "lucidpp/tensor/generator.hpp"

#include <cmath>
#include <numbers>
#include <sstream>

#include "lucidpp/tensor/error.hpp"

namespace lucid {

void Generator::manual_seed(std::uint64_t seed) {
    seed_ = seed;
    engine_.seed(seed);
    has_spare_normal_ = false;
}

double Generator::uniform() {
    return static_cast<double>(engine_() >> 11) * 0x1.0p-53;
}

double Generator::uniform(double low, double high) { return low + (high - low) * uniform(); }

// Box-Muller: two uniforms give two independent standard normals; the second is kept.
double Generator::normal(double mean, double stddev) {
    if (has_spare_normal_) {
        has_spare_normal_ = false;
        return mean + stddev * spare_normal_;
    }
    double u1 = 1.0 - uniform();  // (0, 1], so log(u1) is finite
    double u2 = uniform();
    double radius = std::sqrt(-2.0 * std::log(u1));
    double angle = 2.0 * std::numbers::pi * u2;
    spare_normal_ = radius * std::sin(angle);
    has_spare_normal_ = true;
    return mean + stddev * radius * std::cos(angle);
}

std::int64_t Generator::randint(std::int64_t low, std::int64_t high) {
    check(low < high, "randint: expected low < high, got low={} and high={}", low, high);
    // In uint64, where high - low (up to 2^64 - 1) and low + offset cannot overflow.
    const std::uint64_t range = static_cast<std::uint64_t>(high) - static_cast<std::uint64_t>(low);
    // Rejection sampling keeps every value equally likely.
    std::uint64_t limit = UINT64_MAX - UINT64_MAX % range;
    std::uint64_t draw = engine_();
    while (draw >= limit) draw = engine_();
    return static_cast<std::int64_t>(static_cast<std::uint64_t>(low) + draw % range);
}

std::string Generator::state() const {
    std::ostringstream out;
    out << seed_ << ' ' << has_spare_normal_ << ' ';
    out.precision(17);
    out << spare_normal_ << ' ' << engine_;
    return out.str();
}

void Generator::set_state(const std::string& state) {
    std::istringstream in(state);
    Generator restored;
    in >> restored.seed_ >> restored.has_spare_normal_ >> restored.spare_normal_ >> restored.engine_;
    check(!in.fail(), "Generator::set_state: malformed generator state");
    seed_ = restored.seed_;
    has_spare_normal_ = restored.has_spare_normal_;
    spare_normal_ = restored.spare_normal_;
    engine_ = restored.engine_;
}

Generator& default_generator() {
    static Generator generator;
    return generator;
}

void manual_seed(std::uint64_t seed) {
    std::lock_guard lock(default_generator().mutex());
    default_generator().manual_seed(seed);
}

}  // namespace lucid
