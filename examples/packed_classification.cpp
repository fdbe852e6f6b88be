// Sequence classification with variable-length batches: a GRU reads sequences of 1 to 12
// numbers and says whether their sum is positive. A DataLoader shuffles the examples and packs
// each batch (data::PackCollate), so the GRU runs each sequence for exactly its own number of
// steps and its final state h_n is the state after the sequence's real last element, not after
// padding.
// Run with --short for a quick check (two epochs; the loss must still fall).
#include <fmt/format.h>

#include <string_view>
#include <utility>
#include <vector>

#include <lucidpp/lucid.hpp>

using namespace lucid;

using Example = std::pair<Tensor, std::int64_t>;  // a sequence (L, 1) and its class

// `count` sequences of random lengths; class 1 if the sum is positive, else 0.
struct SignOfSum : data::Dataset<Example> {
    std::vector<Example> examples;

    SignOfSum(std::int64_t count, Generator& generator) {
        for (std::int64_t i = 0; i < count; ++i) {
            Tensor sequence = randn({generator.randint(1, 13), 1}, float32, &generator);
            examples.emplace_back(sequence, sequence.sum().item<double>() > 0.0 ? 1 : 0);
        }
    }
    std::int64_t size() const override { return static_cast<std::int64_t>(examples.size()); }
    Example get(std::int64_t index) const override {
        return examples[static_cast<std::size_t>(index)];
    }
};

struct Classifier : nn::Module {
    nn::GRU gru{{.input_size = 1, .hidden_size = 32}};
    nn::Linear head{32, 2};  // logits of the two classes

    Classifier() {
        register_module("gru", gru);
        register_module("head", head);
    }
    Tensor forward(const nn::PackedSequence& sequences) {
        auto [output, h_n] = gru(sequences);  // h_n (1, B, H): each sequence's last real step
        return head(h_n.select(0, 0));        // (B, 2)
    }
};

int main(int argc, char** argv) {
    const bool short_run = argc > 1 && std::string_view(argv[1]) == "--short";
    const std::int64_t epochs = short_run ? 2 : 10;
    manual_seed(0);
    Generator generator(1);
    const SignOfSum train_set(2000, generator), test_set(500, generator);
    // The lengths in a batch come in any order: packing sorts them and keeps the permutation,
    // so h_n and the labels stay in the batch's order.
    data::DataLoader train(
        train_set, {.batch_size = 32, .shuffle = true, .drop_last = true, .generator = &generator},
        data::PackCollate{});
    data::DataLoader test(test_set, {.batch_size = 500}, data::PackCollate{});

    Classifier model;
    optim::Adam optimizer(model.parameters(), {.lr = 1e-2});

    double first = 0.0, last = 0.0;  // the mean losses of the first and the last epoch
    for (std::int64_t epoch = 1; epoch <= epochs; ++epoch) {
        double sum = 0.0;
        for (data::PackedBatch batch : train) {
            Tensor loss =
                nn::functional::cross_entropy(model.forward(batch.sequences), batch.targets);
            optimizer.zero_grad();
            loss.backward();
            optim::clip_grad_norm_(model.parameters(), 1.0);
            optimizer.step();
            sum += loss.item<double>();
        }
        last = sum / static_cast<double>(train.size());
        if (epoch == 1) first = last;
        fmt::print("epoch {:2d}  loss {:.4f}\n", epoch, last);
    }

    double test_accuracy = 0.0;
    {
        NoGradGuard no_grad;
        data::PackedBatch batch = *test.begin();  // the whole test set
        Tensor correct = model.forward(batch.sequences).argmax(1) == batch.targets;
        test_accuracy = correct.to(float64).mean().item<double>();
    }
    fmt::print("test accuracy {:.3f} (guessing: 0.5)\n", test_accuracy);

    const bool ok = last < first && test_accuracy > (short_run ? 0.75 : 0.95);
    if (!ok) fmt::print("FAILED: the model did not learn\n");
    return ok ? 0 : 1;
}
