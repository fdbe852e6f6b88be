#pragma once
// `lucidpp sample CHECKPOINT`: text from a char_lm checkpoint. Prints the prompt followed by
// the sampled characters on stdout.
#include <cstdint>
#include <string>

#include "command.hpp"

namespace lucid::cli {

class SampleCommand : public Command {
public:
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
