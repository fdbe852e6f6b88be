// libFuzzer target: lucid::load (a state_dict file) into a small model. A load either
// succeeds or throws lucid::Error and leaves every parameter byte as it was.
#include "fuzz_support.hpp"
#include "lucidpp/io/serialize.hpp"

using namespace lucid;

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    static fuzz::ModelBaseline baseline;
    nn::Module& model = baseline.model;
    fuzz::check_all_or_nothing(
        "lucid::load", baseline.bytes, [&] { load(model, fuzz::input_file(data, size)); },
        [&] { baseline.reset(); }, [&] { return fuzz::snapshot(model); });
    return 0;
}
