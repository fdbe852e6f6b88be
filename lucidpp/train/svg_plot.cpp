#include "lucidpp/train/svg_plot.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <cmath>
#include <limits>
#include <string_view>

namespace lucid::training {

namespace {

constexpr double panel_width = 480.0;
constexpr double panel_height = 340.0;
constexpr double title_height = 36.0;
// The plot area inside a panel: room on the left for tick labels and the y label, on top for
// the panel title and the legend, below for tick labels and the x label.
constexpr double margin_left = 74.0, margin_right = 22.0, margin_top = 56.0, margin_bottom = 50.0;
constexpr double char_width = 6.6;       // average width of a 12px sans-serif character, for layout
constexpr std::size_t max_markers = 40;  // short runs get a dot on every point
// A linear y axis spans at least this fraction of its largest absolute value.
constexpr double min_relative_span = 0.1;

struct Axis {
    double low = 0.0, high = 1.0;
    bool log = false;
    std::vector<double> ticks;  // labelled
    std::vector<double> minor;  // grid lines only (log axes: 2..9 times each power of ten)

    // 0 at `low`, 1 at `high`.
    double unit(double value) const {
        if (log)
            return (std::log10(value) - std::log10(low)) / (std::log10(high) - std::log10(low));
        return (value - low) / (high - low);
    }
};

// 1, 2 or 5 times a power of ten, so that `span` holds about `count` steps.
double nice_step(double span, int count) {
    const double raw = span / count;
    const double magnitude = std::pow(10.0, std::floor(std::log10(raw)));
    const double r = raw / magnitude;
    return (r <= 1.0 ? 1.0 : r <= 2.0 ? 2.0 : r <= 5.0 ? 5.0 : 10.0) * magnitude;
}

Axis linear_axis(double low, double high, int count) {
    if (!(high > low)) {
        const double pad = low == 0.0 ? 1.0 : std::abs(low) * 0.1;
        low -= pad;
        high += pad;
    }
    const double step = nice_step(high - low, count);
    Axis axis;
    const auto first = static_cast<long long>(std::floor(low / step + 1e-9));
    const auto last = static_cast<long long>(std::ceil(high / step - 1e-9));
    axis.low = static_cast<double>(first) * step;
    axis.high = static_cast<double>(last) * step;
    for (long long i = first; i <= last; ++i) axis.ticks.push_back(static_cast<double>(i) * step);
    return axis;
}

Axis log_axis(double low, double high) {
    const int first = static_cast<int>(std::floor(std::log10(low)));
    int last = static_cast<int>(std::ceil(std::log10(high)));
    if (last == first) ++last;
    const int every = std::max(1, static_cast<int>(std::ceil((last - first) / 6.0)));
    Axis axis;
    axis.log = true;
    axis.low = std::pow(10.0, first);
    axis.high = std::pow(10.0, last);
    for (int k = first; k <= last; k += every) axis.ticks.push_back(std::pow(10.0, k));
    if (every == 1) {
        for (int k = first; k < last; ++k) {
            for (int m = 2; m <= 9; ++m) axis.minor.push_back(m * std::pow(10.0, k));
        }
    }
    return axis;
}

Axis y_axis(const PlotPanel& panel) {
    std::vector<double> values;
    for (const PlotSeries& s : panel.series) {
        for (double y : s.y) {
            if (std::isfinite(y)) values.push_back(y);
        }
    }
    for (const PlotLevel& level : panel.levels) values.push_back(level.y);
    if (values.empty()) return linear_axis(0.0, 1.0, 5);
    const auto [low_it, high_it] = std::minmax_element(values.begin(), values.end());
    double low = *low_it, high = *high_it;
    if (low > 0.0 && high / low >= 10.0) return log_axis(low, high);
    // Widen a narrow range around its middle, so that noise in the 4th digit stays small.
    const double span = min_relative_span * std::max(std::abs(low), std::abs(high));
    if (high - low < span) {
        const double middle = (low + high) / 2;
        low = middle - span / 2;
        high = middle + span / 2;
        // A loss or an error rate never goes below 0: keep the axis there if the data does.
        if (*low_it >= 0.0 && low < 0.0) {
            high -= low;
            low = 0.0;
        }
    }
    return linear_axis(low, high, 5);
}

Axis x_axis(const std::vector<PlotPanel>& panels) {
    double high = 0.0;
    for (const PlotPanel& panel : panels) {
        for (const PlotSeries& s : panel.series) {
            for (double x : s.x) {
                if (std::isfinite(x)) high = std::max(high, x);
            }
        }
    }
    return linear_axis(0.0, high > 0.0 ? high : 1.0, 6);
}

std::string escape(const std::string& text) {
    std::string out;
    for (char c : text) {
        switch (c) {
            case '&':
                out += "&amp;";
                break;
            case '<':
                out += "&lt;";
                break;
            case '>':
                out += "&gt;";
                break;
            case '"':
                out += "&quot;";
                break;
            default:
                out += c;
        }
    }
    return out;
}

// Linear ticks as plain numbers; log ticks as powers of ten, 10 with a raised exponent.
std::string tick_label(double value, const Axis& axis) {
    if (!axis.log) {
        const double tiny = (axis.high - axis.low) * 1e-9;
        return fmt::format("{:g}", std::abs(value) < tiny ? 0.0 : value);
    }
    const int k = static_cast<int>(std::lround(std::log10(value)));
    if (k == 0) return "1";
    if (k == 1) return "10";
    return fmt::format("10<tspan dy=\"-6\" font-size=\"9\">{}</tspan>", k);
}

// The pixel rectangle of one panel's plot area.
struct Frame {
    double left, top, right, bottom;
    double x(const Axis& axis, double value) const {
        return left + axis.unit(value) * (right - left);
    }
    double y(const Axis& axis, double value) const {
        return bottom - axis.unit(value) * (bottom - top);
    }
};

// A <line> from (x1, y1) to (x2, y2); `style` holds its other attributes.
void line(std::string& svg, double x1, double y1, double x2, double y2, std::string_view style) {
    svg += fmt::format("<line x1=\"{:.1f}\" y1=\"{:.1f}\" x2=\"{:.1f}\" y2=\"{:.1f}\" {}/>\n", x1,
                       y1, x2, y2, style);
}

// A <text> at (x, y); `content` is markup, so plain text must be escaped first.
void text(std::string& svg, double x, double y, std::string_view style, std::string_view content) {
    svg += fmt::format("<text x=\"{:.1f}\" y=\"{:.1f}\" {}>{}</text>\n", x, y, style, content);
}

void draw_grid_and_ticks(std::string& svg, const Frame& f, const Axis& xs, const Axis& ys) {
    for (double v : ys.minor)
        line(svg, f.left, f.y(ys, v), f.right, f.y(ys, v), "stroke=\"#f0f0f0\"");
    for (double v : ys.ticks) {
        const double y = f.y(ys, v);
        line(svg, f.left, y, f.right, y, "stroke=\"#dddddd\"");
        line(svg, f.left - 5, y, f.left, y, "stroke=\"#555\"");
        text(svg, f.left - 8, y, "dy=\"0.35em\" text-anchor=\"end\"", tick_label(v, ys));
    }
    for (double v : xs.ticks) {
        const double x = f.x(xs, v);
        line(svg, x, f.top, x, f.bottom, "stroke=\"#dddddd\"");
        line(svg, x, f.bottom, x, f.bottom + 5, "stroke=\"#555\"");
        text(svg, x, f.bottom + 19, "text-anchor=\"middle\"", tick_label(v, xs));
    }
    svg += fmt::format(
        "<rect x=\"{:.1f}\" y=\"{:.1f}\" width=\"{:.1f}\" height=\"{:.1f}\" fill=\"none\" "
        "stroke=\"#555\"/>\n",
        f.left, f.top, f.right - f.left, f.bottom - f.top);
}

// Lines break at non-finite points (and at non-positive ones on a log axis).
void draw_series(std::string& svg, const Frame& f, const Axis& xs, const Axis& ys,
                 const PlotSeries& s, const std::string& clip) {
    std::vector<std::vector<std::pair<double, double>>> runs(1);
    const std::size_t n = std::min(s.x.size(), s.y.size());
    for (std::size_t i = 0; i < n; ++i) {
        const bool drawable =
            std::isfinite(s.x[i]) && std::isfinite(s.y[i]) && (!ys.log || s.y[i] > 0.0);
        if (!drawable) {
            if (!runs.back().empty()) runs.emplace_back();
            continue;
        }
        runs.back().emplace_back(f.x(xs, s.x[i]), f.y(ys, s.y[i]));
    }
    svg += fmt::format("<g clip-path=\"url(#{})\" stroke=\"{}\" fill=\"{}\">\n", clip, s.color,
                       s.color);
    for (const auto& run : runs) {
        if (run.size() < 2) continue;
        std::string points;
        for (const auto& [x, y] : run) points += fmt::format("{:.1f},{:.1f} ", x, y);
        svg += fmt::format(
            "<polyline points=\"{}\" fill=\"none\" stroke-width=\"2\" "
            "stroke-linejoin=\"round\"/>\n",
            points);
    }
    if (n <= max_markers) {
        for (const auto& run : runs) {
            for (const auto& [x, y] : run) {
                svg += fmt::format(
                    "<circle cx=\"{:.1f}\" cy=\"{:.1f}\" r=\"2.6\" stroke=\"none\"/>\n", x, y);
            }
        }
    }
    svg += "</g>\n";
}

void draw_level(std::string& svg, const Frame& f, const Axis& ys, const PlotLevel& level) {
    if (ys.log && level.y <= 0.0) return;
    const double y = f.y(ys, level.y);
    line(svg, f.left, y, f.right, y,
         fmt::format("stroke=\"{}\" stroke-width=\"1.5\" stroke-dasharray=\"{}\"", level.color,
                     level.dash));
}

// One row under the panel title: a short line in each series' or level's style, then its label.
void draw_legend(std::string& svg, const PlotPanel& panel, double x, double y) {
    auto item = [&](const std::string& label, const std::string& style) {
        line(svg, x, y, x + 22, y, style);
        text(svg, x + 27, y, "dy=\"0.35em\"", escape(label));
        x += 27 + char_width * static_cast<double>(label.size()) + 16;
    };
    for (const PlotSeries& s : panel.series) {
        item(s.label, fmt::format("stroke=\"{}\" stroke-width=\"2\"", s.color));
    }
    for (const PlotLevel& level : panel.levels) {
        item(level.label, fmt::format("stroke=\"{}\" stroke-width=\"1.5\" stroke-dasharray=\"{}\"",
                                      level.color, level.dash));
    }
}

// "loss (MSE)" on a log axis reads "loss (MSE, log scale)"; "loss", "loss (log scale)".
std::string y_label_text(const std::string& label, bool log) {
    if (!log) return label;
    if (!label.empty() && label.back() == ')')
        return label.substr(0, label.size() - 1) + ", log scale)";
    return label + " (log scale)";
}

void draw_mark(std::string& svg, const Frame& f, const Axis& xs, const PlotMark& mark) {
    if (mark.x < xs.low || mark.x > xs.high) return;
    const double x = f.x(xs, mark.x);
    line(svg, x, f.top, x, f.bottom,
         fmt::format("stroke=\"{}\" stroke-width=\"1.5\" stroke-dasharray=\"3 3\"", mark.color));
    // A triangle over the frame points at the step even when the line lies on the frame's edge
    // (a run that stops when solved ends at the marked step).
    svg += fmt::format("<path d=\"M{:.1f},{:.1f} l10,0 l-5,8 z\" fill=\"{}\"/>\n", x - 5, f.top - 9,
                       mark.color);
    // The label inside the plot area, by the line's top, on whichever side has room.
    const bool right_half = x > (f.left + f.right) / 2;
    text(svg, right_half ? x - 4 : x + 4, f.top + 14,
         fmt::format("text-anchor=\"{}\" fill=\"{}\" font-size=\"11\"",
                     right_half ? "end" : "start", mark.color),
         escape(mark.label));
}

void draw_panel(std::string& svg, const PlotPanel& panel, std::size_t index, double left,
                double top, const Axis& xs, const std::string& x_label,
                const std::vector<PlotMark>& marks) {
    const Frame f{left + margin_left, top + margin_top, left + panel_width - margin_right,
                  top + panel_height - margin_bottom};
    const Axis ys = y_axis(panel);
    // Markers on the edge stay whole; anything further out is cut.
    const std::string clip = fmt::format("plot-area-{}", index);
    svg += fmt::format(
        "<clipPath id=\"{}\"><rect x=\"{:.1f}\" y=\"{:.1f}\" width=\"{:.1f}\" "
        "height=\"{:.1f}\"/></clipPath>\n",
        clip, f.left - 3, f.top - 3, f.right - f.left + 6, f.bottom - f.top + 6);
    text(svg, f.left, top + 18, "font-size=\"14\" font-weight=\"bold\"", escape(panel.title));
    draw_legend(svg, panel, f.left, top + 38);
    draw_grid_and_ticks(svg, f, xs, ys);
    for (const PlotLevel& level : panel.levels) draw_level(svg, f, ys, level);
    for (const PlotMark& mark : marks) draw_mark(svg, f, xs, mark);
    for (const PlotSeries& s : panel.series) draw_series(svg, f, xs, ys, s, clip);
    text(svg, (f.left + f.right) / 2, f.bottom + 38, "text-anchor=\"middle\"", escape(x_label));
    const double label_x = left + 18, label_y = (f.top + f.bottom) / 2;
    text(svg, label_x, label_y,
         fmt::format("text-anchor=\"middle\" transform=\"rotate(-90 {:.1f} {:.1f})\"", label_x,
                     label_y),
         escape(y_label_text(panel.y_label, ys.log)));
}

}  // namespace

std::string render_svg_plot(const std::string& title, const std::string& x_label,
                            const std::vector<PlotPanel>& panels,
                            const std::vector<PlotMark>& marks) {
    const double width = panel_width * static_cast<double>(std::max<std::size_t>(panels.size(), 1));
    const double height = title_height + panel_height;
    std::string svg = fmt::format(
        "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"100%\" "
        "viewBox=\"0 0 {0:.0f} {1:.0f}\" font-family=\"DejaVu Sans, Helvetica, Arial, sans-serif\" "
        "font-size=\"12\" fill=\"#222\">\n"
        "<rect width=\"100%\" height=\"100%\" fill=\"white\"/>\n",
        width, height);
    text(svg, width / 2, 24, "text-anchor=\"middle\" font-size=\"15\" font-weight=\"bold\"",
         escape(title));
    const Axis xs = x_axis(panels);
    for (std::size_t i = 0; i < panels.size(); ++i) {
        draw_panel(svg, panels[i], i, panel_width * static_cast<double>(i), title_height, xs,
                   x_label, marks);
    }
    svg += "</svg>\n";
    return svg;
}

}  // namespace lucid::training
