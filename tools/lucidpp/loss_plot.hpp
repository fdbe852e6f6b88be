#pragma once
// loss.svg of a run folder: the training and test loss, and the test metric with the task's
// "solved" threshold (dashed) and trivial baseline (dotted), against the training step.
#include <string>
#include <vector>

#include "lucidpp/data/task.hpp"
#include "lucidpp/data/trainer.hpp"

namespace lucid::cli {

std::string loss_plot_svg(const data::TrainConfig& config, const data::Metric& metric,
                          const std::vector<data::Evaluation>& history);

}  // namespace lucid::cli
