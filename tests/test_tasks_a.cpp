// The adding problem, copy memory and sequential parity tasks: layout, determinism, metrics,
// losses and a short training run each.
#include <cmath>
#include <vector>

#include "helpers.hpp"
#include "lucidpp/optim/adam.hpp"
#include "lucidpp/optim/clip_grad.hpp"
#include "lucidpp/tasks/registry.hpp"
#include "lucidpp/train/sequence_model.hpp"

using namespace lucid;
using namespace lucid::tasks;
using lucid::training::SequenceModel;
using lucid::testing::error_of;

namespace {

bool same(const Tensor& a, const Tensor& b) {
    return a.shape() == b.shape() && a.dtype() == b.dtype() &&
           a.to_vector<double>() == b.to_vector<double>();
}

// The same seed gives the same test split and, from the same generator state, the same batch.
void check_determinism(const std::string& name) {
    auto a = make_task(name, 3), b = make_task(name, 3), c = make_task(name, 4);
    CHECK(same(a->test_set().inputs, b->test_set().inputs));
    CHECK(same(a->test_set().targets, b->test_set().targets));
    CHECK_FALSE(same(a->test_set().inputs, c->test_set().inputs));

    Generator g1(11), g2(11);
    Batch first = a->train_batch(8, g1), again = c->train_batch(8, g2);
    CHECK(same(first.inputs, again.inputs));  // the batch depends on the generator only
    CHECK(same(first.targets, again.targets));
    CHECK_FALSE(same(first.inputs, a->train_batch(8, g1).inputs));
    // A generator seeded like the task does not replay the test split.
    Generator g3(3);
    CHECK_FALSE(same(a->train_batch(8, g3).inputs, a->test_set().inputs.narrow(1, 0, 8)));
}

// Each step of a one-hot input has exactly one 1.
void check_one_hot(const Tensor& inputs) {
    const std::int64_t width = inputs.size(-1);
    std::vector<double> values = inputs.to_vector<double>();
    bool ok = true;
    for (std::size_t row = 0; row < values.size() / static_cast<std::size_t>(width); ++row) {
        double ones = 0.0;
        for (std::int64_t k = 0; k < width; ++k) {
            double v = values[row * static_cast<std::size_t>(width) + static_cast<std::size_t>(k)];
            ok = ok && (v == 0.0 || v == 1.0);
            ones += v;
        }
        ok = ok && ones == 1.0;
    }
    CHECK(ok);
}

// A few Adam steps on a small GRU, over fresh batches or over one batch again and again (the
// harder tasks learn nothing visible in so few steps, but a model can memorise one batch).
struct ShortRun {
    std::int64_t hidden = 16;
    double lr = 1e-2;
    std::int64_t steps = 30;
    std::int64_t batch_size = 32;
    bool one_batch = false;
    std::int64_t first_steps = 0;  // > 0: train on the first time steps of each sequence only
};

// Returns the untrained model's loss and the mean loss of the last five steps.
std::pair<double, double> short_training(const Task& task, const ShortRun& run) {
    manual_seed(0);
    TaskSpec spec = task.spec();
    SequenceModel model({.cell = "gru", .input_size = spec.input_size, .hidden_size = run.hidden,
                         .output_size = spec.output_size, .readout = spec.readout});
    std::vector<Tensor> params = model.parameters();
    optim::Adam adam(params, {.lr = run.lr});
    Generator generator(5);
    auto draw = [&] {
        Batch batch = task.train_batch(run.batch_size, generator);
        if (run.first_steps == 0) return batch;
        return Batch{batch.inputs.narrow(0, 0, run.first_steps),
                     batch.targets.narrow(0, 0, run.first_steps)};
    };
    Batch batch = draw();
    std::vector<double> losses;
    for (std::int64_t step = 0; step < run.steps; ++step) {
        if (!run.one_batch && step > 0) batch = draw();
        adam.zero_grad();
        Tensor loss = task.loss(model(batch.inputs), batch);
        loss.backward();
        optim::clip_grad_norm_(params, 1.0);
        adam.step();
        losses.push_back(loss.item<double>());
    }
    double last_five = 0.0;
    for (std::size_t i = losses.size() - 5; i < losses.size(); ++i) last_five += losses[i] / 5.0;
    return {losses.front(), last_five};
}

}  // namespace

