// The reber, mackey_glass and char_lm tasks: determinism, batch layout, the grammar and the
// series they generate, their metrics and losses on hand-made predictions, sampling, and a short
// training run per task whose loss falls.
#include <cmath>
#include <numbers>

#include "helpers.hpp"
#include "lucidpp/tasks/char_language_model.hpp"
#include "lucidpp/tasks/registry.hpp"
#include "lucidpp/train/sample_text.hpp"
#include "lucidpp/train/sequence_model.hpp"

using namespace lucid;
using namespace lucid::tasks;
using lucid::training::sample_text;
using lucid::training::SequenceModel;
using lucid::testing::check_values;
using lucid::testing::error_of;

namespace {

bool same(const Tensor& a, const Tensor& b) {
    return a.shape() == b.shape() && a.dtype() == b.dtype() &&
           a.to_vector<double>() == b.to_vector<double>();
}

void check_message(const std::string& message, const std::string& part) {
    INFO("message: ", message);
    CHECK(message.find(part) != std::string::npos);
}

// Plain SGD on a SequenceModel for `steps` steps; the mean loss of the first and last five.
std::pair<double, double> train(const Task& task, SequenceModel& model, std::int64_t steps,
                                double lr, std::int64_t batch_size) {
    Generator generator(11);
    std::vector<double> losses;
    for (std::int64_t step = 0; step < steps; ++step) {
        Batch batch = task.train_batch(batch_size, generator);
        for (Tensor& p : model.parameters()) p.zero_grad();
        Tensor loss = task.loss(model(batch.inputs), batch);
        loss.backward();
        NoGradGuard no_grad;
        for (Tensor& p : model.parameters()) p.add_(p.grad(), -lr);
        losses.push_back(loss.item());
    }
    auto mean_of = [](auto first, auto last) {
        double sum = 0.0;
        for (auto it = first; it != last; ++it) sum += *it;
        return sum / static_cast<double>(last - first);
    };
    return {mean_of(losses.begin(), losses.begin() + 5), mean_of(losses.end() - 5, losses.end())};
}

SequenceModel model_for(const Task& task, std::int64_t hidden) {
    TaskSpec spec = task.spec();
    manual_seed(3);
    return SequenceModel({.cell = "gru", .input_size = spec.input_size, .hidden_size = hidden,
                          .output_size = spec.output_size, .readout = spec.readout});
}

// ---- reber helpers ------------------------------------------------------------------------------

constexpr const char* reber_symbols = "BTPSXVE";

// The input string of column b (padding dropped) and each step's legal set as letters.
std::pair<std::string, std::vector<std::string>> reber_column(const Batch& batch, std::int64_t b) {
    const std::int64_t steps = batch.inputs.size(0);
    std::string text;
    std::vector<std::string> legal;
    for (std::int64_t t = 0; t < steps; ++t) {
        std::vector<float> in = batch.inputs.select(0, t).select(0, b).to_vector<float>();
        std::vector<float> out = batch.targets.select(0, t).select(0, b).to_vector<float>();
        std::string set;
        for (int s = 0; s < 7; ++s) {
            if (in[static_cast<std::size_t>(s)] == 1.0f) text += reber_symbols[s];
            if (out[static_cast<std::size_t>(s)] == 1.0f) set += reber_symbols[s];
        }
        if (!set.empty()) legal.push_back(set);
    }
    return {text, legal};
}

}  // namespace

