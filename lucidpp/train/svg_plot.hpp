#pragma once
// A small line chart written as SVG by hand: no dependencies, and it opens in any browser.
//
// A plot is a row of panels that share the x axis label. Each panel has its own y axis, which
// is logarithmic when every value is positive and they span a decade or more (a falling loss),
// and linear otherwise (an accuracy); its legend sits under the panel title, so it never covers a
// curve. A linear axis spans at least 10% of its largest value, so that a flat curve is drawn
// flat (a loss between 2.079 and 2.085 is a level line, not a mountain range). The svg has a
// viewBox and a width of 100%: it scales to fit whatever window or page shows it.
#include <string>
#include <vector>

namespace lucid::training {

struct PlotSeries {
    std::string label;
    std::string color;         // an SVG colour, e.g. "#1f77b4"
    std::vector<double> x, y;  // non-finite points are left out and break the line
};

// A horizontal reference line across a panel, e.g. the "solved" threshold.
struct PlotLevel {
    std::string label;
    std::string color;
    double y = 0.0;
    std::string dash = "7 4";  // SVG stroke-dasharray
};

struct PlotPanel {
    std::string title;
    std::string y_label;
    std::vector<PlotSeries> series;
    std::vector<PlotLevel> levels;
};

// A vertical line across every panel at an x value, labelled, e.g. "solved at step 250".
struct PlotMark {
    std::string label;
    std::string color;
    double x = 0.0;
};

std::string render_svg_plot(const std::string& title, const std::string& x_label,
                            const std::vector<PlotPanel>& panels,
                            const std::vector<PlotMark>& marks = {});

}  // namespace lucid::training
