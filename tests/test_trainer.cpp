// The training loop and its checkpoints: resuming is bit-exact, bad checkpoints change nothing.
#include <cmath>
#include <filesystem>
#include <fstream>

#include "helpers.hpp"
#include "lucidpp/autograd/grad_mode.hpp"
#include "lucidpp/train/checkpoint.hpp"
#include "lucidpp/train/trainer.hpp"

using namespace lucid;
using lucid::testing::error_of;
using training::TrainConfig;
using training::Trainer;

// The model stores its options once, read-only (an options field it ignored could be set).
static_assert(lucid::testing::read_only_options<training::SequenceModel, training::SequenceModelOptions>);

namespace {

TrainConfig small_config(const std::string& model = "gru", double dropout = 0.0) {
    TrainConfig config = TrainConfig::defaults_for("adding");
    config.seed = 7;
    config.hyper.model = model;
    config.hyper.hidden = 8;
    config.hyper.layers = dropout > 0 ? 2 : 1;
    config.hyper.dropout = dropout;
    config.hyper.batch_size = 4;
    config.hyper.steps = 10;
    config.hyper.eval_every = 5;
    return config;
}

std::vector<std::vector<float>> parameters_of(Trainer& trainer) {
    std::vector<std::vector<float>> values;
    for (const Tensor& p : trainer.model().parameters()) values.push_back(p.to_vector<float>());
    return values;
}

}  // namespace

TEST_CASE("training N steps, saving and resuming for M gives exactly N + M steps") {
    for (auto [model, dropout, scheduler] : {std::tuple{"gru", 0.0, "none"}, std::tuple{"lstm", 0.3, "cosine"},
                                            std::tuple{"rnn", 0.0, "step"}}) {
        // INFO captures what it prints, and clang 14 cannot capture a structured binding.
        const std::string run =
            fmt::format("{} dropout {} scheduler {}", model, dropout, scheduler);
        INFO(run);
        TrainConfig config = small_config(model, dropout);
        config.scheduler = scheduler;
        config.hyper.optimizer = std::string(model) == "rnn" ? "sgd" : "adam";

        Trainer straight(config);
        for (int i = 0; i < 10; ++i) straight.step();

        nlohmann::json saved;
        {
            Trainer first(config);
            for (int i = 0; i < 6; ++i) first.step();
            (void)first.evaluate();
            saved = first.checkpoint();
        }
        (void)randn({100});  // disturb the default generator: restore must bring it back
        Trainer resumed(config);
        resumed.restore(saved);
        CHECK(resumed.steps_done() == 6);
        CHECK(resumed.history().size() == 1);
        for (int i = 0; i < 4; ++i) resumed.step();
        CHECK(parameters_of(resumed) == parameters_of(straight));
    }
}

TEST_CASE("a bad or mismatched checkpoint gives a clear error and changes nothing") {
    TrainConfig config = small_config();
    Trainer trainer(config);
    trainer.step();
    nlohmann::json good = trainer.checkpoint();
    auto before = parameters_of(trainer);

    nlohmann::json wrong_format = good;
    wrong_format["format"] = "something.else";
    CHECK(error_of([&] { trainer.restore(wrong_format); }).find("not a lucidpp checkpoint") != std::string::npos);

    nlohmann::json missing = good;
    missing.erase("rng");
    CHECK(error_of([&] { trainer.restore(missing); }).find("missing or malformed") != std::string::npos);

    TrainConfig other = config;
    other.hyper.hidden = 9;
    Trainer bigger(other);
    CHECK(error_of([&] { trainer.restore(bigger.checkpoint()); }).find("hidden = 9") != std::string::npos);

    nlohmann::json bad_optimizer = good;
    bad_optimizer["optimizer"] = nlohmann::json::object();
    CHECK_FALSE(error_of([&] { trainer.restore(bad_optimizer); }).empty());
    CHECK(parameters_of(trainer) == before);
    CHECK(trainer.steps_done() == 1);
}

