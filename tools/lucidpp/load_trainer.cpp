#include "load_trainer.hpp"

#include "lucidpp/tensor/error.hpp"
#include "lucidpp/train/checkpoint.hpp"

namespace lucid::cli {

namespace {

// Runs `body`, adding the checkpoint's path to any error it throws.
template <class Body>
auto naming_file(const std::string& path, Body body) {
    try {
        return body();
    } catch (const Error& error) {
        throw Error(fmt::format("checkpoint {}: {}", path, error.what()));
    } catch (const nlohmann::json::exception& error) {
        throw Error(fmt::format("checkpoint {}: malformed ({})", path, error.what()));
    }
}

}  // namespace

training::TrainConfig saved_config(const nlohmann::json& checkpoint, const std::string& path) {
    return naming_file(path, [&] {
        check(checkpoint.contains("config"), "it has no \"config\"");
        // A checkpoint holds every key of its config, so the base config does not matter.
        return training::config_from_json(checkpoint["config"], {});
    });
}

std::unique_ptr<training::Trainer> restore_trainer(const nlohmann::json& checkpoint,
                                               const training::TrainConfig& config,
                                               const std::string& path) {
    return naming_file(path, [&] {
        auto trainer = std::make_unique<training::Trainer>(config);
        trainer->restore(checkpoint);
        return trainer;
    });
}

std::unique_ptr<training::Trainer> load_trainer(const std::string& checkpoint_path) {
    const nlohmann::json checkpoint = training::read_checkpoint(checkpoint_path);
    return restore_trainer(checkpoint, saved_config(checkpoint, checkpoint_path), checkpoint_path);
}

}  // namespace lucid::cli
