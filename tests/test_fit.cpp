// training::fit and the pieces it is built from: the loss falls, the run folder holds what the
// records say, resuming is bit-exact, a bad checkpoint changes nothing, hooks run in order.
#include <cmath>
#include <fstream>

#include "io_helpers.hpp"
#include "lucidpp/train/fit.hpp"
#include "lucidpp/train/model_checkpoint.hpp"

using namespace lucid;
using lucid::testing::error_of;
using lucid::testing::snapshot;
using lucid::testing::TempDir;

namespace {

struct Net : nn::Module {
    nn::Linear hidden{3, 16};
    nn::Dropout dropout{0.2};
    nn::Linear out{16, 1};
    Net() {
        register_module("hidden", hidden);
        register_module("dropout", dropout);
        register_module("out", out);
    }
    Tensor forward(const Tensor& x) { return out(dropout(tanh(hidden(x)))); }
};

// y = x0 - 2 x1 + 0.5 x2, 40 examples: 5 batches of 8 an epoch.
struct Setup {
    Tensor x, y;
    data::TensorDataset dataset;
    Generator shuffle;
    data::DataLoader<std::vector<Tensor>> loader;
    data::TensorDataset validation_set;
    data::DataLoader<std::vector<Tensor>> validation;
    Net model;
    optim::Adam optimizer;
    optim::StepLR scheduler;

    explicit Setup(std::uint64_t init_seed)
        : x(randn({40, 3}, float32, &data_generator())),
          y(matmul(x, tensor({1.f, -2.f, 0.5f}).reshape({3, 1}))),
          dataset({x, y}),
          shuffle(3),
          loader(dataset, {.batch_size = 8, .shuffle = true, .generator = &shuffle}),
          validation_set({x.slice(0, 0, 16), y.slice(0, 0, 16)}),
          validation(validation_set, {.batch_size = 8}),
          model((manual_seed(init_seed), Net())),
          optimizer(model.parameters(), {.lr = 0.02}),
          scheduler(optimizer, 4, 0.5) {}

    static Generator& data_generator() {
        static Generator generator(1);
        generator.manual_seed(1);
        return generator;
    }

    Tensor loss(const std::vector<Tensor>& batch) {
        return nn::functional::mse_loss(model.forward(batch[0]), batch[1]);
    }

    training::FitHistory fit(training::FitOptions options) {
        options.scheduler = &scheduler;
        options.generator = &shuffle;
        options.progress = false;
        return training::fit(
            model, optimizer, loader,
            [this](const std::vector<Tensor>& batch) { return loss(batch); }, options, &validation);
    }
};

}  // namespace