TEST_CASE("adding: spec, metric and defaults") {
    auto task = make_task("adding");
    CHECK(task->name() == "adding");
    CHECK(default_task_name() == "adding");
    TaskSpec spec = task->spec();
    CHECK(spec.input_size == 2);
    CHECK(spec.output_size == 1);
    CHECK(spec.readout == Readout::last_step);
    CHECK(spec.target == Target::regression);
    Metric metric = task->metric();
    CHECK(metric.name == "mse");
    CHECK_FALSE(metric.higher_is_better);
    CHECK(metric.solved_at == 0.01);
    CHECK(metric.baseline == doctest::Approx(1.0 / 6.0));
    CHECK(task->defaults().model == "gru");
    CHECK(task->solved(0.009));
    CHECK_FALSE(task->solved(0.011));
}

TEST_CASE("adding: layout of a batch") {
    auto task = make_task("adding");
    Generator generator(1);
    Batch batch = task->train_batch(16, generator);
    CHECK(batch.inputs.shape() == Shape{100, 16, 2});  // the default length, T = 100
    CHECK(batch.inputs.dtype() == float32);
    CHECK(batch.targets.shape() == Shape{16, 1});
    CHECK(batch.targets.dtype() == float32);
    CHECK(task->test_set().inputs.shape() == Shape{100, 1000, 2});
    CHECK(task->test_set().targets.shape() == Shape{1000, 1});

    // Two markers per sequence, one in each half, and the target is the sum of what they mark.
    std::vector<double> x = batch.inputs.to_vector<double>();
    std::vector<double> y = batch.targets.to_vector<double>();
    for (std::size_t b = 0; b < 16; ++b) {
        int first_half = 0, second_half = 0;
        double sum = 0.0;
        bool in_range = true;
        for (std::size_t t = 0; t < 100; ++t) {
            const double value = x[(t * 16 + b) * 2], marker = x[(t * 16 + b) * 2 + 1];
            in_range = in_range && value >= 0.0 && value < 1.0 && (marker == 0.0 || marker == 1.0);
            if (marker == 1.0) {
                (t < 50 ? first_half : second_half) += 1;
                sum += value;
            }
        }
        CHECK(in_range);
        CHECK(first_half == 1);
        CHECK(second_half == 1);
        CHECK(y[b] == doctest::Approx(sum).epsilon(1e-6));
    }
}

TEST_CASE("adding: determinism") { check_determinism("adding"); }

TEST_CASE("adding: metric, baseline and loss") {
    auto task = make_task("adding", 2);
    const Batch& test = task->test_set();
    CHECK(task->evaluate(test.targets, test) == 0.0);
    CHECK(task->solved(task->evaluate(test.targets, test)));
    // Always predicting 1.0 scores Var(x_i + x_j) = 1/6, up to sampling noise (sd ~0.006).
    double baseline = task->evaluate(ones({1000, 1}), test);
    CHECK(baseline == doctest::Approx(task->metric().baseline).epsilon(0.15));
    CHECK_FALSE(task->solved(baseline));

    // (0 - 1)^2 and (1 - 0.5)^2: mean 0.625.
    Batch tiny{zeros({3, 2, 2}), tensor({1.0, 0.5}, {2, 1})};
    Tensor prediction = tensor({0.0, 1.0}, {2, 1});
    CHECK(task->loss(prediction, tiny).item<double>() == doctest::Approx(0.625));
    CHECK(task->evaluate(prediction, tiny) == doctest::Approx(0.625));
    CHECK(error_of([&] { task->evaluate(tensor({0.0, 1.0}, {2}), tiny); })
              .find("adding: prediction of shape (2) does not match the targets' shape (2, 1)") !=
          std::string::npos);
    Generator generator;
    CHECK(error_of([&] { task->train_batch(0, generator); }).find("batch_size must be positive") !=
          std::string::npos);
}

TEST_CASE("adding: a short training run lowers the loss") {
    auto task = make_task("adding");
    auto [before, after] = short_training(*task, {});
    CHECK(after < 0.5 * before);
}

