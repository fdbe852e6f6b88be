// Checkpoints and configs are read field by field: every type and range is checked, errors read
// "<file>: <key>: <problem>", and a refused checkpoint changes nothing.
#include <cmath>
#include <limits>

#include "helpers.hpp"
#include "lucidpp/io/json_fields.hpp"
#include "lucidpp/optim/adam.hpp"
#include "lucidpp/train/checkpoint.hpp"
#include "lucidpp/train/trainer.hpp"

using namespace lucid;
using lucid::testing::error_of;
using nlohmann::json;
using training::TrainConfig;
using training::Trainer;

namespace {

TrainConfig small_config(const std::string& optimizer = "adam") {
    TrainConfig config = TrainConfig::defaults_for("adding");
    config.seed = 3;
    config.hyper.hidden = 6;
    config.hyper.batch_size = 4;
    config.hyper.steps = 10;
    config.hyper.eval_every = 5;
    config.hyper.optimizer = optimizer;
    return config;
}

std::vector<std::vector<float>> parameters_of(Trainer& trainer) {
    std::vector<std::vector<float>> values;
    for (const Tensor& p : trainer.model().parameters()) values.push_back(p.to_vector<float>());
    return values;
}

// Restoring `bad` into a trainer that has taken two steps fails with a message holding each of
// `parts`, and changes nothing.
void check_refused(const json& bad, std::initializer_list<std::string> parts) {
    Trainer trainer(small_config());
    trainer.step();
    trainer.step();
    const auto before = parameters_of(trainer);
    const json optimizer_before = trainer.optimizer().state_dict();
    const std::string message = error_of([&] { trainer.restore(bad, "ckpt.json"); });
    INFO("message: ", message);
    CHECK(message.rfind("ckpt.json: ", 0) == 0);
    for (const std::string& part : parts) CHECK(message.find(part) != std::string::npos);
    CHECK(parameters_of(trainer) == before);
    CHECK(trainer.optimizer().state_dict() == optimizer_before);
    CHECK(trainer.steps_done() == 2);
}

json good_checkpoint() {
    Trainer trainer(small_config());
    for (int i = 0; i < 3; ++i) trainer.step();
    trainer.evaluate();
    return json::parse(trainer.checkpoint().dump());
}

std::string config_error(const json& config) {
    return error_of(
        [&] { training::config_from_json(io::JsonField(config, "cfg.json"), small_config()); });
}

}  // namespace

TEST_CASE("a checkpoint with a field out of range or of the wrong type is refused") {
    const json good = good_checkpoint();
    json bad = good;
    bad["step"] = -7;
    check_refused(bad, {"step: must be an integer in [0, 10], got -7"});
    bad = good;
    bad["step"] = 11;  // beyond the config's steps
    check_refused(bad, {"step: must be an integer in [0, 10], got 11"});
    bad = good;
    bad["step"] = 1e30;
    check_refused(bad, {"step: must be an integer in [0, 10], got 1e+30"});
    bad = good;
    bad["loss_count"] = -3;
    check_refused(bad, {"loss_count: must be an integer in [0, 3], got -3"});
    bad = good;
    bad["version"] = 1.7;
    check_refused(bad, {"version: expected an integer, got 1.7"});
    bad = good;
    bad["version"] = 2;
    check_refused(bad, {"version: unsupported version 2"});
    bad = good;
    bad["seconds"] = "soon";
    check_refused(bad, {"seconds: expected a number, got \"soon\""});
    bad = good;
    bad["history"][0]["solved"] = 1;
    check_refused(bad, {"history/0/solved: expected true or false, got 1"});
    bad = good;
    bad["history"][0]["step"] = 4;  // later than the checkpoint's own step
    check_refused(bad, {"history/0/step: must be an integer in [0, 3], got 4"});
    bad = good;
    bad["rng"]["batches"] = "garbage";
    check_refused(bad, {"rng/batches: "});
    bad = good;
    bad["config"]["hidden"] = 3.7;
    check_refused(bad, {"config/hidden: expected an integer, got 3.7"});
    bad = good;
    bad["config"]["hidden"] = 9223372036854775807;
    check_refused(bad, {"config/hidden: must be an integer in [1, 65536]"});
    bad = good;
    bad["model"]["tensors"]["head.weight"]["data"][0] = "x";
    check_refused(bad, {"model: ", "tensor \"head.weight\": data[0] is \"x\""});
}

