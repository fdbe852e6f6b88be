#include "run_progress.hpp"

#include <csignal>
#include <cstdlib>
#include <string>

#include "lucidpp/io/serialize.hpp"
#include "lucidpp/train/checkpoint.hpp"
#include "lucidpp/train/loss_plot.hpp"
#include "lucidpp/train/metrics_log.hpp"

namespace lucid::cli {

namespace {

// For tests/cli only: LUCIDPP_TEST_KILL_AFTER_FIRST_WRITE=N ends the program with SIGKILL
// (as kill -9 would) right after the first file written at step N, to check what a crash
// between the writes leaves behind.
void kill_point_for_tests(std::int64_t step) {
    const char* value = std::getenv("LUCIDPP_TEST_KILL_AFTER_FIRST_WRITE");
    if (value != nullptr && std::to_string(step) == value) std::raise(SIGKILL);
}

}  // namespace

nlohmann::ordered_json evaluation_record(const training::Evaluation& e) {
    return {{"step", e.step},
            {"train_loss", io::float_to_json(e.train_loss)},
            {"test_loss", io::float_to_json(e.test_loss)},
            {"metric", io::float_to_json(e.metric)},
            {"solved", e.solved},
            {"seconds", e.seconds},
            {"skipped_steps", e.skipped_steps}};
}

void write_config(const training::RunFolder& folder, const training::TrainConfig& config,
                  int world_size) {
    nlohmann::ordered_json json = training::to_json(config);
    if (world_size > 1) json["world_size"] = world_size;
    folder.write("config.json", json.dump(2) + "\n");
}

void write_progress(const training::RunFolder& folder, training::Trainer& trainer) {
    // The checkpoint first: metrics.jsonl and loss.svg are made from its history, so a crash or
    // a failed write between the files leaves them behind the checkpoint (the next write, or
    // --resume, rebuilds them), never ahead of it or without it.
    training::save_checkpoint(trainer, folder.checkpoint_path());
    kill_point_for_tests(trainer.steps_done());
    std::vector<nlohmann::ordered_json> records;
    for (const training::Evaluation& e : trainer.history()) records.push_back(evaluation_record(e));
    training::MetricsLog(folder.metrics_path()).rewrite(records);
    folder.write("loss.svg",
                 training::loss_plot_svg(trainer.config(), trainer.task(), trainer.history()));
}

}  // namespace lucid::cli
