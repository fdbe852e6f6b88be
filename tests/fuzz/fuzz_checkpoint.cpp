// libFuzzer target: a checkpoint file through read_checkpoint and Trainer::restore. A restore
// either succeeds or throws lucid::Error and leaves the whole trainer as it was: parameters
// byte for byte, and the step, optimizer, scheduler, random streams and history (all of
// which its checkpoint() holds).
#include <memory>

#include "fuzz_support.hpp"
#include "lucidpp/tensor/generator.hpp"
#include "lucidpp/train/checkpoint.hpp"

using namespace lucid;

namespace {

// The state a restore may change, as one string.
std::string trainer_state(training::Trainer& trainer) {
    return fuzz::snapshot(trainer.model()) + trainer.checkpoint().dump() +
           default_generator().state();
}

// One trainer two steps in, built once (a task's test set takes a while to make); after an
// input that restored, it goes back to this state, so every input meets the same one.
struct Baseline {
    training::Trainer trainer{fuzz::trainer_config()};
    nlohmann::json checkpoint;
    std::string state;

    Baseline() {
        trainer.step();
        trainer.step();
        checkpoint = trainer.checkpoint();
        state = trainer_state(trainer);
        trainer.restore(checkpoint);
        if (trainer_state(trainer) != state) {
            fuzz::fail("Trainer::restore",
                       "restoring the trainer's own checkpoint changed its state");
        }
    }
};

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    static Baseline baseline;
    training::Trainer& trainer = baseline.trainer;
    const std::string& path = fuzz::input_file(data, size);
    fuzz::check_all_or_nothing(
        "Trainer::restore", baseline.state,
        [&] { trainer.restore(training::read_checkpoint(path)); },
        [&] { trainer.restore(baseline.checkpoint); }, [&] { return trainer_state(trainer); });
    return 0;
}
