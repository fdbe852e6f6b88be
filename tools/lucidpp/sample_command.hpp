#pragma once
// `lucidpp sample CHECKPOINT`: text from a char_lm checkpoint. Prints the prompt followed by
// the sampled characters on stdout, each as soon as it is drawn.
#include <cstdint>
#include <string>

#include "command.hpp"

namespace lucid::cli {

class SampleCommand : public Command {
public:
    // 10^8 characters: a thousand times the char_lm corpus (92,074 characters) and about an hour
    // at the ~33,000 characters/s of a hidden-8 model on one core. The text is streamed, so the
    // limit is not about memory: a longer --length is a typo, refused before any work.
    static constexpr std::int64_t max_length = 100'000'000;

    explicit SampleCommand(CLI::App& parent);
    int run() override;

private:
    std::string checkpoint_;
    std::string prompt_;
    std::int64_t length_ = 200;
    double temperature_ = 0.8;
    std::uint64_t seed_ = 0;
    int threads_ = 0;
};

}  // namespace lucid::cli
