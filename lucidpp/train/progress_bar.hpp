#pragma once
// ProgressBar: one line on a terminal, redrawn in place (carriage return, then "erase to end of
// line"), at most 10 times a second:
//
//   step 1200/2000 [==========>        ] 60%  loss 0.0123  mse 0.0101  85.3 steps/s  ETA 9s
//
// It is live only when the stream is a terminal; otherwise every call does nothing, and the
// caller logs plain lines instead. Anything else printed to the stream while the bar is shown
// must come between clear() and the next update().
#include <chrono>
#include <cstdint>
#include <cstdio>
#include <optional>
#include <string>

namespace lucid::training {

class ProgressBar {
public:
    // `start` is the step the run begins at (not 0 when resuming), for the speed and the ETA.
    ProgressBar(std::int64_t total, std::int64_t start, std::FILE* stream = stderr);
    ~ProgressBar();
    ProgressBar(const ProgressBar&) = delete;
    ProgressBar& operator=(const ProgressBar&) = delete;

    bool live() const { return live_; }

    // After each step; redraws when 0.1 s have passed since the last redraw, or when forced.
    void update(std::int64_t step, double loss, bool force = false);
    // The latest test metric, shown from the next redraw on.
    void set_metric(const std::string& name, double value);
    // Erases the line, so that a log line can be printed.
    void clear();
    // Draws the final state and ends the line; the bar stays still after that.
    void finish();

private:
    using Clock = std::chrono::steady_clock;

    std::string line(int width) const;

    std::FILE* stream_;
    bool live_;
    bool shown_ = false;
    bool finished_ = false;
    std::int64_t total_, start_, step_;
    double smoothed_loss_ = 0.0;
    double loss_weight_ = 0.0;
    std::optional<std::pair<std::string, double>> metric_;
    Clock::time_point started_ = Clock::now();
    Clock::time_point drawn_{};
};

// "9s", "1m23s", "2h05m".
std::string format_duration(double seconds);

}  // namespace lucid::training
