#include "results.hpp"

#include "lucidpp/io/serialize.hpp"

namespace lucid::cli {

nlohmann::ordered_json result_json(training::Trainer& trainer,
                                   const training::Evaluation& evaluation) {
    const tasks::Metric metric = trainer.task().metric();
    return {{"task", trainer.config().task},
            {"step", evaluation.step},
            {"metric_name", metric.name},
            {"metric", io::float_to_json(evaluation.metric)},
            {"test_loss", io::float_to_json(evaluation.test_loss)},
            {"solved", evaluation.solved},
            {"solved_at", metric.solved_at},
            {"higher_is_better", metric.higher_is_better},
            {"baseline", metric.baseline}};
}

}  // namespace lucid::cli
