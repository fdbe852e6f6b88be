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
    static Baseline baseline;
    nn::Module& model = baseline.model;
    fuzz::check_all_or_nothing(
        "lucid::load", baseline.bytes, [&] { load(model, fuzz::input_file(data, size)); },
        [&] { model.load_state_dict(baseline.dict); }, [&] { return fuzz::snapshot(model); });
    return 0;
}
