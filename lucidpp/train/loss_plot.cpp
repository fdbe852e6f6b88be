#include "lucidpp/train/loss_plot.hpp"

#include <fmt/format.h>

#include <algorithm>

#include "lucidpp/train/svg_plot.hpp"

namespace lucid::training {

namespace {

// Matplotlib's first colours: familiar, and distinct for colour-blind readers.
constexpr const char* blue = "#1f77b4";
constexpr const char* orange = "#ff7f0e";
constexpr const char* green = "#2ca02c";
constexpr const char* red = "#d62728";
constexpr const char* grey = "#7f7f7f";

std::string plot_title(const training::TrainConfig& config, const tasks::Metric& metric,
                       const std::vector<training::Evaluation>& history) {
    const tasks::Hyperparameters& h = config.hyper;
    std::string title =
        fmt::format("{} · {}, hidden {}, {} layer{} · {} lr {:g}", config.task, h.model, h.hidden,
                    h.layers, h.layers == 1 ? "" : "s", h.optimizer, h.lr);
    for (const training::Evaluation& e : history) {
        if (e.solved) return title + fmt::format(" · solved at step {}", e.step);
    }
    if (!history.empty()) {
        title += fmt::format(" · step {}: {} {:.4g}", history.back().step, metric.name,
                             history.back().metric);
    }
    return title;
}

}  // namespace

std::string loss_unit(tasks::Target target) {
    switch (target) {
        case tasks::Target::regression:
            return "MSE";
        case tasks::Target::classes:
            return "nats";
        case tasks::Target::multi_label:
            return "nats per label";
    }
    return "";
}

std::string loss_plot_svg(const training::TrainConfig& config, const tasks::Task& task,
                          const std::vector<training::Evaluation>& history) {
    const tasks::Metric metric = task.metric();
    PlotSeries train{"train", blue, {}, {}};
    PlotSeries test{"test", orange, {}, {}};
    PlotSeries score{fmt::format("test {}", metric.name), green, {}, {}};
    for (const training::Evaluation& e : history) {
        const auto step = static_cast<double>(e.step);
        train.x.push_back(step);
        train.y.push_back(e.train_loss);
        test.x.push_back(step);
        test.y.push_back(e.test_loss);
        score.x.push_back(step);
        score.y.push_back(e.metric);
    }
    const std::string direction = metric.higher_is_better ? "≥" : "≤";
    PlotPanel loss{
        "loss", fmt::format("loss ({})", loss_unit(task.spec().target)), {train, test}, {}};
    PlotPanel quality{
        metric.name,
        fmt::format("{}, {} is better", metric.name, metric.higher_is_better ? "higher" : "lower"),
        {score},
        {{fmt::format("solved {} {:g}", direction, metric.solved_at), red, metric.solved_at, "7 4"},
         {fmt::format("baseline {:.3g}", metric.baseline), grey, metric.baseline, "2 3"}}};
    std::vector<PlotMark> marks;
    const auto solved = std::find_if(history.begin(), history.end(),
                                     [](const training::Evaluation& e) { return e.solved; });
    if (solved != history.end()) {
        marks.push_back({fmt::format("solved at step {}", solved->step), red,
                         static_cast<double>(solved->step)});
    }
    return render_svg_plot(plot_title(config, metric, history), "step", {loss, quality}, marks);
}

}  // namespace lucid::training