TEST_CASE("copy_memory: spec, metric and layout") {
    auto task = make_task("copy_memory");
    CHECK(task->name() == "copy_memory");
    TaskSpec spec = task->spec();
    CHECK(spec.input_size == 10);  // blank, 8 symbols, delimiter
    CHECK(spec.output_size == 8);
    CHECK(spec.readout == Readout::every_step);
    CHECK(spec.target == Target::classes);
    Metric metric = task->metric();
    CHECK(metric.name == "accuracy");
    CHECK(metric.higher_is_better);
    CHECK(metric.solved_at == 0.99);
    CHECK(metric.baseline == 0.125);

    Generator generator(2);
    Batch batch = task->train_batch(4, generator);
    const std::int64_t T = batch.inputs.size(0);
    CHECK(batch.inputs.shape() == Shape{T, 4, 10});
    CHECK(batch.inputs.dtype() == float32);
    CHECK(batch.targets.shape() == Shape{T, 4});
    CHECK(batch.targets.dtype() == int64);
    check_one_hot(batch.inputs);

    // Tokens: symbols first, then blanks, one delimiter just before the last 5 steps, blanks.
    std::vector<std::int64_t> token = batch.inputs.argmax(-1).to_vector<std::int64_t>();
    std::vector<std::int64_t> target = batch.targets.to_vector<std::int64_t>();
    auto at = [&](const std::vector<std::int64_t>& v, std::int64_t t, std::int64_t b) {
        return v[static_cast<std::size_t>(t * 4 + b)];
    };
    for (std::int64_t b = 0; b < 4; ++b) {
        for (std::int64_t t = 0; t < T; ++t) {
            INFO("step ", t, " sequence ", b);
            if (t < 5) {
                CHECK(at(token, t, b) >= 1);
                CHECK(at(token, t, b) <= 8);
                CHECK(at(target, T - 5 + t, b) == at(token, t, b) - 1);  // recalled, shifted
            } else {
                CHECK(at(token, t, b) == (t == T - 6 ? 9 : 0));
            }
            if (t < T - 5) CHECK(at(target, t, b) == -100);
        }
    }
}

TEST_CASE("copy_memory: determinism") { check_determinism("copy_memory"); }

TEST_CASE("copy_memory: metric, baseline and loss") {
    auto task = make_task("copy_memory", 1);
    const Batch& test = task->test_set();
    const std::int64_t T = test.targets.size(0), B = test.targets.size(1);

    // Perfect logits: one-hot of the target where scored; where not, anything (here class 3).
    std::vector<std::int64_t> target = test.targets.to_vector<std::int64_t>();
    std::vector<double> logits(static_cast<std::size_t>(T * B * 8), 0.0);
    for (std::size_t i = 0; i < target.size(); ++i) {
        logits[i * 8 + static_cast<std::size_t>(target[i] == -100 ? 3 : target[i])] = 1.0;
    }
    Tensor perfect = tensor(logits, {T, B, 8});
    CHECK(task->evaluate(perfect, test) == 1.0);
    CHECK(task->solved(1.0));
    // Random logits guess right about 1/8 of the time (sd ~0.005 over 5000 recalls).
    Generator generator(9);
    double guess = task->evaluate(randn({T, B, 8}, float32, &generator), test);
    CHECK(guess == doctest::Approx(task->metric().baseline).epsilon(0.2));

    // Two steps, one sequence; only the second step is scored: -log softmax([0, ln 3, 0, ...])[1]
    // = log(3 + 7) - log 3.
    std::vector<double> tiny_logits(16, 0.0);
    tiny_logits[8 + 1] = std::log(3.0);
    Batch tiny{zeros({2, 1, 10}), tensor({-100.0, 1.0}, {2, 1}, int64)};
    Tensor prediction = tensor(tiny_logits, {2, 1, 8});
    CHECK(task->loss(prediction, tiny).item<double>() ==
          doctest::Approx(std::log(10.0) - std::log(3.0)));
    CHECK(task->evaluate(prediction, tiny) == 1.0);
    CHECK(error_of([&] { task->evaluate(zeros({2, 1, 7}), tiny); })
              .find("copy_memory: expected a prediction of shape (2, 1, 8), got (2, 1, 7)") !=
          std::string::npos);
}

