#include "load_trainer.hpp"

#include "lucidpp/io/json_fields.hpp"
#include "lucidpp/train/checkpoint.hpp"

namespace lucid::cli {

training::TrainConfig saved_config(const nlohmann::json& checkpoint, const std::string& path) {
    // A checkpoint holds every key of its config, so the base config does not matter.
    return training::config_from_json(io::JsonField(checkpoint, path)["config"], {});
}

std::unique_ptr<training::Trainer> restore_trainer(const nlohmann::json& checkpoint,
                                                   const training::TrainConfig& config,
                                                   const std::string& path) {
    auto trainer = std::make_unique<training::Trainer>(config);
    trainer->restore(checkpoint, path);  // its errors name the file and the key
    return trainer;
}

std::unique_ptr<training::Trainer> load_trainer(const std::string& checkpoint_path) {
    const nlohmann::json checkpoint = training::read_checkpoint(checkpoint_path);
    return restore_trainer(checkpoint, saved_config(checkpoint, checkpoint_path), checkpoint_path);
}

}  // namespace lucid::cli
