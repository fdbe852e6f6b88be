#pragma once
// What the libFuzzer targets share: the small models and trainer they load into, a snapshot
// of everything a load may change, and the input handed to a file reader without touching
// the disk. The seed corpus (make_fuzz_seeds.cpp) is written from the same models, so its
// files are ones the targets accept.
#include <cstddef>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <exception>
#include <string>
#include <typeinfo>
#include <vector>

#include "lucidpp/tensor/error.hpp"
#include "lucidpp/train/sequence_model.hpp"
#include "lucidpp/train/train_config.hpp"
#include "lucidpp/train/trainer.hpp"

namespace lucid::fuzz {

// A two-layer LSTM with a Linear head: parameters of several shapes and names.
inline training::SequenceModelOptions model_options() {
    return {.cell = "lstm", .input_size = 3, .hidden_size = 4, .num_layers = 2, .output_size = 2};
}

// The smallest run of a bundled task that still has every part of a checkpoint: Adam's
// moments, a scheduler, dropout's random stream and a history.
inline training::TrainConfig trainer_config() {
    training::TrainConfig config = training::TrainConfig::defaults_for("adding");
    config.seed = 3;
    config.hyper.model = "gru";
    config.hyper.hidden = 4;
    config.hyper.layers = 2;
    config.hyper.dropout = 0.25;
    config.hyper.optimizer = "adam";
    config.hyper.batch_size = 2;
    config.hyper.steps = 8;
    config.hyper.eval_every = 2;
    config.scheduler = "cosine";
    return config;
}

// Every byte of every tensor of the state_dict, with its name, dtype and shape.
std::string snapshot(const nn::Module& module);
std::string snapshot(const nn::StateDict& dict);

// The model the state_dict targets load into, built once, with its first parameters: after an
// input that loaded, reset() gives them back, so every input meets the same model.
struct ModelBaseline {
    training::SequenceModel model{model_options()};
    nn::StateDict dict;
    std::string bytes = snapshot(model);

    ModelBaseline() {
        for (const auto& [name, tensor] : model.state_dict())
            dict.emplace_back(name, tensor.clone());
    }
    void reset() { model.load_state_dict(dict); }
};

// Puts the input into an anonymous in-memory file (memfd) and returns its path under
// /proc/self/fd, for the readers that take a path: no disk I/O, nothing left behind.
const std::string& input_file(const std::uint8_t* data, std::size_t size);

// Prints what went wrong and aborts, which libFuzzer reports as a crash with the input.
[[noreturn]] void fail(const char* target, const std::string& what);

// Runs `load`; a lucid::Error is a refusal (returns false), any other exception a bug (fails).
template <class Load>
bool loads(const char* target, Load&& load) {
    try {
        load();
        return true;
    } catch (const Error&) {
        return false;
    } catch (const std::exception& error) {
        fail(target, std::string("an exception other than lucid::Error escaped: ") +
                         typeid(error).name() + ": " + error.what());
    }
}

// The all-or-nothing promise of a loader: runs `load`; a refusal must leave `state()` equal to
// `before`; after a success, `reset()` goes back to the baseline, which must give `before` again.
template <class Load, class Reset, class State>
void check_all_or_nothing(const char* target, const std::string& before, Load&& load, Reset&& reset,
                          State&& state) {
    if (loads(target, load)) {
        reset();
        if (state() != before) fail(target, "going back to the baseline did not restore its state");
    } else if (state() != before) {
        fail(target, "a load that threw changed the state it was loading into");
    }
}

}  // namespace lucid::fuzz