TEST_SUITE("tasks_b") {

// ---- reber --------------------------------------------------------------------------------------

TEST_CASE("reber: spec, metric and the frequency baseline") {
    auto task = make_task("reber", 0);
    TaskSpec spec = task->spec();
    CHECK(spec.input_size == 7);
    CHECK(spec.output_size == 7);
    CHECK(spec.readout == Readout::every_step);
    CHECK(spec.target == Target::multi_label);
    Metric metric = task->metric();
    CHECK(metric.higher_is_better);
    CHECK(metric.solved_at == 0.99);
    CHECK(metric.baseline == 0.0);  // no single ranking fits both {T, P} and {B}
    CHECK(task->test_set().inputs.size(1) == 512);
}

namespace {

// Walks Reber's graph: true when `s`, from position `at`, is one Reber string B...E.
bool reber_string(const std::string& s, std::size_t& at) {
    // state -> {symbol, next state}; state 6 ends with E.
    static const std::vector<std::vector<std::pair<char, int>>> graph{
        {{'B', 1}}, {{'T', 2}, {'P', 3}}, {{'S', 2}, {'X', 4}}, {{'T', 3}, {'V', 5}},
        {{'X', 3}, {'S', 6}}, {{'P', 4}, {'V', 6}}, {{'E', 7}}};
    int state = 0;
    while (state != 7) {
        if (at >= s.size()) return false;
        int next = -1;
        for (auto [symbol, target] : graph[static_cast<std::size_t>(state)]) {
            if (s[at] == symbol) next = target;
        }
        if (next < 0) return false;
        state = next;
        ++at;
    }
    return true;
}

// B, then T or P, a Reber string, and the same T or P again (the final E is not an input).
bool embedded_reber_input(const std::string& s) {
    if (s.size() < 3 || s[0] != 'B' || (s[1] != 'T' && s[1] != 'P')) return false;
    std::size_t at = 2;
    return reber_string(s, at) && at + 1 == s.size() && s[at] == s[1];
}

}  // namespace

TEST_CASE("reber: every string is an embedded Reber string, with the right legal sets") {
    auto task = make_task("reber", 0);
    Generator generator(5);
    Batch batch = task->train_batch(64, generator);
    for (std::int64_t b = 0; b < 64; ++b) {
        auto [text, legal] = reber_column(batch, b);
        // INFO captures what it prints, and clang 14 cannot capture a structured binding.
        const std::string& string = text;
        INFO("string ", string);
        REQUIRE(embedded_reber_input(text));
        REQUIRE(legal.size() == text.size());
        CHECK(legal[0] == "TP");
        CHECK(legal[1] == "B");
        CHECK(legal[2] == "TP");
        CHECK(legal[legal.size() - 2] == std::string(1, text[1]));  // after the inner E
        CHECK(legal.back() == "E");
        for (std::size_t t = 0; t + 1 < text.size(); ++t) {
            CHECK(legal[t].find(text[t + 1]) != std::string::npos);  // the next symbol is legal
        }
    }
}

TEST_CASE("reber: legal sets inside the inner grammar follow its graph") {
    auto task = make_task("reber", 0);
    Generator generator(6);
    Batch batch = task->train_batch(64, generator);
    // The legal set after each inner symbol depends only on the node the walk reaches.
    for (std::int64_t b = 0; b < 64; ++b) {
        auto [text, legal] = reber_column(batch, b);
        const std::string walk = text.substr(3, text.size() - 5);  // the inner symbols after B
        int node = 0;
        const int next[5][2] = {{1, 2}, {1, 3}, {2, 4}, {2, 5}, {3, 5}};
        const char* edge[5] = {"TP", "SX", "TV", "XS", "PV"};
        const char* after[6] = {"TP", "SX", "TV", "SX", "PV", "E"};
        for (std::size_t i = 0; i < walk.size(); ++i) {
            const int choice = walk[i] == edge[node][0] ? 0 : 1;
            REQUIRE(walk[i] == edge[node][choice]);
            node = next[node][choice];
            std::string expected = after[node];
            std::sort(expected.begin(), expected.end(), [](char x, char y) {
                return std::string(reber_symbols).find(x) < std::string(reber_symbols).find(y);
            });
            CHECK(legal[3 + i] == expected);
        }
        CHECK(node == 5);
    }
}

TEST_CASE("reber: batch layout, padding and determinism") {
    auto a = make_task("reber", 7);
    auto b = make_task("reber", 7);
    auto c = make_task("reber", 8);
    CHECK(same(a->test_set().inputs, b->test_set().inputs));
    CHECK(same(a->test_set().targets, b->test_set().targets));
    CHECK_FALSE(same(a->test_set().inputs, c->test_set().inputs));

    Generator g1(42), g2(42);
    Batch x = a->train_batch(16, g1);
    Batch y = a->train_batch(16, g2);
    CHECK(same(x.inputs, y.inputs));
    CHECK(same(x.targets, y.targets));
    CHECK(x.inputs.dtype() == float32);
    CHECK(x.targets.dtype() == float32);
    CHECK(x.inputs.dim() == 3);
    CHECK(x.inputs.size(1) == 16);
    CHECK(x.inputs.size(2) == 7);
    CHECK(x.targets.shape() == x.inputs.shape());
    // One-hot on real steps, all zero on padding, and padding only at the end of a column.
    std::vector<float> per_step = x.inputs.sum(-1).to_vector<float>();
    std::vector<float> targets_per_step = x.targets.sum(-1).to_vector<float>();
    const std::int64_t steps = x.inputs.size(0);
    std::int64_t longest = 0;
    for (std::int64_t col = 0; col < 16; ++col) {
        std::int64_t length = 0;
        for (std::int64_t t = 0; t < steps; ++t) {
            const float real = per_step[static_cast<std::size_t>(t * 16 + col)];
            CHECK((real == 1.0f || real == 0.0f));
            if (real == 1.0f) {
                CHECK(length == t);
                ++length;
            }
            const float legal = targets_per_step[static_cast<std::size_t>(t * 16 + col)];
            if (real == 0.0f) CHECK(legal == 0.0f);
        }
        CHECK(length >= 8);  // BTBTXSETE without its E is the shortest
        longest = std::max(longest, length);
    }
    CHECK(longest == steps);
}

TEST_CASE("reber: the metric on hand-made predictions") {
    auto task = make_task("reber", 0);
    const Batch& test = task->test_set();
    Tensor perfect = test.targets * 10.0 - 5.0;
    CHECK(task->evaluate(perfect, test) == 1.0);
    CHECK(task->solved(task->evaluate(perfect, test)));
    // Padded steps are not scored, whatever the model says there.
    Tensor padding = 1.0 - test.inputs.sum(-1, true);
    CHECK(task->evaluate(perfect + padding * randn(test.targets.shape()) * 100.0, test) == 1.0);
    // One wrong step spoils its string: the first string's first step ranks B above T and P.
    Tensor wrong = perfect.clone();
    wrong.select(0, 0).select(0, 0).select(0, 0).fill_(9.0);
    CHECK(task->evaluate(wrong, test) == doctest::Approx(511.0 / 512.0));
    // A tie between a legal and an illegal symbol is not a correct ranking.
    Tensor tie = perfect.clone();
    tie.select(0, 0).select(0, 0).select(0, 0).fill_(5.0);
    CHECK(task->evaluate(tie, test) == doctest::Approx(511.0 / 512.0));
    // The same ranking at every step (here B first, then T, P) scores the baseline, 0.
    Tensor constant = tensor({7, 6, 5, 4, 3, 2, 1}, float32).expand(test.targets.shape());
    CHECK(task->evaluate(constant, test) == task->metric().baseline);
    check_message(error_of([&] { task->evaluate(zeros({2, 3, 7}), test); }),
                  "reber: prediction of shape (2, 3, 7) does not match targets of shape");
}

TEST_CASE("reber: the loss leaves padded steps out") {
    auto task = make_task("reber", 0);
    // Two steps of one string; the second is padding.
    Batch batch{zeros({2, 1, 7}), zeros({2, 1, 7})};
    batch.inputs.select(0, 0).select(0, 0).select(0, 0).fill_(1.0);       // B
    batch.targets.select(0, 0).select(0, 0).slice(0, 1, 3).fill_(1.0);   // {T, P}
    Tensor logits = zeros({2, 1, 7});
    CHECK(task->loss(logits, batch).item() == doctest::Approx(std::log(2.0)));
    // logits 1 everywhere: softplus(-1) for the 2 legal symbols, softplus(1) for the 5 others.
    logits.select(0, 0).fill_(1.0);
    logits.select(0, 1).fill_(-30.0);  // padding: would add a lot if it were counted
    const double expected = (2 * std::log1p(std::exp(-1.0)) + 5 * std::log1p(std::exp(1.0))) / 7;
    CHECK(task->loss(logits, batch).item() == doctest::Approx(expected));
    CHECK(expected == doctest::Approx(1.0275474));
}

// ---- mackey_glass -------------------------------------------------------------------------------

TEST_CASE("mackey_glass: spec, metric and the last-value baseline") {
    auto task = make_task("mackey_glass", 0);
    TaskSpec spec = task->spec();
    CHECK(spec.input_size == 1);
    CHECK(spec.output_size == 1);
    CHECK(spec.readout == Readout::last_step);
    CHECK(spec.target == Target::regression);
    Metric metric = task->metric();
    CHECK_FALSE(metric.higher_is_better);
    CHECK(metric.solved_at == 0.01);
    // An independent Python RK4 integration of the same equation gives 0.145 to 0.147.
    CHECK(metric.baseline > 0.14);
    CHECK(metric.baseline < 0.152);
    const Batch& test = task->test_set();
    CHECK(task->evaluate(test.inputs.select(0, -1), test) == metric.baseline);
}

TEST_CASE("mackey_glass: windows slide over one normalised chaotic series") {
    auto task = make_task("mackey_glass", 0);
    const Batch& test = task->test_set();
    CHECK(test.inputs.shape() == Shape{32, 968, 1});
    CHECK(test.targets.shape() == Shape{968, 1});
    CHECK(test.inputs.dtype() == float32);
    CHECK(test.targets.dtype() == float32);
    // Window b + 1 is window b moved on by one sample, and its last input is b's target.
    CHECK(same(test.inputs.slice(0, 1, 32).slice(1, 0, 967),
               test.inputs.slice(0, 0, 31).slice(1, 1, 968)));
    CHECK(same(test.targets.slice(0, 0, 967), test.inputs.select(0, -1).slice(0, 1, 968)));
    // The attractor spans x in [0.42, 1.32] with mean 0.93 and sd 0.226 (Python reference):
    // normalised, about [-2.26, 1.72].
    const double low = test.targets.min().item(), high = test.targets.max().item();
    CHECK(low > -2.4);
    CHECK(low < -2.0);
    CHECK(high > 1.55);
    CHECK(high < 1.85);
    CHECK(std::abs(test.targets.mean().item()) < 0.15);
}

TEST_CASE("mackey_glass: determinism and training windows") {
    auto a = make_task("mackey_glass", 1);
    auto b = make_task("mackey_glass", 1);
    auto c = make_task("mackey_glass", 2);
    CHECK(same(a->test_set().inputs, b->test_set().inputs));
    CHECK_FALSE(same(a->test_set().inputs, c->test_set().inputs));
    Generator g1(9), g2(9);
    Batch x = a->train_batch(8, g1);
    Batch y = a->train_batch(8, g2);
    CHECK(same(x.inputs, y.inputs));
    CHECK(same(x.targets, y.targets));
    CHECK(x.inputs.shape() == Shape{32, 8, 1});
    CHECK(x.targets.shape() == Shape{8, 1});
    check_message(error_of([&] { a->train_batch(0, g1); }),
                  "mackey_glass: batch_size must be positive, got 0");
}

TEST_CASE("mackey_glass: NRMSE and the loss on hand-made numbers") {
    auto task = make_task("mackey_glass", 0);
    Batch batch{zeros({32, 4, 1}), tensor({1, 2, 3, 4}, {4, 1}, float32)};
    // RMSE 0.5 over targets of standard deviation sqrt(1.25).
    CHECK(task->evaluate(tensor({1, 2, 3, 5}, {4, 1}, float32), batch) ==
          doctest::Approx(0.4472136));
    CHECK(task->evaluate(batch.targets, batch) == 0.0);
    CHECK(task->solved(0.0099));
    CHECK_FALSE(task->solved(0.011));
    CHECK(task->loss(tensor({1, 2, 3, 5}, {4, 1}, float32), batch).item() == doctest::Approx(0.25));
    check_message(error_of([&] { task->evaluate(zeros({4}), batch); }),
                  "mackey_glass: prediction of shape (4) does not match targets of shape (4, 1)");
}

// ---- char_lm ------------------------------------------------------------------------------------

TEST_CASE("char_lm: vocabulary, encode and decode") {
    // '#' appears twice (rare), 'é' and '→' are not ASCII: all three become the unknown symbol.
    std::string text;
    for (int i = 0; i < 10; ++i) text += "the cat sat on the mat.\n";
    text += "# é → #";
    CharLanguageModelTask task(0, text, 4);
    const std::vector<std::string> expected{"\xEF\xBF\xBD", "\n", " ", ".", "a", "c", "e",
                                            "h",            "m",  "n", "o", "s", "t"};
    CHECK(task.vocabulary() == expected);
    CHECK(task.spec().input_size == 13);
    CHECK(task.spec().output_size == 13);
    CHECK(task.spec().readout == Readout::every_step);
    CHECK(task.spec().target == Target::classes);
    CHECK(task.encode("the é→#.") == std::vector<std::int64_t>{12, 7, 6, 2, 0, 0, 0, 3});
    CHECK(task.decode(task.encode("a cat\n")) == "a cat\n");
    CHECK(task.decode({0, 4}) == "\xEF\xBF\xBD" "a");
    check_message(error_of([&] { task.decode({13}); }),
                  "char_lm: decode: id 13 is out of range for a vocabulary of 13 symbols");
    check_message(error_of([&] { CharLanguageModelTask(0, "short text", 4); }),
                  "char_lm: the corpus has 10 characters, fewer than 20 windows of 5");
}

TEST_CASE("char_lm: train on the first 90%, test on the last 10%") {
    // 900 characters of a/b, then 100 of c/d: the split shows in which letters a batch holds.
    std::string text;
    for (int i = 0; i < 450; ++i) text += "ab";
    for (int i = 0; i < 50; ++i) text += "cd";
    CharLanguageModelTask task(0, text, 10);
    CHECK(task.vocabulary().size() == 5);  // unknown, a, b, c, d
    const Batch& test = task.test_set();
    CHECK(test.inputs.dtype() == float32);
    CHECK(test.targets.dtype() == int64);
    CHECK(test.inputs.size(0) == 10);
    CHECK(test.inputs.size(2) == 5);
    CHECK(test.targets.shape() == Shape{10, test.inputs.size(1)});
    CHECK(test.inputs.size(1) >= 8);  // 100 test characters, windows of 10 from a random offset
    CHECK(test.inputs.sum().item() == 10.0 * static_cast<double>(test.inputs.size(1)));  // one-hot
    for (std::int64_t id : test.targets.to_vector<std::int64_t>()) CHECK((id == 3 || id == 4));
    // Targets are the inputs one step on.
    CHECK(same(test.targets.slice(0, 0, 9), argmax(test.inputs, -1).slice(0, 1, 10)));

    Generator g1(4), g2(4);
    Batch batch = task.train_batch(64, g1);
    CHECK(same(batch.inputs, task.train_batch(64, g2).inputs));
    CHECK(batch.inputs.shape() == Shape{10, 64, 5});
    for (std::int64_t id : batch.targets.to_vector<std::int64_t>()) CHECK((id == 1 || id == 2));
    for (std::int64_t id : argmax(batch.inputs, -1).to_vector<std::int64_t>()) {
        CHECK((id == 1 || id == 2));
    }

    // The unigram baseline: 450 a, 450 b and no c or d in training, add-one smoothed over 5
    // symbols, so every test character costs log2(905) bits.
    CHECK(task.metric().baseline == doctest::Approx(std::log2(905.0)));
    Tensor logits = zeros({10, test.inputs.size(1), 5});
    CHECK(task.evaluate(logits, test) == doctest::Approx(std::log2(5.0)));
    CHECK(task.loss(logits, test).item() == doctest::Approx(std::log(5.0)));
    // Steps 0-8 put 50 nats on the right character and cost ~0 bits; step 9 is uniform and
    // costs log2(5): the mean is log2(5) / 10.
    const std::int64_t windows = test.inputs.size(1);
    Tensor perfect = cat({test.inputs.slice(0, 1, 10) * 50.0, zeros({1, windows, 5})}, 0);
    CHECK(task.evaluate(perfect, test) == doctest::Approx(std::log2(5.0) / 10.0).epsilon(1e-6));
}

TEST_CASE("char_lm: determinism of the test windows") {
    std::string text;
    for (int i = 0; i < 100; ++i) text += "lorem ipsum dolor sit amet ";
    CharLanguageModelTask a(1, text, 20), b(1, text, 20);
    CHECK(same(a.test_set().inputs, b.test_set().inputs));
    bool any_differs = false;
    for (std::uint64_t seed = 2; seed < 8; ++seed) {
        CharLanguageModelTask other(seed, text, 20);
        any_differs = any_differs || !same(a.test_set().inputs, other.test_set().inputs);
    }
    CHECK(any_differs);  // the seed picks where the tiling of the test part starts

    // The shortest text accepted, 20 windows of 5, still leaves a test window at every offset.
    std::string shortest;
    for (int i = 0; i < 25; ++i) shortest += "abcd";
    for (std::uint64_t seed = 0; seed < 10; ++seed) {
        CHECK(CharLanguageModelTask(seed, shortest, 4).test_set().inputs.size(1) >= 1);
    }
}

TEST_CASE("char_lm: the embedded docs") {
    std::vector<std::string> files = embedded_corpus_files();
    REQUIRE_FALSE(files.empty());
    CHECK(files[0] == "docs/tensor.md");
    CHECK(embedded_corpus().substr(0, 9) == "# Tensor\n");
    auto task = make_task("char_lm", 0);
    auto& lm = dynamic_cast<CharLanguageModelTask&>(*task);
    CHECK(lm.vocabulary().size() > 60);
    CHECK(lm.vocabulary().size() < 100);
    CHECK(task->metric().baseline > 4.0);  // markdown and code: about 5 bits per character
    CHECK(task->metric().baseline < 6.0);
    CHECK(task->metric().solved_at == 2.5);
    CHECK(task->test_set().inputs.size(0) == 100);
    CHECK(task->description().find("docs/tensor.md") != std::string::npos);
}

TEST_CASE("char_lm: sample carries the state from step to step") {
    std::string text;
    for (int i = 0; i < 20; ++i) text += "one two three four five six\n";
    CharLanguageModelTask task(0, text, 8);
    REQUIRE(task.vocabulary().size() == 16);  // o n e t w h r f u i v s x, space, newline, unknown
    SequenceModel model = model_for(task, 16);
    Generator g1(5), g2(5);
    const std::string drawn = sample_text(task, model, "two", 12, 1.0, g1);
    CHECK(task.encode(drawn).size() == 12);  // the unknown symbol takes 3 bytes of UTF-8
    CHECK(drawn == sample_text(task, model, "two", 12, 1.0, g2));
    CHECK(model.is_training());  // the mode is restored

    // Greedy sampling one step at a time equals greedy decoding over the whole sequence.
    const std::string greedy = sample_text(task, model, "two", 6, 0.0, g1);
    std::vector<std::int64_t> ids = task.encode("two");
    for (int i = 0; i < 6; ++i) {
        Tensor inputs = zeros({static_cast<std::int64_t>(ids.size()), 1, 16});
        for (std::size_t t = 0; t < ids.size(); ++t) {
            const auto step = static_cast<std::int64_t>(t);
            inputs.select(0, step).select(0, 0).select(0, ids[t]).fill_(1.0);
        }
        NoGradGuard no_grad;
        auto [logits, state] = model.forward(inputs, {});
        ids.push_back(argmax(logits.select(0, -1).select(0, 0)).item<std::int64_t>());
    }
    CHECK(greedy == task.decode(std::vector<std::int64_t>(ids.begin() + 3, ids.end())));

    SequenceModel wrong({.cell = "gru", .input_size = 3, .hidden_size = 4, .output_size = 3,
                         .readout = Readout::every_step});
    check_message(error_of([&] { sample_text(task, wrong, "a", 3, 1.0, g1); }),
                  "char_lm: sample: the model has input_size 3 and output_size 3, but the "
                  "vocabulary has 16 symbols");
    check_message(error_of([&] { sample_text(task, model, "a", 3, -1.0, g1); }),
                  "char_lm: sample: temperature must be non-negative, got -1");
}

// ---- training -----------------------------------------------------------------------------------

TEST_CASE("smoke: a few SGD steps lower each task's loss") {
    SUBCASE("reber") {
        auto task = make_task("reber", 0);
        SequenceModel model = model_for(*task, 16);
        auto [first, last] = train(*task, model, 30, 1.0, 16);
        CHECK(last < 0.8 * first);
    }
    SUBCASE("mackey_glass") {
        auto task = make_task("mackey_glass", 0);
        SequenceModel model = model_for(*task, 16);
        auto [first, last] = train(*task, model, 30, 0.2, 16);
        CHECK(last < 0.8 * first);
    }
    SUBCASE("char_lm") {
        std::string text;
        for (int i = 0; i < 40; ++i) text += "the cat sat on the mat\n";
        CharLanguageModelTask task(0, text, 16);
        SequenceModel model = model_for(task, 32);
        auto [first, last] = train(task, model, 30, 2.0, 16);
        CHECK(last < 0.8 * first);
    }
}

}  // TEST_SUITE