TEST_CASE("checkpoint files: atomic write, read back, truncated file") {
    auto dir = std::filesystem::temp_directory_path() / "lucidpp_test_trainer";
    std::filesystem::create_directories(dir);
    std::string path = (dir / "checkpoint.json").string();
    Trainer trainer(small_config());
    trainer.step();
    training::save_checkpoint(trainer, path);
    nlohmann::json back = training::read_checkpoint(path);
    CHECK(back["step"] == 1);
    CHECK(back["format"] == "lucidpp.checkpoint");

    std::string text;
    {
        std::ifstream in(path);
        text.assign(std::istreambuf_iterator<char>(in), {});
    }
    {
        std::ofstream out(path, std::ios::trunc);
        out << text.substr(0, text.size() / 2);
    }
    CHECK(error_of([&] { training::read_checkpoint(path); }).find("truncated or not valid JSON") != std::string::npos);
    CHECK_FALSE(error_of([&] { training::read_checkpoint((dir / "nope.json").string()); }).empty());
    std::filesystem::remove_all(dir);
}

TEST_CASE("configs: defaults, overrides, and errors that name the key") {
    TrainConfig base = TrainConfig::defaults_for("adding");
    TrainConfig c = training::config_from_json(nlohmann::json{{"hidden", 16}, {"model", "lstm"}}, base);
    CHECK(c.hyper.hidden == 16);
    CHECK(c.hyper.model == "lstm");
    CHECK(c.hyper.lr == base.hyper.lr);
    CHECK(training::config_from_json(training::to_json(c), base).hyper.hidden == 16);
    CHECK(error_of([&] { training::config_from_json(nlohmann::json{{"hiden", 3}}, base); })
              .find("unknown key 'hiden'") != std::string::npos);
    CHECK(error_of([&] { training::config_from_json(nlohmann::json{{"lr", "fast"}}, base); })
              .find("'lr' has the wrong type") != std::string::npos);
    CHECK(error_of([&] { training::config_from_json(nlohmann::json{{"model", "transformer"}}, base); })
              .find("model must be rnn, gru or lstm") != std::string::npos);
}

TEST_CASE("evaluation reports the test loss and metric, and training lowers the loss") {
    TrainConfig config = small_config();
    config.hyper.hidden = 16;
    config.hyper.batch_size = 16;
    Trainer trainer(config);
    training::Evaluation first = trainer.evaluate();
    for (int i = 0; i < 60; ++i) trainer.step();
    training::Evaluation later = trainer.evaluate();
    CHECK(later.step == 60);
    CHECK(later.test_loss < first.test_loss);
    CHECK(later.metric == doctest::Approx(later.test_loss));  // the adding task's metric is its MSE
}

namespace {

// Sets every parameter whose name starts with `prefix` (e.g. "head.weight") to `value`.
void set_parameters(Trainer& trainer, const std::string& prefix, double value) {
    NoGradGuard no_grad;
    for (auto& [name, p] : trainer.model().named_parameters()) {
        if (name.rfind(prefix, 0) == 0) p.fill_(value);
    }
}

// A head so large that the next step's MSE overflows float32: the loss is inf.
void make_loss_infinite(Trainer& trainer) {
    set_parameters(trainer, "head.weight", 3e38);
}

// A finite loss (about 2.5e37) with infinite gradients: the recurrent layer outputs exactly 0,
// so the head's huge weights do not reach the loss, but the loss's gradient (about 2.5e18)
// times them overflows on its way back into the recurrent layer.
void make_gradient_infinite(Trainer& trainer) {
    set_parameters(trainer, "rnn.", 0.0);
    set_parameters(trainer, "head.weight", 3e38);
    set_parameters(trainer, "head.bias", 5e18);
}

}  // namespace

