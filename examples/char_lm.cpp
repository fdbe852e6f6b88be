// A character language model of your own text: a GRU learns to predict each next character of a
// file (CharVocabulary, NextTokenDataset, DataLoader, training::fit), then writes some text.
//   char_lm FILE.txt        20 epochs; runs/char_lm gets metrics.jsonl, loss.svg, checkpoint.json
//   char_lm --short [FILE]  3 epochs (of a built-in verse without FILE); the loss must fall
#include <fmt/format.h>

#include <lucidpp/lucid.hpp>

using namespace lucid;

struct CharModel : nn::Module {
    nn::Embedding embed;
    nn::GRU gru;
    nn::Linear head;
    CharModel(std::int64_t symbols, std::int64_t hidden)
        : embed(symbols, 32),
          gru({.input_size = 32, .hidden_size = hidden, .batch_first = true}),
          head(hidden, symbols) {
        register_module("embed", embed);
        register_module("gru", gru);
        register_module("head", head);
    }
    // ids (B, T) -> logits (B, T, V), and the state to carry on from.
    std::pair<Tensor, Tensor> forward(const Tensor& ids, const Tensor& state = Tensor()) {
        auto [output, h_n] = gru(embed(ids), state);
        return {head(output), h_n};
    }
};

int main(int argc, char** argv) {
    std::vector<std::string> args(argv + 1, argv + argc);
    const bool short_run = std::erase(args, "--short") > 0;
    if (args.empty() && !short_run) return fmt::print(stderr, "usage: char_lm FILE [--short]\n"), 2;
    std::string text = args.empty() ? "" : io::read_file(args[0]);
    while (text.size() < 2000) text += "Twinkle twinkle little star,\nhow I wonder what you are\n";

    const auto vocabulary = data::CharVocabulary::from_text(text);
    const Tensor ids = vocabulary.encode(text);  // the last 10% is held out for validation
    const std::int64_t symbols = vocabulary.size(), cut = ids.size(0) * 9 / 10;
    data::NextTokenDataset windows(ids.slice(0, 0, cut), /*window=*/64, /*stride=*/16);
    data::NextTokenDataset held_out(ids.slice(0, cut, ids.size(0)), 64, 64);
    manual_seed(0);
    Generator shuffle(0);
    data::DataLoader loader(windows, {.batch_size = 16, .shuffle = true, .generator = &shuffle});
    data::DataLoader validation(held_out, {.batch_size = 16});
    CharModel model(symbols, 128);
    optim::Adam optimizer(model.parameters(), {.lr = 3e-3});
    const auto loss_of = [&](const std::pair<Tensor, Tensor>& batch) {  // mean nats per character
        const Tensor logits = model.forward(batch.first).first;
        return nn::functional::cross_entropy(logits.reshape({-1, symbols}),
                                             batch.second.reshape({-1}));
    };
    training::FitOptions options{
        .epochs = short_run ? 3 : 20, .clip_grad_norm = 1, .generator = &shuffle};
    options.loss_unit = "nats";  // loss.svg's y axis
    if (!short_run) options.run_folder = "runs/char_lm";
    const auto history = training::fit(model, optimizer, loader, loss_of, options, &validation);

    // Sampling: feed each drawn character back in, carrying the GRU's state; temperature 0.7.
    NoGradGuard no_grad;
    model.eval();
    Generator dice(1);
    std::int64_t id = ids.to_vector<std::int64_t>()[0];  // start where the text starts
    std::string sample = vocabulary.character(id);
    Tensor logits, state;
    for (int i = 0; i < 300; ++i) {
        std::tie(logits, state) =
            model.forward(tensor(std::vector<std::int64_t>{id}, {1, 1}), state);
        auto p = nn::functional::softmax(logits.reshape({-1}) / 0.7, 0).to_vector<float>();
        double u = dice.uniform();  // the first id whose cumulative probability passes u
        for (id = 0; id + 1 < symbols && (u -= p[id]) > 0;) ++id;
        sample += vocabulary.character(id);
    }
    const double before = history.records.front().validation_loss;
    const double after = history.records.back().validation_loss;
    fmt::print("{} characters, {} symbols; validation loss {:.3f} -> {:.3f} nats\n{}\n",
               text.size(), symbols, before, after, sample);
    return after < before ? 0 : 1;
}
