// libFuzzer target: lucid::load (a state_dict file) into a small model. A load either
// succeeds or throws lucid::Error and leaves every parameter byte as it was.
#include "fuzz_support.hpp"
#include "lucidpp/io/serialize.hpp"

using namespace lucid;

namespace {

// The model, built once; after an input that loaded, it gets its first parameters back, so
// every input meets the same model.
struct Baseline {
    training::SequenceModel model{fuzz::model_options()};
    nn::StateDict dict;
    std::string bytes = fuzz::snapshot(model);

    Baseline() {
        for (const auto& [name, tensor] : model.state_dict())
            dict.emplace_back(name, tensor.clone());
    }
};

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    static fuzz::InputFile input;
    static Baseline baseline;
    training::SequenceModel& model = baseline.model;

    const std::string& path = input.write(data, size);
    if (fuzz::loads("lucid::load", [&] { load(model, path); })) {
        model.load_state_dict(baseline.dict);
    } else if (fuzz::snapshot(model) != baseline.bytes) {
        fuzz::fail("lucid::load", "a load that threw changed the model's parameters");
    }
    return 0;
}
