#pragma once
// The checkpoint: a Trainer's whole state as one JSON document, format "lucidpp.checkpoint",
// version 1, written by Trainer::checkpoint() and read by Trainer::restore() (both defined in
// checkpoint.cpp, next to the format). It holds:
//   format, version   "lucidpp.checkpoint", 1
//   config            the TrainConfig (train_config.hpp)
//   step, epoch       steps done, and steps done / eval_every
//   model             the SequenceModel's state_dict (io/serialize.hpp)
//   optimizer         the optimizer's state_dict; scheduler: the LR scheduler's, or null
//   rng               both random streams: "batches" (training batches) and "default" (dropout)
//   loss_sum, loss_count, seconds, history   the running loss, the time and the evaluations
#include <nlohmann/json.hpp>

#include <string>

#include "lucidpp/train/trainer.hpp"

namespace lucid::training {

// Writes a checkpoint file atomically (temporary file, fsync, rename).
void save_checkpoint(const Trainer& trainer, const std::string& path);
// Reads a checkpoint file: reports a truncated or corrupt file, or one of another format,
// clearly (Trainer::restore() checks the version and the rest).
nlohmann::json read_checkpoint(const std::string& path);

}  // namespace lucid::training