TEST_SUITE("fit") {
    TEST_CASE("fit lowers the loss and records step 0, every eval_every steps and the last step") {
        Setup s(0);
        std::int64_t steps_seen = 0, backwards = 0;
        training::FitOptions options{.epochs = 4, .eval_every = 6};
        options.on_step = [&](const training::StepInfo& info) {
            ++steps_seen;
            CHECK(info.step == steps_seen);
            CHECK(info.batch == (info.step - 1) % 5 + 1);
            CHECK(info.epoch == (info.step - 1) / 5);
            CHECK(std::isfinite(info.loss));
        };
        options.after_backward = [&] {
            ++backwards;
            // The gradients exist, and the optimizer has not stepped yet.
            CHECK(s.model.hidden.weight.grad().defined());
        };
        const training::FitHistory history = s.fit(options);
        CHECK(history.steps == 20);
        CHECK(history.epochs == 4);
        CHECK(steps_seen == 20);
        CHECK(backwards == 20);
        std::vector<std::int64_t> steps;
        for (const training::FitRecord& r : history.records) steps.push_back(r.step);
        CHECK(steps == std::vector<std::int64_t>{0, 6, 12, 18, 20});
        CHECK(std::isnan(history.records[0].train_loss));
        CHECK(history.records.back().validation_loss < 0.5 * history.records[0].validation_loss);
        CHECK(history.records.back().train_loss < history.records[1].train_loss);
        // StepLR(4, 0.5) stepped 20 times: lr 0.02 * 0.5^5.
        CHECK(history.records.back().lr == doctest::Approx(0.02 / 32));
        CHECK(s.model.is_training());
    }

    TEST_CASE("fit writes metrics.jsonl, loss.svg and checkpoint.json into the run folder") {
        TempDir dir;
        Setup s(0);
        const training::FitHistory history =
            s.fit({.epochs = 2, .run_folder = dir.path.string(), .loss_unit = "MSE"});
        const training::RunFolder folder(dir.path.string());
        const auto lines = training::MetricsLog::read(folder.metrics_path());
        REQUIRE(lines.size() == 3);  // step 0 and the end of each epoch
        for (std::size_t i = 0; i < lines.size(); ++i) {
            std::vector<std::string> keys;
            for (const auto& [key, value] : lines[i].items()) keys.push_back(key);
            CHECK(keys == std::vector<std::string>{"epoch", "lr", "seconds", "step", "train_loss",
                                                   "validation_loss"});
            CHECK(lines[i]["step"] == history.records[i].step);
            CHECK(lines[i]["validation_loss"].get<double>() == history.records[i].validation_loss);
        }
        CHECK(lines[0]["train_loss"] == "nan");
        CHECK(lines[2]["step"] == 10);
        const std::string svg = io::read_file(folder.plot_path());
        CHECK(svg.find("viewBox") != std::string::npos);
        CHECK(svg.find("loss (MSE)") != std::string::npos);
        const auto checkpoint = lucid::testing::read_json_file(folder.checkpoint_path());
        CHECK(checkpoint["format"] == "lucidpp.model_checkpoint");
        CHECK(checkpoint["step"] == 10);
        CHECK(checkpoint["epoch"] == 1);
        CHECK(checkpoint["batch_in_epoch"] == 5);
        CHECK(checkpoint["extra"]["fit"]["records"].size() == 3);
    }

    TEST_CASE("fit resumed from its checkpoint ends bit for bit where a straight run ends") {
        // 14 steps straight, against 7 (mid-epoch), a checkpoint, fresh objects and 7 more; with
        // shuffling, dropout, Adam and a StepLR schedule.
        Setup straight(0);
        straight.fit({.epochs = 4, .max_steps = 14, .eval_every = 3});

        TempDir dir;
        {
            Setup first(0);
            first.fit({.epochs = 4,
                       .max_steps = 7,
                       .eval_every = 3,
                       .run_folder = dir.path.string(),
                       .resume = true});
        }
        // Noise between the runs: other weights, another default stream, another shuffle stream.
        randn({100});
        Setup second(42);
        second.shuffle.manual_seed(99);
        CHECK(snapshot(second.model) != snapshot(straight.model));
        const training::FitHistory history = second.fit({.epochs = 4,
                                                         .max_steps = 14,
                                                         .eval_every = 3,
                                                         .run_folder = dir.path.string(),
                                                         .resume = true});
        CHECK(history.steps == 14);
        CHECK(snapshot(second.model) == snapshot(straight.model));
        CHECK(second.optimizer.state_dict() == straight.optimizer.state_dict());
        CHECK(second.scheduler.state_dict() == straight.scheduler.state_dict());
        CHECK(second.shuffle.state() == straight.shuffle.state());
        CHECK(default_generator().state() == [] {
            Setup again(0);
            again.fit({.epochs = 4, .max_steps = 14, .eval_every = 3});
            return default_generator().state();
        }());
        std::vector<std::int64_t> steps;
        for (const training::FitRecord& r : history.records) steps.push_back(r.step);
        CHECK(steps == std::vector<std::int64_t>{0, 3, 6, 7, 9, 12, 14});
        // metrics.jsonl holds each record once: the resumed run rewrote it from the checkpoint.
        CHECK(training::MetricsLog::read(training::RunFolder(dir.path.string()).metrics_path())
                  .size() == steps.size());
    }

    TEST_CASE("fit on a process that is not the main one writes nothing") {
        TempDir dir;
        const std::string folder = (dir.path / "run").string();
        Setup s(0);
        const training::FitHistory history =
            s.fit({.epochs = 1, .run_folder = folder, .main_process = false});
        CHECK(history.steps == 5);
        CHECK(!std::filesystem::exists(folder));
    }

    TEST_CASE("fit rejects options it cannot honour") {
        Setup s(0);
        CHECK(error_of([&] { s.fit({.epochs = -1}); }) == "fit: epochs must be >= 0, got -1");
        CHECK(error_of([&] { s.fit({.resume = true}); }) ==
              "fit: resume needs a run_folder to resume from");
    }

    TEST_CASE("save_checkpoint and load_checkpoint round-trip, and a bad file changes nothing") {
        TempDir dir;
        const std::string path = dir.file("checkpoint.json");
        Setup s(0);
        s.fit({.epochs = 1});
        training::TrainingState state{.step = 5, .epoch = 1, .batch_in_epoch = 0};
        state.generators["noise"] = Generator(5).state();
        state.extra = {{"best", 0.25}};
        training::save_checkpoint(path, s.model, s.optimizer, &s.scheduler, state);

        Setup t(9);
        const training::TrainingState loaded =
            training::load_checkpoint(path, t.model, t.optimizer, &t.scheduler);
        CHECK(loaded.step == 5);
        CHECK(loaded.epoch == 1);
        CHECK(loaded.generators.at("noise") == Generator(5).state());
        CHECK(!loaded.generators.contains("default"));
        CHECK(loaded.extra["best"] == 0.25);
        CHECK(snapshot(t.model) == snapshot(s.model));
        CHECK(t.optimizer.state_dict() == s.optimizer.state_dict());
        CHECK(t.scheduler.state_dict() == s.scheduler.state_dict());

        Setup u(11);
        const auto before = snapshot(u.model);
        const auto optimizer_before = u.optimizer.state_dict();
        const std::string rng_before = default_generator().state();
        auto unchanged = [&] {
            CHECK(snapshot(u.model) == before);
            CHECK(u.optimizer.state_dict() == optimizer_before);
            CHECK(default_generator().state() == rng_before);
        };
        // No scheduler given for a checkpoint that holds one.
        CHECK(error_of([&] {
                  training::load_checkpoint(path, u.model, u.optimizer, nullptr);
              }).find("scheduler: the checkpoint holds a scheduler's state") != std::string::npos);
        unchanged();
        // A truncated file.
        const std::string text = io::read_file(path);
        io::write_file_atomically(dir.file("cut.json"), text.substr(0, text.size() / 2));
        CHECK(error_of([&] {
                  training::load_checkpoint(dir.file("cut.json"), u.model, u.optimizer,
                                            &u.scheduler);
              }).find("cut.json") != std::string::npos);
        unchanged();
        // A model of other shapes: the optimizer would load, the model refuses; nothing changes.
        auto document = lucid::testing::read_json_file(path);
        document["model"]["tensors"].erase(document["model"]["tensors"].begin());
        io::write_file_atomically(dir.file("shapes.json"), document.dump());
        CHECK(error_of([&] {
                  training::load_checkpoint(dir.file("shapes.json"), u.model, u.optimizer,
                                            &u.scheduler);
              }).find("shapes.json") != std::string::npos);
        unchanged();
        // A bad random stream is found before anything loads.
        document = lucid::testing::read_json_file(path);
        document["rng"]["default"] = "not a state";
        io::write_file_atomically(dir.file("rng.json"), document.dump());
        CHECK(error_of([&] {
                  training::load_checkpoint(dir.file("rng.json"), u.model, u.optimizer,
                                            &u.scheduler);
              }).find("rng/default") != std::string::npos);
        unchanged();
    }

    TEST_CASE("evaluate is the mean batch loss, under no_grad and in eval mode, mode restored") {
        Setup s(0);
        s.model.train();
        bool recorded = true, training = true;
        const double loss =
            training::evaluate(s.model, s.validation, [&](const std::vector<Tensor>& b) {
                recorded = GradMode::is_enabled();
                training = s.model.dropout.is_training();
                return s.loss(b);
            });
        CHECK(!recorded);
        CHECK(!training);
        CHECK(s.model.is_training());
        s.model.eval();
        NoGradGuard no_grad;
        const double first = s.loss({s.x.slice(0, 0, 8), s.y.slice(0, 0, 8)}).item<double>();
        const double second = s.loss({s.x.slice(0, 8, 16), s.y.slice(0, 8, 16)}).item<double>();
        CHECK(loss == doctest::Approx((first + second) / 2).epsilon(1e-12));
    }

    TEST_CASE("MetricsLog appends one line per record and rewrites atomically") {
        TempDir dir;
        const training::MetricsLog log(dir.file("metrics.jsonl"));
        log.append({{"step", 0}, {"loss", "nan"}});
        log.append({{"step", 5}, {"loss", 1.5}});
        CHECK(io::read_file(log.path()) ==
              "{\"step\":0,\"loss\":\"nan\"}\n{\"step\":5,\"loss\":1.5}\n");
        log.rewrite({{{"step", 0}}});
        CHECK(training::MetricsLog::read(log.path()).size() == 1);
        io::write_file_atomically(log.path(), "{\"step\":0}\n{\"step\":\n");
        CHECK(error_of([&] {
                  training::MetricsLog::read(log.path());
              }).find("metrics.jsonl: line 2") != std::string::npos);
    }

}  // TEST_SUITE("fit")
