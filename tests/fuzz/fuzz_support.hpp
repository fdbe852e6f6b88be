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

// The file reader's input: an anonymous in-memory file (memfd) reached through
// /proc/self/fd, so each run costs no disk I/O and leaves nothing behind.
class InputFile {
public:
    InputFile();
    // Replaces the file's contents; returns its path.
    const std::string& write(const std::uint8_t* data, std::size_t size);

private:
    int fd_ = -1;
    std::string path_;
};

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

}  // namespace lucid::fuzz
