// Sequence classification with variable-length batches: a GRU reads sequences of 1 to 12
// numbers and says whether their sum is positive. A batch of different lengths is padded to the
// longest, then packed, so the GRU runs each sequence for exactly its own number of steps and
// its final state h_n is the state after the sequence's real last element, not after padding.
// Run with --short for a quick check (a few steps; the loss must still fall).
#include <fmt/format.h>

#include <string_view>
#include <vector>

#include <lucidpp/lucid.hpp>

using namespace lucid;

constexpr std::int64_t max_length = 12;

struct Batch {
    nn::PackedSequence sequences;  // the GRU's input
    Tensor labels;                 // int64 (B): 1 if the sum is positive, else 0
};

// B sequences of random lengths (unsorted), padded into (T, B, 1), then packed.
Batch make_batch(std::int64_t batch_size, Generator& generator) {
    Tensor padded = zeros({max_length, batch_size, 1});
    float* values = padded.data_ptr<float>();  // element (t, b) sits at t * B + b
    std::vector<std::int64_t> lengths(batch_size);
    std::vector<double> labels(batch_size);
    for (std::int64_t b = 0; b < batch_size; ++b) {
        lengths[b] = generator.randint(1, max_length + 1);
        double sum = 0.0;
        for (std::int64_t t = 0; t < lengths[b]; ++t) {
            const double x = generator.normal();
            values[t * batch_size + b] = static_cast<float>(x);
            sum += x;
        }
        labels[b] = sum > 0.0 ? 1.0 : 0.0;
    }
    // enforce_sorted = false: the lengths come in any order; packing sorts them and remembers
    // the permutation, so h_n comes back in our batch order.
    return {nn::pack_padded_sequence(padded, lengths, /*batch_first=*/false,
                                     /*enforce_sorted=*/false),
            tensor(labels, int64)};
}

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

double accuracy(const Tensor& logits, const Tensor& labels) {
    return (logits.argmax(1) == labels).to(float64).mean().item<double>();
}

int main(int argc, char** argv) {
    const bool short_run = argc > 1 && std::string_view(argv[1]) == "--short";
    const std::int64_t steps = short_run ? 100 : 600;
    manual_seed(0);
    Generator generator(1);
    const Batch test = make_batch(500, generator);

    Classifier model;
    optim::Adam optimizer(model.parameters(), {.lr = 1e-2});

    double first = 0.0, last = 0.0;
    for (std::int64_t step = 1; step <= steps; ++step) {
        Batch batch = make_batch(32, generator);
        Tensor loss = nn::functional::cross_entropy(model.forward(batch.sequences), batch.labels);
        optimizer.zero_grad();
        loss.backward();
        optim::clip_grad_norm_(model.parameters(), 1.0);
        optimizer.step();

        last = loss.item<double>();
        if (step == 1) first = last;
        if (step % (steps / 10) == 0) fmt::print("step {:4d}  loss {:.4f}\n", step, last);
    }

    double test_accuracy = 0.0;
    {
        NoGradGuard no_grad;
        test_accuracy = accuracy(model.forward(test.sequences), test.labels);
    }
    fmt::print("test accuracy {:.3f} (guessing: 0.5)\n", test_accuracy);

    const bool ok = last < first && test_accuracy > (short_run ? 0.75 : 0.95);
    if (!ok) fmt::print("FAILED: the model did not learn\n");
    return ok ? 0 : 1;
}
