#include "lucidpp/tasks/task.hpp"

#include "lucidpp/nn/functional.hpp"

namespace lucid::tasks {

Tensor Task::loss(const Tensor& prediction, const Batch& batch) const {
    namespace F = nn::functional;
    switch (spec().target) {
        case Target::regression:
            return F::mse_loss(prediction, batch.targets);
        case Target::multi_label:
            return F::binary_cross_entropy_with_logits(prediction, batch.targets);
        case Target::classes: {
            const std::int64_t classes = prediction.size(-1);
            return F::cross_entropy(prediction.reshape({-1, classes}), batch.targets.reshape({-1}));
        }
    }
    throw Error("Task::loss: unknown target kind");
}

bool Task::solved(double metric_value) const {
    Metric m = metric();
    return m.higher_is_better ? metric_value >= m.solved_at : metric_value <= m.solved_at;
}

}  // namespace lucid::tasks
