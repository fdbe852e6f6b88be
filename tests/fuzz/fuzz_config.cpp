// libFuzzer target: the config reader, config_from_json then validate, as `lucidpp train
// --config` reads a file. Every JSON input is either refused with a lucid::Error, or gives a
// valid config that survives a round trip through to_json. (The reader returns a new config
// and takes its base by const reference, so a refusal cannot change anything.)
#include "fuzz_support.hpp"

using namespace lucid;

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    const nlohmann::json json =
        nlohmann::json::parse(data, data + size, /*callback=*/nullptr, /*allow_exceptions=*/false);
    if (json.is_discarded()) return 0;  // not JSON: the file reader's refusal, not this target's

    const training::TrainConfig base = training::TrainConfig::defaults_for("adding");
    training::TrainConfig config;
    const bool accepted = fuzz::loads("config_from_json", [&] {
        config = training::config_from_json(json, base);
        training::validate(config);
    });
    if (accepted) {
        const training::TrainConfig again =
            training::config_from_json(training::to_json(config), base);
        if (training::to_json(again).dump() != training::to_json(config).dump()) {
            fuzz::fail("config_from_json",
                       "an accepted config does not survive to_json and back: " +
                           training::to_json(config).dump());
        }
    }
    return 0;
}
