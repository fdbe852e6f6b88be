// A character language model of your own text: a GRU learns to predict each next character of a
// file, with CharVocabulary, NextTokenDataset, a DataLoader and training::fit, then writes some
// text.
//   char_lm FILE.txt        train 20 epochs (runs/char_lm holds metrics, loss.svg, checkpoint)
//   char_lm --short [FILE]  a quick check on a built-in verse: 2 epochs, the loss must fall
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
    const std::string verse = "Twinkle, twinkle, little star,\nHow I wonder what you are!\n";
    std::string text = args.empty() ? "" : io::read_file(args[0]);
    while (args.empty() && text.size() < 2000) text += verse;

    const auto vocabulary = data::CharVocabulary::from_text(text);
    const std::int64_t symbols = vocabulary.size();
    data::NextTokenDataset windows(vocabulary.encode(text), /*window=*/64, /*stride=*/16);
    manual_seed(0);
    Generator shuffle(0);
    data::DataLoader loader(
        windows, {.batch_size = 16, .shuffle = true, .drop_last = true, .generator = &shuffle});
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
    const training::FitHistory history = training::fit(model, optimizer, loader, loss_of, options);

    // Sampling: feed each drawn character back in, carrying the GRU's state; temperature 0.7.
    NoGradGuard no_grad;
    model.eval();
    Generator dice(1);
    std::int64_t id = vocabulary.encode_ids(text)[0];  // start where the text starts
    std::string sample = vocabulary.character(id);
    Tensor logits, state;
    for (int i = 0; i < 300; ++i) {
        std::tie(logits, state) =
            model.forward(tensor(std::vector<std::int64_t>{id}, {1, 1}), state);
        auto p = nn::functional::softmax(logits.reshape({-1}) / 0.7, 0).to_vector<float>();
        double u = dice.uniform();
        for (id = 0; id + 1 < symbols && (u -= p[static_cast<std::size_t>(id)]) > 0; ++id) {
        }
        sample += vocabulary.character(id);
    }
    const auto& records = history.records;  // [step 0, epoch 1, ..., the last epoch]
    fmt::print("{} characters, {} symbols; loss {:.3f} -> {:.3f} nats\n{}\n", text.size(), symbols,
               records[1].train_loss, records.back().train_loss, sample);
    return records.back().train_loss < records[1].train_loss ? 0 : 1;
}
