#pragma once
// loss.svg of a run folder: the training and test loss, and the test metric with the task's
// "solved" threshold (dashed) and trivial baseline (dotted), against the training step.
#include <string>
#include <vector>

#include "lucidpp/tasks/task.hpp"
#include "lucidpp/train/trainer.hpp"

namespace lucid::train {

std::string loss_plot_svg(const training::TrainConfig& config, const tasks::Metric& metric,
                          const std::vector<training::Evaluation>& history);

}  // namespace lucid::train
