// Writes the fuzz targets' seed corpus from the project's own code: files the targets accept
// (saved from the very models they load into) and a few near misses, one folder per target.
//
//   usage: make_fuzz_seeds OUTPUT_DIR
//   (creates OUTPUT_DIR/{state_dict,safetensors,checkpoint,config}/)
#include <filesystem>
#include <fstream>

#include "fuzz_support.hpp"
#include "lucidpp/io/safetensors.hpp"
#include "lucidpp/io/serialize.hpp"
#include "lucidpp/tasks/registry.hpp"
#include "lucidpp/tensor/creation.hpp"
#include "lucidpp/train/checkpoint.hpp"

using namespace lucid;
namespace fs = std::filesystem;

namespace {

void write(const fs::path& path, const std::string& text) {
    std::ofstream(path, std::ios::binary) << text;
}

void state_dict_seeds(const fs::path& dir) {
    training::SequenceModel model(fuzz::model_options());
    save(model, (dir / "lstm.json").string());
    nlohmann::ordered_json json = io::state_dict_to_json(model.state_dict());
    auto& tensors = json["tensors"];
    tensors.begin().value()["data"][0] = "nan";
    tensors.begin().value()["data"][1] = "-inf";
    write(dir / "nonfinite.json", io::dump_state_dict_json(json));
    tensors.erase(tensors.begin());
    write(dir / "missing_tensor.json", io::dump_state_dict_json(json));
    write(dir / "empty.json", R"({"format": "lucidpp.state_dict", "version": 1, "tensors": {}})");
}

void safetensors_seeds(const fs::path& dir) {
    training::SequenceModel model(fuzz::model_options());
    save(model, (dir / "lstm.safetensors").string());
    nn::StateDict dict = model.state_dict();
    write(dir / "metadata.safetensors", io::safetensors_bytes(dict, {{"format", "pt"}}));
    dict.erase(dict.begin());
    write(dir / "missing_tensor.safetensors", io::safetensors_bytes(dict));
    write(dir / "dtypes.safetensors",
          io::safetensors_bytes({{"step", scalar_tensor(7, int64)},
                                 {"scale", tensor({0.5, -2.0}, float64)},
                                 {"none", zeros({0, 3})}}));
    write(dir / "empty.safetensors", io::safetensors_bytes({}));
}

void checkpoint_seeds(const fs::path& dir) {
    training::Trainer trainer(fuzz::trainer_config());
    training::save_checkpoint(trainer, (dir / "step0.json").string());
    for (int i = 0; i < 4; ++i) trainer.step();
    (void)trainer.evaluate();
    training::save_checkpoint(trainer, (dir / "step4.json").string());
}

void config_seeds(const fs::path& dir) {
    for (const std::string& task : tasks::task_names()) {
        write(dir / (task + ".json"),
              training::to_json(training::TrainConfig::defaults_for(task)).dump(1));
    }
    write(dir / "trainer.json", training::to_json(fuzz::trainer_config()).dump());
    write(dir / "partial.json",
          R"({"model": "lstm", "hidden": 16, "lr": 0.003, "scheduler": "step"})");
    write(dir / "empty.json", "{}");
}

}  // namespace

int main(int argc, char** argv) {
    if (argc != 2) {
        std::fprintf(stderr, "usage: %s OUTPUT_DIR\n", argv[0]);
        return 2;
    }
    const fs::path out = argv[1];
    try {
        for (const char* target : {"state_dict", "safetensors", "checkpoint", "config"})
            fs::create_directories(out / target);
        state_dict_seeds(out / "state_dict");
        safetensors_seeds(out / "safetensors");
        checkpoint_seeds(out / "checkpoint");
        config_seeds(out / "config");
    } catch (const std::exception& error) {
        std::fprintf(stderr, "make_fuzz_seeds: %s\n", error.what());
        return 1;
    }
    return 0;
}
