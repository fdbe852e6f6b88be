#pragma once
// ReduceLROnPlateau: lowers the lr when a metric stops improving, as
// torch.optim.lr_scheduler.ReduceLROnPlateau (PyTorch 1.13).
//
// step(metric) is called once per epoch with the monitored value (a validation loss, say).
// The metric improves when it beats the best so far by more than the threshold:
//   "min", "rel": metric < best (1 - threshold)     "max", "rel": metric > best (1 + threshold)
//   "min", "abs": metric < best - threshold         "max", "abs": metric > best + threshold
// After more than `patience` epochs in a row without improvement, each group's lr becomes
// max(lr factor, min_lr) (unless that changes it by eps or less), the count restarts, and the
// next `cooldown` epochs are not counted.
//
//   optim::ReduceLROnPlateau plateau(adam, {.factor = 0.5, .patience = 3});
//   plateau.step(validation_loss);
#include <nlohmann/json_fwd.hpp>

#include <cstdint>
#include <string>
#include <vector>

#include "lucidpp/optim/optimizer.hpp"

namespace lucid::optim {

struct ReduceLROnPlateauOptions {
    std::string mode = "min";  // "min" or "max": whether a lower or a higher metric is better
    double factor = 0.1;       // new lr = lr * factor; must be < 1
    std::int64_t patience = 10;
    double threshold = 1e-4;
    std::string threshold_mode = "rel";  // "rel" or "abs"
    std::int64_t cooldown = 0;
    double min_lr = 0.0;
    std::vector<double> min_lrs = {};  // one per group; when given, replaces min_lr
    double eps = 1e-8;
};

class ReduceLROnPlateau {
public:
    explicit ReduceLROnPlateau(Optimizer& optimizer, const ReduceLROnPlateauOptions& options = {});
    ReduceLROnPlateau(const ReduceLROnPlateau&) = delete;
    ReduceLROnPlateau& operator=(const ReduceLROnPlateau&) = delete;

    void step(double metric);
    // The lr of each group after the last step (or at construction).
    const std::vector<double>& get_last_lr() const { return last_lr_; }

    double best() const { return best_; }
    std::int64_t num_bad_epochs() const { return num_bad_epochs_; }
    std::int64_t cooldown_counter() const { return cooldown_counter_; }
    std::int64_t last_epoch() const { return last_epoch_; }
    bool in_cooldown() const { return cooldown_counter_ > 0; }
    const ReduceLROnPlateauOptions& options() const { return options_; }

    // The options and counters under PyTorch's names (min_lrs per group; best as "inf" before
    // the first step). load_state_dict checks everything and changes nothing when it throws.
    nlohmann::json state_dict() const;
    void load_state_dict(const nlohmann::json& state_dict);

private:
    bool is_better(double metric) const;
    void reduce_lr();

    Optimizer& optimizer_;
    ReduceLROnPlateauOptions options_;  // min_lrs always filled, one per group
    double best_;
    std::int64_t num_bad_epochs_ = 0;
    std::int64_t cooldown_counter_ = 0;
    std::int64_t last_epoch_ = 0;
    std::vector<double> last_lr_;
};

}  // namespace lucid::optim
