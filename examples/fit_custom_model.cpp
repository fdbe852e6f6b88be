// Your own model and data with training::fit: a small network learns y = tanh(3 x0) + x1^2 - x0 x1
// from noisy samples. A TensorDataset and a shuffling DataLoader feed it; fit evaluates on a
// validation loader, shows a progress bar and writes the run folder (metrics.jsonl, loss.svg,
// checkpoint.json), from which a stopped run resumes bit for bit.
//   fit_custom_model [--out DIR] [--resume] [--epochs N]   (resume with the --epochs of the
//                              run: the cosine schedule was laid over them)
//   fit_custom_model --short   a quick check: 4 epochs stopped after 2, then resumed by a fresh
//                              model and optimizer; fails unless the validation loss falls
#include <fmt/format.h>

#include <unistd.h>

#include <filesystem>
#include <string>
#include <vector>

#include <lucidpp/lucid.hpp>

using namespace lucid;

struct Regressor : nn::Module {
    nn::Linear hidden{2, 64};
    nn::Linear out{64, 1};
    Regressor() {
        register_module("hidden", hidden);
        register_module("out", out);
    }
    Tensor forward(const Tensor& x) { return out(tanh(hidden(x))); }
};

// n points in [-1, 1)^2 and their noisy targets.
data::TensorDataset make_data(std::int64_t n, Generator& generator) {
    Tensor x = rand({n, 2}, float32, &generator) * 2.0 - 1.0;
    Tensor x0 = x.narrow(1, 0, 1), x1 = x.narrow(1, 1, 1);
    Tensor y = tanh(3.0 * x0) + x1.pow(2.0) - x0 * x1 + 0.05 * randn({n, 1}, float32, &generator);
    return data::TensorDataset({x, y});
}

// Everything is built afresh on every call, as a new process would; only the folder carries over.
training::FitHistory run(training::FitOptions options) {
    Generator data_generator(0);
    const data::TensorDataset train_set = make_data(512, data_generator);
    const data::TensorDataset validation_set = make_data(128, data_generator);
    Generator shuffle(1);
    data::DataLoader loader(train_set, {.batch_size = 32, .shuffle = true, .generator = &shuffle});
    data::DataLoader validation(validation_set, {.batch_size = 64});

    manual_seed(0);
    Regressor model;
    optim::Adam optimizer(model.parameters(), {.lr = 1e-2});
    optim::CosineAnnealingLR schedule(optimizer, options.epochs * loader.size());
    const auto loss_of = [&](const std::vector<Tensor>& batch) {
        return nn::functional::mse_loss(model.forward(batch[0]), batch[1]);
    };
    options.scheduler = &schedule;
    options.generator = &shuffle;  // saved in the checkpoint, so a resumed run draws the same
    options.title = "fit_custom_model";
    options.loss_unit = "MSE";
    return training::fit(model, optimizer, loader, loss_of, options, &validation);
}

int main(int argc, char** argv) {
    training::FitOptions options{.epochs = 40, .run_folder = "runs/fit_custom_model"};
    bool short_run = false;
    for (int i = 1; i < argc; ++i) {
        const std::string arg = argv[i];
        if (arg == "--short") short_run = true;
        if (arg == "--resume") options.resume = true;
        if (arg == "--out" && i + 1 < argc) options.run_folder = argv[++i];
        if (arg == "--epochs" && i + 1 < argc) options.epochs = std::stoll(argv[++i]);
    }
    if (!short_run) {
        const training::FitHistory history = run(options);
        fmt::print("validation MSE {:.4f} after {} steps; see {}/loss.svg\n",
                   history.records.back().validation_loss, history.steps, options.run_folder);
        return 0;
    }
    const auto folder = std::filesystem::temp_directory_path() /
                        fmt::format("lucidpp_fit_custom_model_{}", ::getpid());
    std::filesystem::remove_all(folder);
    options = {.epochs = 4, .max_steps = 32, .run_folder = folder.string(), .resume = true};
    const double start = run(options).records.front().validation_loss;  // stops after 2 epochs
    options.max_steps = 0;
    const training::FitHistory history = run(options);  // resumes from the checkpoint
    std::filesystem::remove_all(folder);
    const double end = history.records.back().validation_loss;
    fmt::print("validation MSE {:.4f} -> {:.4f} over {} steps (2 epochs, then 2 resumed)\n", start,
               end, history.steps);
    return history.steps == 64 && end < 0.5 * start ? 0 : 1;
}
