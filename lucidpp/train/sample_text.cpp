#include "lucidpp/train/sample_text.hpp"

#include <algorithm>
#include <cmath>
#include <sstream>
#include <vector>

#include "lucidpp/autograd/grad_mode.hpp"
#include "lucidpp/tensor/error.hpp"

namespace lucid::training {

namespace {

// Puts the model in eval mode for a scope, then back into the mode it was in.
class EvalModeGuard {
public:
    explicit EvalModeGuard(nn::Module& module)
        : module_(module), was_training_(module.is_training()) {
        module_.eval();
    }
    ~EvalModeGuard() { module_.train(was_training_); }
    EvalModeGuard(const EvalModeGuard&) = delete;
    EvalModeGuard& operator=(const EvalModeGuard&) = delete;

private:
    nn::Module& module_;
    bool was_training_;
};

// An index drawn with probability softmax(logits / temperature); the argmax at temperature 0.
std::int64_t draw(const std::vector<double>& logits, double temperature, Generator& generator) {
    const auto top = std::max_element(logits.begin(), logits.end());
    if (temperature == 0.0) return top - logits.begin();
    std::vector<double> weights;
    double total = 0.0;
    for (double logit : logits) {
        total += weights.emplace_back(std::exp((logit - *top) / temperature));
    }
    double u = generator.uniform() * total;
    for (std::size_t i = 0; i < weights.size(); ++i) {
        u -= weights[i];
        if (u < 0.0) return static_cast<std::int64_t>(i);
    }
    return top - logits.begin();  // only reached through rounding
}

}  // namespace

void sample_text(const tasks::CharLanguageModelTask& task, SequenceModel& model,
                 const std::string& prompt, std::int64_t length, double temperature,
                 Generator& generator, std::ostream& out) {
    const auto symbols = static_cast<std::int64_t>(task.vocabulary().size());
    check(model.options().input_size == symbols && model.options().output_size == symbols,
          "char_lm: sample: the model has input_size {} and output_size {}, but the vocabulary "
          "has {} symbols",
          model.options().input_size, model.options().output_size, symbols);
    check(length >= 0, "char_lm: sample: length must be non-negative, got {}", length);
    check(temperature >= 0.0, "char_lm: sample: temperature must be non-negative, got {}",
          temperature);
    EvalModeGuard eval_mode(model);
    NoGradGuard no_grad;
    std::vector<std::int64_t> prompt_ids = task.encode(prompt.empty() ? "\n" : prompt);
    check(!prompt_ids.empty(), "char_lm: sample: the prompt holds no character");
    auto [logits, state] = model.forward(task.one_hot(prompt_ids), {});
    // One character at a time, written as it is drawn: memory stays flat however long the text.
    for (std::int64_t i = 0; i < length; ++i) {
        const std::int64_t id =
            draw(logits.select(0, -1).select(0, 0).to_vector<double>(), temperature, generator);
        out << task.decode({id});
        std::tie(logits, state) = model.forward(task.one_hot({id}), state);
    }
}

std::string sample_text(const tasks::CharLanguageModelTask& task, SequenceModel& model,
                        const std::string& prompt, std::int64_t length, double temperature,
                        Generator& generator) {
    std::ostringstream text;
    sample_text(task, model, prompt, length, temperature, generator, text);
    return text.str();
}

}  // namespace lucid::training
