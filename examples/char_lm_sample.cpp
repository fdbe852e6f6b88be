// A character-level language model: a GRU reads a small text one character at a time, learns to
// predict the next character, and then writes new text by sampling its own predictions.
// The bundled char_lm task does the bookkeeping: the vocabulary, one-hot windows, the loss
// (cross-entropy at every step) and bits per character; training::sample_text samples with a
// carried state.
// Run with --short for a quick check (a few steps; the loss must still fall).
#include <fmt/format.h>

#include <string>
#include <string_view>

#include <lucidpp/lucid.hpp>

using namespace lucid;

// The text to learn, repeated so that the model sees every line several times (the task holds
// out the last 10% as its test split).
std::string corpus() {
    const std::string verse =
        "Twinkle, twinkle, little star,\n"
        "How I wonder what you are!\n"
        "Up above the world so high,\n"
        "Like a diamond in the sky.\n"
        "When the blazing sun is gone,\n"
        "When he nothing shines upon,\n"
        "Then you show your little light,\n"
        "Twinkle, twinkle, all the night.\n\n";
    std::string text;
    for (int i = 0; i < 8; ++i) text += verse;
    return text;
}

int main(int argc, char** argv) {
    const bool short_run = argc > 1 && std::string_view(argv[1]) == "--short";
    const std::int64_t steps = short_run ? 40 : 400, batch_size = 16;
    manual_seed(0);

    // Windows of 32 characters; inputs (32, B, V) one-hot, targets (32, B): the next characters.
    tasks::CharLanguageModelTask task(/*seed=*/0, corpus(), /*window=*/32, "a nursery rhyme");
    const auto symbols = static_cast<std::int64_t>(task.vocabulary().size());
    fmt::print("{} symbols in the vocabulary\n", symbols);

    // SequenceModel: a GRU and a Linear head that reads every step (logits over the vocabulary).
    training::SequenceModel model({.cell = "gru",
                               .input_size = symbols,
                               .hidden_size = 64,
                               .output_size = symbols,
                               .readout = tasks::Readout::every_step});
    optim::Adam optimizer(model.parameters(), {.lr = 1e-2});
    Generator generator(1);  // draws training windows, then the sample

    double first = 0.0, last = 0.0;
    for (std::int64_t step = 1; step <= steps; ++step) {
        tasks::Batch batch = task.train_batch(batch_size, generator);
        Tensor loss = task.loss(model(batch.inputs), batch);  // cross-entropy over all steps

        optimizer.zero_grad();
        loss.backward();
        optim::clip_grad_norm_(model.parameters(), 1.0);
        optimizer.step();

        last = loss.item<double>();
        if (step == 1) first = last;
        if (step % (steps / 10) == 0) fmt::print("step {:4d}  loss {:.3f}\n", step, last);
    }

    // Bits per character on the held-out text; the unigram model (letter frequencies) is the bar.
    double bits = 0.0;
    {
        NoGradGuard no_grad;
        model.eval();
        bits = task.evaluate(model(task.test_set().inputs), task.test_set());
        model.train();
    }
    fmt::print("test: {:.3f} bits per character (unigram baseline {:.3f})\n", bits,
               task.metric().baseline);

    // Feed a prompt, then draw 120 characters, each fed back in; temperature < 1 sharpens.
    const std::string sample = training::sample_text(task, model, "Twinkle", 120, 0.5, generator);
    fmt::print("sample:\nTwinkle{}\n", sample);

    const bool ok = last < 0.8 * first && (short_run || bits < 0.5 * task.metric().baseline);
    if (!ok) fmt::print("FAILED: the model did not learn\n");
    return ok ? 0 : 1;
}
