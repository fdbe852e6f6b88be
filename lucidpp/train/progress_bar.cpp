#include "lucidpp/train/progress_bar.hpp"

#include <fmt/format.h>
#include <sys/ioctl.h>
#include <unistd.h>

#include <algorithm>
#include <cmath>

namespace lucid::training {

namespace {

constexpr auto redraw_interval = std::chrono::milliseconds(100);
// The loss shown is an exponential moving average, so the number is readable while it
// changes every step; dividing by the sum of weights removes the bias towards the first value.
constexpr double loss_decay = 0.95;

int terminal_width(std::FILE* stream) {
    winsize size{};
    if (ioctl(fileno(stream), TIOCGWINSZ, &size) == 0 && size.ws_col > 0) return size.ws_col;
    return 80;
}

}  // namespace

std::string format_duration(double seconds) {
    if (!std::isfinite(seconds) || seconds < 0) return "?";
    const auto s = static_cast<long long>(std::llround(seconds));
    if (s < 60) return fmt::format("{}s", s);
    if (s < 3600) return fmt::format("{}m{:02}s", s / 60, s % 60);
    return fmt::format("{}h{:02}m", s / 3600, (s % 3600) / 60);
}

ProgressBar::ProgressBar(std::int64_t total, std::int64_t start, std::FILE* stream)
    : stream_(stream),
      live_(isatty(fileno(stream)) != 0),
      total_(total),
      start_(start),
      step_(start) {}

ProgressBar::~ProgressBar() {
    finish();
}

void ProgressBar::update(std::int64_t step, double loss, bool force) {
    step_ = step;
    if (std::isfinite(loss)) {
        smoothed_loss_ = loss_decay * smoothed_loss_ + (1 - loss_decay) * loss;
        loss_weight_ = loss_decay * loss_weight_ + (1 - loss_decay);
    }
    if (!live_ || finished_) return;
    const Clock::time_point now = Clock::now();
    if (!force && shown_ && now - drawn_ < redraw_interval) return;
    drawn_ = now;
    const int width = terminal_width(stream_);
    // "\r" returns to the start of the line, "\x1b[K" erases what the longer old line left.
    fmt::print(stream_, "\r{}\x1b[K", line(width - 1));
    std::fflush(stream_);
    shown_ = true;
}

void ProgressBar::set_metric(const std::string& name, double value) {
    metric_ = std::pair(name, value);
}

void ProgressBar::clear() {
    if (!live_ || !shown_) return;
    fmt::print(stream_, "\r\x1b[K");
    std::fflush(stream_);
    shown_ = false;
}

void ProgressBar::finish() {
    if (!live_ || finished_) return;
    update(step_, std::nan(""), true);
    fmt::print(stream_, "\n");
    std::fflush(stream_);
    shown_ = false;
    finished_ = true;
}

std::string ProgressBar::line(int width) const {
    const double elapsed = std::chrono::duration<double>(Clock::now() - started_).count();
    const double rate = elapsed > 0 ? static_cast<double>(step_ - start_) / elapsed : 0.0;
    const double eta = rate > 0 ? static_cast<double>(total_ - step_) / rate : std::nan("");
    const double fraction =
        total_ > 0 ? std::clamp(static_cast<double>(step_) / total_, 0.0, 1.0) : 0.0;

    std::string numbers = fmt::format(" {:3.0f}%", 100 * fraction);
    if (loss_weight_ > 0) numbers += fmt::format("  loss {:.4g}", smoothed_loss_ / loss_weight_);
    if (metric_) numbers += fmt::format("  {} {:.4g}", metric_->first, metric_->second);
    numbers += fmt::format("  {:.1f} steps/s  ETA {}", rate,
                           step_ >= total_ ? "0s" : format_duration(eta));
    const std::string counter = fmt::format("step {}/{} ", step_, total_);

    // The bar takes whatever room the numbers leave, between 10 and 30 characters.
    const int room = width - static_cast<int>(counter.size() + numbers.size()) - 2;
    if (room < 10)
        return (counter + numbers).substr(0, static_cast<std::size_t>(std::max(width, 0)));
    const int bar = std::min(room, 30);
    const int filled = static_cast<int>(fraction * bar);
    std::string body(static_cast<std::size_t>(bar), ' ');
    std::fill_n(body.begin(), filled, '=');
    if (filled < bar) body[static_cast<std::size_t>(filled)] = '>';
    return counter + "[" + body + "]" + numbers;
}

}  // namespace lucid::training