TEST_CASE("a checkpoint whose optimizer lost Adam's moments is refused") {
    const json good = good_checkpoint();
    json bad = good;
    bad["optimizer"]["state"].erase("3");  // the whole state of one parameter
    check_refused(bad,
                  {"optimizer/state: parameter 3 has no state, but the checkpoint is at step 3"});
    bad = good;
    bad["optimizer"]["state"]["3"].erase("exp_avg");
    check_refused(bad, {"optimizer: ", "exp_avg"});
    bad = good;
    bad["optimizer"]["state"]["3"]["exp_avg"]["shape"] = {1, 2};
    check_refused(bad, {"optimizer: ", "exp_avg has shape (1, 2)"});
}

TEST_CASE("NaN and infinity in the histories round-trip through a checkpoint") {
    Trainer trainer(small_config("sgd"));
    trainer.step();
    {
        NoGradGuard no_grad;
        for (Tensor& p : trainer.model().parameters()) p.fill_(std::nan(""));
    }
    const training::Evaluation evaluation = trainer.evaluate();
    REQUIRE(std::isnan(evaluation.test_loss));
    const std::string text = trainer.checkpoint().dump();  // as save_checkpoint writes it
    CHECK(text.find("\"test_loss\":\"nan\"") != std::string::npos);

    Trainer resumed(small_config("sgd"));
    resumed.restore(io::parse_json(text, "ckpt.json"), "ckpt.json");
    REQUIRE(resumed.history().size() == 1);
    CHECK(std::isnan(resumed.history()[0].test_loss));
    CHECK(std::isnan(resumed.history()[0].train_loss) == std::isnan(evaluation.train_loss));
    json infinite = json::parse(text);
    infinite["history"][0]["metric"] = "-inf";
    infinite["loss_sum"] = "inf";
    resumed.restore(infinite, "ckpt.json");
    CHECK(resumed.history()[0].metric == -std::numeric_limits<double>::infinity());
}

TEST_CASE("config values: exact integers in range, checked before any cast") {
    CHECK(config_error({{"seed", -1}}) == "cfg.json: seed: must not be negative, got -1");
    CHECK(config_error({{"hidden", 3.7}}) == "cfg.json: hidden: expected an integer, got 3.7");
    CHECK(config_error({{"steps", 1e30}}) ==
          "cfg.json: steps: must be an integer in [1, 1125899906842624], got 1e+30");
    CHECK(config_error({{"batch_size", std::int64_t{1} << 62}}) ==
          "cfg.json: batch_size: must be an integer in [1, 1048576], got 4611686018427387904");
    CHECK(config_error({{"hidden", 18446744073709551615ULL}}) ==
          "cfg.json: hidden: must be an integer in [1, 65536], got 18446744073709551615");
    CHECK(config_error({{"lr", 0}}) == "cfg.json: lr: lr must be positive, got 0");
    CHECK(config_error({{"stop_when_solved", "yes"}}) ==
          "cfg.json: stop_when_solved: 'stop_when_solved' has the wrong type: expected true or "
          "false, got \"yes\"");
    CHECK(config_error({{"task", "nosuch"}}).find("cfg.json: task: unknown task 'nosuch'") == 0);
    CHECK(config_error({{"hidden", 16384}, {"layers", 4}})
              .find("cfg.json: a gru of hidden size "
                    "16384 and 4 layer(s) would have") == 0);
    // A float that is an exact integer is one.
    CHECK(training::config_from_json(json{{"hidden", 12.0}, {"seed", 1e3}}, small_config())
              .hyper.hidden == 12);
    CHECK(
        training::config_from_json(json{{"seed", 18446744073709551615ULL}}, small_config()).seed ==
        18446744073709551615ULL);
}

TEST_CASE("check_config_value: the rules a flag's value goes through") {
    CHECK(error_of([] { training::check_config_value("lr", "inf"); }) ==
          "'lr' has the wrong type: expected a number, got \"inf\"");
    CHECK(error_of([] { training::check_config_value("hidden", 1e20); }) ==
          "must be an integer in [1, 65536], got 1e+20");
    CHECK_NOTHROW(training::check_config_value("hidden", 65536));
}

TEST_CASE("optimizer state: bad UTF-8 and integers beyond int64 are lucid::Error") {
    Tensor w = ones({2}).requires_grad_();
    optim::Adam adam({w});
    json bad = adam.state_dict();
    bad["param_groups"][0]["lr"] = "\xff";  // nlohmann's dump() would throw on it
    CHECK(error_of([&] {
              adam.load_state_dict(bad);
          }).find("param_groups[0].lr: expected a number") != std::string::npos);
    bad = adam.state_dict();
    bad["param_groups"][0]["params"] = {18446744073709551615ULL};
    CHECK(error_of([&] {
              adam.load_state_dict(bad);
          }).find("expected an integer, got 18446744073709551615") != std::string::npos);
}
