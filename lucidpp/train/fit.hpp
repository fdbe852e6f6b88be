#pragma once
// training::fit: the training loop of a user's own model, with what `lucidpp train` has: a progress
// bar, metrics.jsonl, loss.svg, an atomic checkpoint, and resuming bit for bit.
//
//   auto loss_of = [&](const std::vector<Tensor>& batch) {
//       return nn::functional::mse_loss(model.forward(batch[0]), batch[1]);
//   };
//   training::FitHistory history = training::fit(model, optimizer, loader, loss_of,
//                                          {.epochs = 20, .run_folder = "runs/line"});
//
// loss_fn(batch) returns a batch's scalar loss; it calls the model itself, so any model and any
// batch type fit. One step: zero_grad, loss.backward(), after_backward, clip_grad_norm_,
// optimizer.step(), scheduler->step(). Every eval_every steps (or every epoch), at step 0 and at
// the last step, fit evaluates: the mean training loss since the previous record, the validation
// loader's mean loss (training::evaluate, under NoGradGuard and in eval mode), a line of
// metrics.jsonl, the checkpoint and loss.svg in the run folder (fit_loop.hpp has every option).
//
// Resuming (resume = true with a run folder that holds a checkpoint.json) loads the model, the
// optimizer, the scheduler, the default generator (dropout), the loader's generator (options.
// generator) and the position, and carries on as if the run had not stopped: N steps straight
// and N/2 + resume + N/2 give bit-identical parameters. The loader must be built as before; fit
// draws the interrupted epoch's order again from its saved generator state and skips the batches
// already done. A loader that shuffles without options.generator resumes, but not bit for bit.
// Ctrl-C is left to the caller (the `lucidpp` program handles it in its own loop).
#include <limits>

#include "lucidpp/nn/module.hpp"
#include "lucidpp/optim/optimizer.hpp"
#include "lucidpp/train/evaluation.hpp"
#include "lucidpp/train/fit_loop.hpp"

namespace lucid::training {

template <class Loader, class LossFn, class ValidationLoader = Loader>
FitHistory fit(nn::Module& model, optim::Optimizer& optimizer, Loader& loader, LossFn&& loss_fn,
               const FitOptions& options = {}, ValidationLoader* validation = nullptr) {
    FitLoop loop(model, optimizer, options, loader.size(), validation != nullptr);
    if constexpr (requires { loader.sampler(); }) loop.check_sampler(loader.sampler());
    const auto validate = [&] {
        return validation != nullptr ? evaluate(model, *validation, loss_fn)
                                     : std::numeric_limits<double>::quiet_NaN();
    };
    if (loop.at_start()) loop.record(validate());
    model.train();
    while (!loop.finished()) {
        loop.begin_epoch();
        loader.set_epoch(loop.epoch());
        auto batch = loader.begin();
        for (std::int64_t done = 0; done < loop.batch_in_epoch() && batch != loader.end(); ++done)
            ++batch;
        for (; batch != loader.end() && !loop.finished(); ++batch) {
            loop.train_step(loss_fn(*batch));
            if (loop.evaluation_due()) loop.record(validate());
        }
        if (loop.batch_in_epoch() == loader.size()) loop.end_epoch();
    }
    return loop.history();
}

}  // namespace lucid::training
