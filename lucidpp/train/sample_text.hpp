#pragma once
// Writing text with a model trained on the char_lm task: the model reads a prompt, then draws
// one character at a time and reads it back, carrying its recurrent state between steps.
#include <cstdint>
#include <ostream>
#include <string>

#include "lucidpp/tasks/char_language_model.hpp"
#include "lucidpp/tensor/generator.hpp"
#include "lucidpp/train/sequence_model.hpp"

namespace lucid::training {

// Feeds `prompt` (a newline if empty) to the model, then draws `length` characters one at a
// time, each fed back with the carried state, from softmax(logits / temperature); a temperature
// of 0 takes the most likely character. Returns the drawn characters, without the prompt. The
// model runs in eval mode and without gradients; its mode is restored.
std::string sample_text(const tasks::CharLanguageModelTask& task, SequenceModel& model,
                        const std::string& prompt, std::int64_t length, double temperature,
                        Generator& generator);
// The same, writing each character to `out` as soon as it is drawn (nothing is buffered here, so
// memory stays flat for any length; `lucidpp sample` streams to stdout this way).
void sample_text(const tasks::CharLanguageModelTask& task, SequenceModel& model,
                 const std::string& prompt, std::int64_t length, double temperature,
                 Generator& generator, std::ostream& out);

}  // namespace lucid::training
