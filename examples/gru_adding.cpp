// A GRU learns the adding problem (Hochreiter & Schmidhuber, 1997): each input sequence has 100
// steps of two features, a random number and a marker that is 1 at exactly two steps; the target
// is the sum of the two marked numbers. The model must remember them across up to 99 steps.
// docs/tutorial.md walks through this file step by step.
// Run with --short for a quick check (a few steps; the test MSE must still fall).
#include <fmt/format.h>

#include <string_view>

#include <lucidpp/lucid.hpp>

using namespace lucid;

// The model: a GRU reads the sequence, and a Linear head maps its last hidden state to a number.
struct AddingModel : nn::Module {
    nn::GRU gru;
    nn::Linear head;

    explicit AddingModel(std::int64_t hidden)
        : gru({.input_size = 2, .hidden_size = hidden}), head(hidden, 1) {
        register_module("gru", gru);  // so that parameters() finds their weights
        register_module("head", head);
    }

    // inputs (T, B, 2) -> predictions (B, 1)
    Tensor forward(const Tensor& inputs) {
        auto [output, h_n] = gru(inputs);  // output (T, B, H): every step; h_n (1, B, H): the last
        return head(h_n.select(0, 0));
    }
};

int main(int argc, char** argv) {
    const bool short_run = argc > 1 && std::string_view(argv[1]) == "--short";
    const std::int64_t steps = short_run ? 60 : 2000, batch_size = 32, eval_every = 50;
    manual_seed(0);  // the initial weights

    // The task: batches are time-major, inputs (100, B, 2) and targets (B, 1).
    auto task = tasks::make_task("adding", /*seed=*/0);
    Generator batches(1);                        // the stream training batches are drawn from
    const tasks::Batch& test = task->test_set();  // 1000 fixed sequences

    AddingModel model(short_run ? 32 : 64);
    nn::MSELoss mse;
    optim::Adam optimizer(model.parameters(), {.lr = 1e-2});

    // The test MSE, with the model in eval mode and no tape recorded.
    auto evaluate = [&] {
        NoGradGuard no_grad;
        model.eval();
        const double metric = task->evaluate(model.forward(test.inputs), test);
        model.train();
        return metric;
    };

    const double initial = evaluate();
    fmt::print("test mse before training {:.4f} (predicting 1.0 scores {:.4f})\n", initial,
               task->metric().baseline);
    double final_mse = initial;
    for (std::int64_t step = 1; step <= steps; ++step) {
        tasks::Batch batch = task->train_batch(batch_size, batches);
        Tensor loss = mse(model.forward(batch.inputs), batch.targets);

        optimizer.zero_grad();
        loss.backward();
        // Recurrent nets can have rare huge gradients; cap their joint norm at 1.
        optim::clip_grad_norm_(model.parameters(), 1.0);
        optimizer.step();

        if (step % (short_run ? 10 : eval_every) == 0 || step == steps) {
            final_mse = evaluate();
            fmt::print("step {:4d}  train loss {:.4f}  test mse {:.4f}\n", step,
                       loss.item<double>(), final_mse);
            if (task->solved(final_mse)) break;  // MSE < 0.01
        }
    }

    // A short run must fall well below the untrained model; a full run must solve the task.
    const bool ok = short_run ? final_mse < 0.5 * initial : task->solved(final_mse);
    fmt::print("{}: test mse {:.4f}\n", ok ? "ok" : "FAILED", final_mse);
    return ok ? 0 : 1;
}
