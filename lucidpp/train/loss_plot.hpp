#pragma once
// loss.svg of a run folder: the training and test loss (in the task's unit: MSE, or nats for
// cross-entropy), and the test metric with the task's "solved" threshold (dashed) and trivial
// baseline (dotted), against the training step; a dotted vertical line marks the first
// evaluation that solved the task.
#include <string>
#include <vector>

#include "lucidpp/tasks/task.hpp"
#include "lucidpp/train/trainer.hpp"

namespace lucid::training {

std::string loss_plot_svg(const training::TrainConfig& config, const tasks::Task& task,
                          const std::vector<training::Evaluation>& history);

// What a task's loss is measured in: "MSE" (regression), "nats" (cross-entropy over classes),
// "nats per label" (binary cross-entropy of multi-label targets).
std::string loss_unit(tasks::Target target);

}  // namespace lucid::training
