#include "lucidpp/tasks/metrics.hpp"

#include <vector>

#include "lucidpp/tensor/error.hpp"

namespace lucid::tasks {

void check_class_scores(std::string_view task, const Tensor& prediction, const Tensor& targets,
                        std::int64_t classes) {
    const std::int64_t T = targets.size(0), B = targets.size(1);
    check(prediction.dim() == 3 && prediction.size(0) == T && prediction.size(1) == B &&
              prediction.size(2) == classes,
          "{}: expected a prediction of shape ({}, {}, {}), got {}", task, T, B, classes,
          prediction.shape());
}

double accuracy(const Tensor& scores, const Tensor& targets) {
    std::vector<std::int64_t> guess = scores.argmax(-1).to_vector<std::int64_t>();
    std::vector<std::int64_t> truth = targets.to_vector<std::int64_t>();
    std::int64_t scored = 0, correct = 0;
    for (std::size_t i = 0; i < truth.size(); ++i) {
        if (truth[i] == ignore_index) continue;
        ++scored;
        correct += guess[i] == truth[i];
    }
    return static_cast<double>(correct) / static_cast<double>(scored);
}

}  // namespace lucid::tasks
