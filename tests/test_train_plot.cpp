// loss.svg: it scales to its window, a flat curve stays flat, the solved step is marked, and the
// loss axis names its unit.
#include <algorithm>
#include <regex>

#include "helpers.hpp"
#include "lucidpp/train/loss_plot.hpp"
#include "lucidpp/train/svg_plot.hpp"

using namespace lucid;

namespace {

// The y pixel coordinates of every polyline point in the svg.
std::vector<double> polyline_ys(const std::string& svg) {
    std::vector<double> ys;
    const std::regex polyline("<polyline points=\"([^\"]*)\"");
    const std::regex point("[-0-9.]+,([-0-9.]+)");
    for (std::sregex_iterator p(svg.begin(), svg.end(), polyline), end; p != end; ++p) {
        const std::string points = (*p)[1];
        for (std::sregex_iterator q(points.begin(), points.end(), point); q != end; ++q) {
            ys.push_back(std::stod((*q)[1]));
        }
    }
    return ys;
}

double pixel_span(const std::vector<double>& ys) {
    const auto [low, high] = std::minmax_element(ys.begin(), ys.end());
    return *high - *low;
}

training::PlotPanel loss_panel(std::vector<double> losses) {
    training::PlotSeries series{"train", "#1f77b4", {}, std::move(losses)};
    for (std::size_t i = 0; i < series.y.size(); ++i) series.x.push_back(10.0 * i);
    return {"loss", "loss (nats)", {series}, {}};
}

}  // namespace

TEST_SUITE("train_plot") {
    TEST_CASE("the svg has a viewBox and a width of 100%, so it fits its window") {
        const std::string svg = training::render_svg_plot("t", "step", {loss_panel({1.0, 0.5})});
        CHECK(svg.find("width=\"100%\" viewBox=\"0 0 480 376\"") != std::string::npos);
        CHECK(svg.find("<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"100%\" viewBox") == 0);
    }

    TEST_CASE("a flat curve is drawn flat; a falling one fills the panel") {
        // The plot area is 234 px high. A loss between 2.079 and 2.085 (a model that learns nothing
        // of an 8-way choice, ln 8 = 2.0794) must not fill it.
        const auto flat = polyline_ys(training::render_svg_plot(
            "t", "step", {loss_panel({2.085, 2.081, 2.079, 2.083, 2.080})}));
        REQUIRE(flat.size() == 5);
        CHECK(pixel_span(flat) < 10.0);
        const auto falling = polyline_ys(
            training::render_svg_plot("t", "step", {loss_panel({2.08, 1.6, 1.2, 0.9})}));
        CHECK(pixel_span(falling) > 100.0);
        // A constant at 0 (a solved MSE) still gets an axis, and the line sits on it.
        const auto zero =
            polyline_ys(training::render_svg_plot("t", "step", {loss_panel({0.0, 0.0})}));
        CHECK(pixel_span(zero) == 0.0);
    }

    TEST_CASE("a mark draws a labelled vertical line at its step in every panel") {
        const std::string svg = training::render_svg_plot(
            "t", "step", {loss_panel({1.0, 0.5, 0.2}), loss_panel({0.1, 0.5, 0.9})},
            {{"solved at step 10", "#d62728", 10.0}});
        std::size_t count = 0;
        for (std::size_t at = svg.find(">solved at step 10<"); at != std::string::npos;
             at = svg.find(">solved at step 10<", at + 1))
            ++count;
        CHECK(count == 2);
        CHECK(svg.find("stroke=\"#d62728\" stroke-width=\"1.5\" stroke-dasharray=\"3 3\"") !=
              std::string::npos);
    }

    TEST_CASE("loss_plot_svg: the task's loss unit, step 0, and the solved step marked") {
        training::TrainConfig config = training::TrainConfig::defaults_for("parity");
        config.hyper.hidden = 4;
        config.hyper.batch_size = 4;
        training::Trainer trainer(config);
        trainer.evaluate();
        trainer.step();
        trainer.evaluate();
        std::vector<training::Evaluation> history = trainer.history();
        CHECK(history[0].step == 0);
        CHECK(std::isnan(history[0].train_loss));
        history[1].solved = true;  // as if step 1 had solved it
        const std::string svg = training::loss_plot_svg(config, trainer.task(), history);
        CHECK(svg.find("loss (nats)") != std::string::npos);
        CHECK(svg.find(">solved at step 1<") != std::string::npos);
        CHECK(training::loss_unit(tasks::Target::regression) == "MSE");
        // The test loss has a point at step 0; the train loss starts at step 1 (one point, no
        // line).
        CHECK(polyline_ys(svg).size() == 2 + 2);  // test loss and metric: steps 0 and 1
    }

}  // TEST_SUITE("train_plot")
