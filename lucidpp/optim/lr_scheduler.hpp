#pragma once
// LRScheduler: the base of the epoch-based learning rate schedulers, as PyTorch 1.13's
// torch.optim.lr_scheduler._LRScheduler.
//
// A scheduler writes the `lr` of each of its optimizer's parameter groups. It counts epochs in
// last_epoch: construction performs the initial step (last_epoch 0), which sets the lr of
// epoch 0, and every step() advances one epoch. Call it after optimizer.step():
//
//   optim::SGD sgd(model.parameters(), {.lr = 0.1});
//   optim::StepLR schedule(sgd, /*step_size=*/30, /*gamma=*/0.1);
//   for (int epoch = 0; epoch < 100; ++epoch) {
//       train_one_epoch(sgd);
//       schedule.step();
//   }
//
// The schedulers use PyTorch's recursive ("chainable") formulas, each epoch's lr computed from
// the group's current lr, so that the numbers match PyTorch's to the last bit and an lr set by
// hand or by another scheduler is carried along. The first scheduler records each group's
// starting lr as its initial_lr; base_lrs() are those.
//
// A scheduler refers to its optimizer, which must outlive it.
#include <nlohmann/json_fwd.hpp>

#include <cstdint>
#include <string>
#include <vector>

#include "lucidpp/optim/optimizer.hpp"

namespace lucid::optim {

class LRScheduler {
public:
    virtual ~LRScheduler() = default;
    LRScheduler(const LRScheduler&) = delete;
    LRScheduler& operator=(const LRScheduler&) = delete;

    // Advances one epoch and writes the new lr into every group.
    void step();
    // The lr of each group after the last step (or construction).
    const std::vector<double>& get_last_lr() const { return last_lr_; }
    std::int64_t last_epoch() const { return last_epoch_; }
    const std::vector<double>& base_lrs() const { return base_lrs_; }

    // {"base_lrs", "last_epoch", "_step_count", "_last_lr", and the scheduler's own options}
    // under PyTorch's names. load_state_dict restores all of them (not the optimizer's lr, which
    // the optimizer's own state_dict holds); it checks everything and changes nothing when it
    // throws.
    nlohmann::json state_dict() const;
    void load_state_dict(const nlohmann::json& state_dict);

    virtual std::string name() const = 0;

protected:
    explicit LRScheduler(Optimizer& optimizer);
    // The derived constructor's last line: PyTorch's _initial_step (the step to epoch 0).
    void initial_step() { step(); }

    // The lr of every group at last_epoch(), from the groups' current lr (chainable form).
    virtual std::vector<double> get_lr() const = 0;
    virtual nlohmann::json options_to_json() const = 0;
    // Parses the scheduler's own options from a state_dict and adopts them; throws first.
    virtual void load_options(const nlohmann::json& state_dict, const std::string& where) = 0;

    double group_lr(std::size_t group) const { return optimizer_.param_groups()[group].lr; }
    std::size_t num_groups() const { return optimizer_.param_groups().size(); }

private:
    Optimizer& optimizer_;
    std::vector<double> base_lrs_;
    std::int64_t last_epoch_ = -1;
    std::int64_t step_count_ = 0;
    std::vector<double> last_lr_;
};

}  // namespace lucid::optim
