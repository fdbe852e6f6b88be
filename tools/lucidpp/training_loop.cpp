#include "training_loop.hpp"

#include <spdlog/spdlog.h>

#include <filesystem>

#include "exit_codes.hpp"
#include "interrupt.hpp"
#include "lucidpp/distributed/collectives.hpp"
#include "lucidpp/distributed/process_group.hpp"
#include "lucidpp/tensor/creation.hpp"
#include "lucidpp/train/progress_bar.hpp"

namespace lucid::cli {

namespace {

// Off a terminal, one plain line per evaluation; on one, the progress bar shows the metric.
void report(training::ProgressBar& bar, const training::Trainer& trainer,
            const tasks::Metric& metric) {
    const std::vector<training::Evaluation>& history = trainer.history();
    const training::Evaluation& e = history.back();
    bar.set_metric(metric.name, e.metric);
    if (bar.live()) return;
    const training::Evaluation previous =
        history.size() > 1 ? history[history.size() - 2] : training::Evaluation{};
    const double seconds = e.seconds - previous.seconds;
    const double rate = seconds > 0 ? static_cast<double>(e.step - previous.step) / seconds : 0.0;
    const std::string speed = e.step > previous.step ? fmt::format("  ({:.1f} steps/s)", rate) : "";
    spdlog::info("step {}/{}  train_loss {:.4g}  test_loss {:.4g}  {} {:.4g}{}{}", e.step,
                 trainer.config().hyper.steps, e.train_loss, e.test_loss, metric.name, e.metric,
                 e.solved ? " (solved)" : "", speed);
}

// A step; under --nonfinite stop, a non-finite one ends the run with an error that says what
// the run folder still holds: the checkpoint of step `saved` (-1: none), never the refused step.
double step_or_explain(training::Trainer& trainer, const training::RunFolder& folder,
                       std::int64_t saved, training::ProgressBar& bar) {
    try {
        return trainer.step();
    } catch (const training::NonFiniteError& error) {
        bar.finish();
        throw Error(fmt::format(
            "{}; {}", error.what(),
            saved >= 0
                ? fmt::format("{} keeps the checkpoint of step {}", folder.checkpoint_path(), saved)
                : fmt::format("no checkpoint was written in {}", folder.directory())));
    }
}

// The signal that stops the run (0: none). In a job of several ranks mpirun passes Ctrl-C on
// to every rank, but each may see it at another step: the ranks agree on it after each step,
// so that all stop at the same one and none waits in a collective for a rank that left.
int agreed_interrupt() {
    namespace dist = lucid::distributed;
    if (!dist::is_initialized() || dist::world_size() == 1) return interrupt_signal();
    Tensor signal = tensor(std::vector<std::int64_t>{interrupt_signal()});
    dist::all_reduce(signal, dist::ReduceOp::max);
    return static_cast<int>(signal.item<std::int64_t>());
}

}  // namespace

bool finished(const training::Trainer& trainer) {
    const training::TrainConfig& config = trainer.config();
    if (trainer.steps_done() >= config.hyper.steps) return true;
    const auto& history = trainer.history();
    return config.stop_when_solved && !history.empty() && history.back().solved &&
           history.back().step == trainer.steps_done();
}

int run_training(training::Trainer& trainer, const training::RunFolder& folder,
                 bool main_process) {
    // Only the main process writes; the others keep the same state, in step with it.
    const auto save = [&] {
        if (main_process) write_progress(folder, trainer);
    };
    const training::TrainConfig& config = trainer.config();
    const tasks::Metric metric = trainer.task().metric();
    const std::int64_t total = config.hyper.steps;
    InterruptGuard interrupt_guard;
    training::ProgressBar bar(total, trainer.steps_done());
    std::int64_t saved_at = -1;
    // The step of the checkpoint on disk: a resumed session starts from one.
    std::int64_t on_disk =
        std::filesystem::exists(folder.checkpoint_path()) ? trainer.steps_done() : -1;

    // A fresh run evaluates and saves before its first step: the curves start at step 0, and the
    // folder holds a checkpoint from the start. (Evaluating draws no random numbers, so the
    // training that follows is the same as without it.)
    if (trainer.history().empty()) {
        trainer.evaluate();
        save();
        saved_at = on_disk = trainer.steps_done();
        report(bar, trainer, metric);
    }
    int stopped_by = 0;
    while (!finished(trainer) && (stopped_by = agreed_interrupt()) == 0) {
        const double loss = step_or_explain(trainer, folder, on_disk, bar);
        const std::int64_t step = trainer.steps_done();
        bar.update(step, loss);
        if (step % config.hyper.eval_every != 0 && step != total) continue;
        const training::Evaluation e = trainer.evaluate();
        save();
        saved_at = on_disk = step;
        report(bar, trainer, metric);
        if (e.solved && config.stop_when_solved) {
            bar.finish();
            spdlog::info("solved at step {}: {} {:.4g} is {} {:g}", step, metric.name, e.metric,
                         metric.higher_is_better ? ">=" : "<=", metric.solved_at);
        }
    }
    // Interrupted between evaluations (or nothing was left to do): save where we are.
    if (saved_at != trainer.steps_done()) save();
    bar.finish();
    if (const int signal = stopped_by; signal != 0) {
        spdlog::warn(
            "interrupted at step {}/{}; the run is saved in {}; continue it with: "
            "lucidpp train --resume --out {}",
            trainer.steps_done(), total, folder.directory(), folder.directory());
        return exit_signal_base + signal;
    }
    return exit_success;
}

}  // namespace lucid::cli
