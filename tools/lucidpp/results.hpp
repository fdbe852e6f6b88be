#pragma once
// The JSON that `lucidpp train` and `lucidpp eval` print on stdout: one object, one line.
#include <nlohmann/json.hpp>

#include "lucidpp/train/trainer.hpp"

namespace lucid::cli {

// {"task", "step", "metric_name", "metric", "test_loss", "solved", "solved_at",
//  "higher_is_better", "baseline"}
nlohmann::ordered_json result_json(training::Trainer& trainer, const training::Evaluation& evaluation);

}  // namespace lucid::cli
