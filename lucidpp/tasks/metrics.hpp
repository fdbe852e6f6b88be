#pragma once
// What the tasks' metrics share: the target that is not scored, the shape check of a
// prediction of class scores, and classification accuracy.
#include <cstdint>
#include <string_view>

#include "lucidpp/tensor/tensor.hpp"

namespace lucid::tasks {

// A class target that is not scored, as in nn::functional::cross_entropy.
inline constexpr std::int64_t ignore_index = -100;

// Checks that `prediction` holds `classes` scores for each of the (T, B) `targets`:
// "<task>: expected a prediction of shape (T, B, classes), got ...".
void check_class_scores(std::string_view task, const Tensor& prediction, const Tensor& targets,
                        std::int64_t classes);

// The fraction of scored targets (those not ignore_index) whose class has the highest score.
// scores (..., C) any float dtype, targets (...) int64 of the same leading shape.
double accuracy(const Tensor& scores, const Tensor& targets);

}  // namespace lucid::tasks
