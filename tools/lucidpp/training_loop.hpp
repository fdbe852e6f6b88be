#pragma once
// The loop of `lucidpp train`: step, evaluate every eval_every steps and at the last step,
// and after each evaluation rewrite checkpoint.json, metrics.jsonl and loss.svg. Stops at
// config.hyper.steps, at the first solved evaluation (config.stop_when_solved), or after the
// step in progress when Ctrl-C arrives (interrupt.hpp).
#include "lucidpp/train/trainer.hpp"
#include "run_progress.hpp"

namespace lucid::cli {

// The exit code: 0 when the run ended normally, 128 + the signal number when interrupted
// (the checkpoint then holds the last step done). A non-finite step under nonfinite "stop"
// throws lucid::Error (exit 1) naming the step and the checkpoint the folder keeps. In a
// data-parallel job every rank runs the loop and only the main process (rank 0) writes.
int run_training(training::Trainer& trainer, const training::RunFolder& folder,
                 bool main_process = true);

// Whether a restored run has nothing left to do: all its steps are done, or it stops when
// solved and its last evaluation, at the current step, was solved.
bool finished(const training::Trainer& trainer);

}  // namespace lucid::cli