TEST_CASE("copy_memory: a short training run lowers the loss") {
    auto task = make_task("copy_memory");
    auto [before, after] = short_training(
        *task, {.hidden = 32, .lr = 1e-2, .steps = 150, .batch_size = 8, .one_batch = true});
    CHECK(before == doctest::Approx(std::log(8.0)).epsilon(0.05));
    CHECK(after < 0.7 * before);
}

TEST_CASE("parity: spec, metric and layout") {
    auto task = make_task("parity");
    CHECK(task->name() == "parity");
    TaskSpec spec = task->spec();
    CHECK(spec.input_size == 2);
    CHECK(spec.output_size == 2);
    CHECK(spec.readout == Readout::every_step);
    CHECK(spec.target == Target::classes);
    Metric metric = task->metric();
    CHECK(metric.name == "accuracy");
    CHECK(metric.higher_is_better);
    CHECK(metric.solved_at == 0.99);
    CHECK(metric.baseline == 0.5);

    Generator generator(4);
    Batch batch = task->train_batch(8, generator);
    CHECK(batch.inputs.shape() == Shape{100, 8, 2});  // the default length, L = 100
    CHECK(batch.inputs.dtype() == float32);
    CHECK(batch.targets.shape() == Shape{100, 8});
    CHECK(batch.targets.dtype() == int64);
    check_one_hot(batch.inputs);
    // The target at step t is the xor of the bits so far: their count, mod 2.
    std::vector<double> bit = batch.inputs.select(2, 1).to_vector<double>();
    std::vector<std::int64_t> target = batch.targets.to_vector<std::int64_t>();
    bool running_parity = true;
    for (std::size_t b = 0; b < 8; ++b) {
        std::int64_t ones = 0;
        for (std::size_t t = 0; t < 100; ++t) {
            ones += static_cast<std::int64_t>(bit[t * 8 + b]);
            running_parity = running_parity && target[t * 8 + b] == ones % 2;
        }
    }
    CHECK(running_parity);
}

TEST_CASE("parity: determinism") { check_determinism("parity"); }

TEST_CASE("parity: metric, baseline and loss") {
    auto task = make_task("parity", 5);
    const Batch& test = task->test_set();
    Tensor target = test.targets.to(float32);
    Tensor perfect = stack({1.0 - target, target}, 2);  // logits favouring the right class
    CHECK(task->evaluate(perfect, test) == 1.0);
    // Only the last step counts: wrong answers before it change nothing.
    Tensor late = cat({stack({target, 1.0 - target}, 2).narrow(0, 0, 99),
                       perfect.narrow(0, 99, 1)});
    CHECK(task->evaluate(late, test) == 1.0);
    // Always answering 0 is right on the even strings, about half (sd ~0.016).
    double constant = task->evaluate(tensor({1.0, 0.0}, {1, 1, 2}).expand({100, 1000, 2}), test);
    CHECK(constant == doctest::Approx(0.5).epsilon(0.1));
    CHECK_FALSE(task->solved(constant));

    // Two steps, two strings, all four answers scored. Logits (0, 0) cost ln 2 whatever the
    // class; (ln 3, 0) costs ln(4/3) on class 0 and ln 4 on class 1.
    Batch tiny{zeros({2, 2, 2}), tensor({0.0, 1.0, 0.0, 1.0}, {2, 2}, int64)};
    Tensor prediction = tensor({0.0, 0.0, 0.0, 0.0, std::log(3.0), 0.0, std::log(3.0), 0.0},
                               {2, 2, 2});
    CHECK(task->loss(prediction, tiny).item<double>() ==
          doctest::Approx((2 * std::log(2.0) + std::log(4.0 / 3.0) + std::log(4.0)) / 4));
    CHECK(task->evaluate(prediction, tiny) == 0.5);  // last step: right on string 0 only
    CHECK(error_of([&] { task->evaluate(zeros({2, 2, 3}), tiny); })
              .find("parity: expected a prediction of shape (2, 2, 2), got (2, 2, 3)") !=
          std::string::npos);
}

TEST_CASE("parity: a short training run lowers the loss") {
    auto task = make_task("parity");
    // The first 10 bits of each string are a running parity task of their own.
    auto [before, after] =
        short_training(*task, {.hidden = 32, .lr = 3e-2, .steps = 100, .first_steps = 10});
    CHECK(before == doctest::Approx(std::log(2.0)).epsilon(0.05));
    CHECK(after < 0.5 * before);
}
