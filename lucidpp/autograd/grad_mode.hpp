#pragma once
// Whether ops record nodes. A thread-local flag, switched by RAII guards as in PyTorch's C++ API.
namespace lucid {

struct GradMode {
    static bool is_enabled();
    static void set_enabled(bool enabled);
};

// While alive, ops on this thread record nothing: for evaluation and optimizer steps.
class NoGradGuard {
public:
    NoGradGuard() : previous_(GradMode::is_enabled()) { GradMode::set_enabled(false); }
    ~NoGradGuard() { GradMode::set_enabled(previous_); }
    NoGradGuard(const NoGradGuard&) = delete;
    NoGradGuard& operator=(const NoGradGuard&) = delete;

private:
    bool previous_;
};

// Turns recording back on inside a NoGradGuard.
class EnableGradGuard {
public:
    EnableGradGuard() : previous_(GradMode::is_enabled()) { GradMode::set_enabled(true); }
    ~EnableGradGuard() { GradMode::set_enabled(previous_); }
    EnableGradGuard(const EnableGradGuard&) = delete;
    EnableGradGuard& operator=(const EnableGradGuard&) = delete;

private:
    bool previous_;
};

}  // namespace lucid
