#pragma once
// What `lucidpp train` writes into its run folder (train/run_folder.hpp) besides what
// training::fit writes too:
//
//   config.json      the run's TrainConfig; `lucidpp train --config` reads it back
//   metrics.jsonl    one JSON object per evaluation: step, train_loss, test_loss, metric,
//                    solved, seconds, skipped_steps (floats as io::float_to_json writes them;
//                    train_loss is "nan" at step 0, before any training)
//   checkpoint.json  the whole training state (training::save_checkpoint), for eval, sample and
//                    --resume
//   loss.svg         the loss and metric curves (train/loss_plot.hpp)
#include <nlohmann/json.hpp>

#include "lucidpp/train/run_folder.hpp"
#include "lucidpp/train/trainer.hpp"

namespace lucid::cli {

// config.json: the run's config, and for a data-parallel run the number of ranks that trained it
// ("world_size", which --config reads past: the ranks come from mpirun -np).
void write_config(const training::RunFolder& folder, const training::TrainConfig& config,
                  int world_size = 1);
// The checkpoint, then metrics.jsonl and loss.svg from the trainer's evaluation history.
void write_progress(const training::RunFolder& folder, training::Trainer& trainer);

// One line of metrics.jsonl.
nlohmann::ordered_json evaluation_record(const training::Evaluation& evaluation);

}  // namespace lucid::cli
