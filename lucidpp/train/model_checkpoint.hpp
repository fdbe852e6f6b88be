#pragma once
// Checkpoints of a user's own training: everything a loop needs to continue bit for bit.
//
//   training::save_checkpoint("run/checkpoint.json", model, optimizer, &scheduler,
//                          {.step = step, .epoch = epoch});
//   ...
//   training::TrainingState state = training::load_checkpoint("run/checkpoint.json", model,
//                                                        optimizer, &scheduler);
//
// One JSON document, format "lucidpp.model_checkpoint", version 1:
//   step, epoch, batch_in_epoch   where the loop was (TrainingState)
//   model                         the model's state_dict (io/serialize.hpp's JSON form)
//   optimizer                     the optimizer's state_dict (moments, step counts, lr)
//   scheduler                     the LR scheduler's state_dict, or null
//   rng                           {"default": the default generator (dropout, init), and every
//                                 generator named in TrainingState::generators}
//   extra                         whatever JSON the caller adds (a vocabulary, a best loss, ...)
//
// The file is written atomically (temporary file, fsync, rename). load_checkpoint reads and
// checks the whole file first and changes nothing when it throws: a truncated file, another
// format, a missing key, a model or optimizer of other shapes, a scheduler given or saved but
// not both. The errors read "<file>: <key>: <problem>".
#include <nlohmann/json.hpp>

#include <cstdint>
#include <functional>
#include <map>
#include <string>

#include "lucidpp/io/json_fields.hpp"
#include "lucidpp/nn/module.hpp"
#include "lucidpp/optim/lr_scheduler.hpp"
#include "lucidpp/optim/optimizer.hpp"

namespace lucid::training {

struct TrainingState {
    std::int64_t step = 0;            // optimizer steps done
    std::int64_t epoch = 0;           // the epoch in progress (0-based)
    std::int64_t batch_in_epoch = 0;  // batches of that epoch done
    // Other random streams, by name, as Generator::state() gives them (e.g. a loader's shuffle
    // stream). The default generator is saved and restored by the functions themselves.
    std::map<std::string, std::string> generators{};
    nlohmann::json extra = nlohmann::json::object();
};

void save_checkpoint(const std::string& path, const nn::Module& model,
                     const optim::Optimizer& optimizer, const optim::LRScheduler* scheduler,
                     const TrainingState& state = {});

// Loads the model, the optimizer, the scheduler (when given) and the default generator's state,
// and returns the rest: the caller restores its own generators from `generators`.
// `check_extra`, when given, is called on the checkpoint's "extra" before anything is loaded,
// so that a caller's own part of the checkpoint is checked before anything changes too.
TrainingState load_checkpoint(
    const std::string& path, nn::Module& model, optim::Optimizer& optimizer,
    optim::LRScheduler* scheduler,
    const std::function<void(const io::JsonField& extra)>& check_extra = nullptr);

}  // namespace lucid::training