TEST_CASE("nonfinite stop: a step with an infinite loss throws before the optimizer step") {
    TrainConfig config = small_config();
    config.hyper.clip = 0.0;
    Trainer trainer(config);
    for (int i = 0; i < 3; ++i) trainer.step();
    make_loss_infinite(trainer);
    const auto before = parameters_of(trainer);
    const std::string optimizer_before = trainer.optimizer().state_dict().dump();

    CHECK_THROWS_AS(trainer.step(), training::NonFiniteError);
    CHECK(error_of([&] { trainer.step(); }).find("step 4: the loss is inf") != std::string::npos);
    CHECK(parameters_of(trainer) == before);  // every float, bit for bit (all finite)
    CHECK(trainer.optimizer().state_dict().dump() == optimizer_before);
    CHECK(trainer.steps_done() == 3);
    for (const Tensor& p : trainer.model().parameters()) CHECK_FALSE(p.grad().defined());
}

TEST_CASE("nonfinite stop: a finite loss with an infinite gradient norm is refused too") {
    for (double clip : {0.0, 1.0}) {
        INFO("clip ", clip);
        TrainConfig config = small_config();
        config.hyper.clip = clip;
        Trainer trainer(config);
        make_gradient_infinite(trainer);
        const auto before = parameters_of(trainer);
        const std::string message = error_of([&] { trainer.step(); });
        CHECK(message.find("step 1: the gradient norm is") != std::string::npos);
        CHECK(message.find("nonfinite = \"stop\"") != std::string::npos);
        CHECK(parameters_of(trainer) == before);
        CHECK(trainer.steps_done() == 0);
    }
}

TEST_CASE("nonfinite skip: the step is skipped, counted, and the scheduler still steps") {
    TrainConfig config = small_config();
    config.nonfinite = "skip";
    config.scheduler = "cosine";
    Trainer trainer(config);
    trainer.step();
    trainer.step();
    const double lr_before = trainer.optimizer().param_groups()[0].lr;
    make_loss_infinite(trainer);
    const auto before = parameters_of(trainer);
    const std::string optimizer_before = trainer.optimizer().state_dict().dump();

    CHECK(std::isinf(trainer.step()));
    CHECK(parameters_of(trainer) == before);
    CHECK(trainer.optimizer().state_dict()["state"].dump() ==
          nlohmann::json::parse(optimizer_before)["state"].dump());
    CHECK(trainer.steps_done() == 3);
    // As with PyTorch's GradScaler: optimizer.step() is skipped, scheduler.step() is not.
    CHECK(trainer.optimizer().param_groups()[0].lr < lr_before);

    const training::Evaluation e = trainer.evaluate();
    CHECK(e.skipped_steps == 1);
    CHECK(std::isfinite(e.train_loss));  // the mean of the two good steps
    trainer.step();                      // still infinite: skipped again
    const training::Evaluation next = trainer.evaluate();
    CHECK(next.skipped_steps == 1);
    CHECK(std::isnan(next.train_loss));  // no step left to average
}

TEST_CASE("nonfinite: the config key, its default and its check") {
    TrainConfig base = TrainConfig::defaults_for("adding");
    CHECK(base.nonfinite == "stop");
    CHECK(training::to_json(base)["nonfinite"] == "stop");
    CHECK(training::config_from_json(nlohmann::json{{"nonfinite", "skip"}}, base).nonfinite ==
          "skip");
    CHECK(error_of([&] {
              training::config_from_json(nlohmann::json{{"nonfinite", "ignore"}}, base);
          }).find("nonfinite must be stop or skip, got 'ignore'") != std::string::npos);
}

TEST_CASE("evaluating at step 0 draws nothing: the training that follows is the same") {
    // One trainer after the other: both draw dropout masks from the default generator.
    auto train = [](bool evaluate_first) {
        Trainer trainer(small_config("gru", 0.2));
        if (evaluate_first) {
            const training::Evaluation first = trainer.evaluate();
            CHECK(first.step == 0);
            CHECK(std::isnan(first.train_loss));
        }
        std::vector<double> losses;
        for (int i = 0; i < 4; ++i) losses.push_back(trainer.step());
        std::vector<std::vector<float>> weights;
        for (const auto& [name, tensor] : trainer.model().state_dict())
            weights.push_back(tensor.to_vector<float>());
        return std::pair(losses, weights);
    };
    CHECK(train(false) == train(true));
}
