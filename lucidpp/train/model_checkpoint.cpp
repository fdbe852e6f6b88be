#include "lucidpp/train/model_checkpoint.hpp"

#include <mutex>

#include "lucidpp/io/atomic_file.hpp"
#include "lucidpp/io/json_fields.hpp"
#include "lucidpp/io/serialize.hpp"
#include "lucidpp/tensor/generator.hpp"

namespace lucid::training {

using json = nlohmann::json;
using ordered_json = nlohmann::ordered_json;

namespace {

constexpr const char* checkpoint_format = "lucidpp.model_checkpoint";
constexpr int checkpoint_version = 1;

void check_format(const io::JsonField& checkpoint) {
    const bool ours = checkpoint.json().is_object() && checkpoint.has("format") &&
                      checkpoint["format"].json() == checkpoint_format;
    if (!ours) {
        checkpoint.fail(fmt::format("not a lucidpp model checkpoint (expected format \"{}\")",
                                    checkpoint_format));
    }
    const io::JsonField version = checkpoint["version"];
    if (version.integer() != checkpoint_version) {
        version.fail(fmt::format("unsupported version {} (this build reads version {})",
                                 version.shown(), checkpoint_version));
    }
}

// Every generator state, checked by loading it into a scratch generator.
std::map<std::string, std::string> generators_from_json(const io::JsonField& rng) {
    std::map<std::string, std::string> states;
    for (const auto& [name, field] : rng.members()) {
        const std::string state = field.string();
        field.reading([&] { Generator().set_state(state); });
        states[name] = state;
    }
    if (!states.contains("default")) rng["default"].fail("missing");
    return states;
}

void check_scheduler(const io::JsonField& saved, const optim::LRScheduler* scheduler) {
    if (saved.json().is_null() && scheduler != nullptr) {
        saved.fail(fmt::format("the checkpoint has no scheduler state, but a {} was given",
                               scheduler->name()));
    }
    if (!saved.json().is_null() && scheduler == nullptr) {
        saved.fail("the checkpoint holds a scheduler's state, but no scheduler was given");
    }
}

}  // namespace

void save_checkpoint(const std::string& path, const nn::Module& model,
                     const optim::Optimizer& optimizer, const optim::LRScheduler* scheduler,
                     const TrainingState& state) {
    ordered_json rng = ordered_json::object();
    {
        std::lock_guard lock(default_generator().mutex());
        rng["default"] = default_generator().state();
    }
    for (const auto& [name, generator_state] : state.generators) {
        check(name != "default", "save_checkpoint: the generator name \"default\" is reserved");
        rng[name] = generator_state;
    }
    const ordered_json checkpoint = {
        {"format", checkpoint_format},
        {"version", checkpoint_version},
        {"step", state.step},
        {"epoch", state.epoch},
        {"batch_in_epoch", state.batch_in_epoch},
        {"model", io::state_dict_to_json(model.state_dict())},
        {"optimizer", optimizer.state_dict()},
        {"scheduler", scheduler != nullptr ? json(scheduler->state_dict()) : json(nullptr)},
        {"rng", rng},
        {"extra", state.extra}};
    io::write_file_atomically(path, checkpoint.dump());
}

TrainingState load_checkpoint(const std::string& path, nn::Module& model,
                              optim::Optimizer& optimizer, optim::LRScheduler* scheduler,
                              const std::function<void(const io::JsonField& extra)>& check_extra) {
    // Read and check everything before touching anything.
    const json document = io::parse_json(io::read_file(path), path);
    const io::JsonField checkpoint(document, path);
    check_format(checkpoint);
    TrainingState state;
    state.step = checkpoint["step"].integer(0);
    state.epoch = checkpoint["epoch"].integer(0);
    state.batch_in_epoch = checkpoint["batch_in_epoch"].integer(0);
    state.generators = generators_from_json(checkpoint["rng"]);
    state.extra = checkpoint["extra"].json();
    const nn::StateDict weights = io::state_dict_from_json(checkpoint["model"]);
    const io::JsonField saved_optimizer = checkpoint["optimizer"];
    const io::JsonField saved_scheduler = checkpoint["scheduler"];
    check_scheduler(saved_scheduler, scheduler);
    if (check_extra) check_extra(checkpoint["extra"]);

    // Model, optimizer and scheduler each load all-or-nothing; undo the earlier ones if a
    // later one refuses.
    nn::StateDict model_before;
    for (auto& [name, tensor] : model.state_dict()) model_before.emplace_back(name, tensor.clone());
    const json optimizer_before = optimizer.state_dict();
    checkpoint["model"].reading([&] { model.load_state_dict(weights); });
    try {
        saved_optimizer.reading([&] { optimizer.load_state_dict(saved_optimizer.json()); });
        if (scheduler != nullptr) {
            saved_scheduler.reading([&] { scheduler->load_state_dict(saved_scheduler.json()); });
        }
    } catch (...) {
        model.load_state_dict(model_before);
        optimizer.load_state_dict(optimizer_before);
        throw;
    }
    {
        std::lock_guard lock(default_generator().mutex());
        default_generator().set_state(state.generators.at("default"));
    }
    state.generators.erase("default");
    return state;
}

}  // namespace lucid::training
