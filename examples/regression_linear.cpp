// Regression with nn::Linear: a one-hidden-layer network learns y = x0^2 - 0.5 x1 from noisy
// samples. The training loop is the one every model uses:
//   forward -> loss -> zero_grad -> backward -> optimizer step.
// Run with --short for a quick check (a few steps; the loss must still fall).
#include <fmt/format.h>

#include <memory>
#include <string_view>

#include <lucidpp/lucid.hpp>

using namespace lucid;

// The data: N points x in [-1, 1)^2 and their targets, one row each.
struct Dataset {
    Tensor x;  // (N, 2)
    Tensor y;  // (N, 1)
};

Dataset make_data(std::int64_t n) {
    Tensor x = rand({n, 2}) * 2.0 - 1.0;
    Tensor x0 = x.narrow(1, 0, 1), x1 = x.narrow(1, 1, 1);
    Tensor y = x0.pow(2.0) - 0.5 * x1 + 0.01 * randn({n, 1});
    return {x, y};
}

int main(int argc, char** argv) {
    const bool short_run = argc > 1 && std::string_view(argv[1]) == "--short";
    const int steps = short_run ? 60 : 600;
    manual_seed(0);

    Dataset train = make_data(256);
    Dataset test = make_data(256);

    // The model: Linear(2 -> 32), tanh, Linear(32 -> 1). A plain Linear(2 -> 1) could only fit
    // a plane; the hidden layer lets it bend to the x0^2 term. Sequential owns its layers.
    nn::Sequential model(std::make_shared<nn::Linear>(2, 32), std::make_shared<nn::Tanh>(),
                         std::make_shared<nn::Linear>(32, 1));
    nn::MSELoss mse;  // mean of (prediction - target)^2

    // Adam keeps a running mean of each gradient and of its square; lr 1e-2 suits small nets.
    optim::Adam optimizer(model.parameters(), {.lr = 1e-2});

    // The loss of always predicting the mean: a model worth having must beat it.
    const double baseline = mse(train.y.mean().expand({256, 1}), train.y).item<double>();
    double first = 0.0, last = 0.0;
    for (int step = 0; step < steps; ++step) {
        Tensor loss = mse(model(train.x), train.y);  // forward: this records the tape
        optimizer.zero_grad();                       // drop the previous step's gradients
        loss.backward();                             // fill every parameter's .grad()
        optimizer.step();                            // move each parameter against its gradient

        last = loss.item<double>();
        if (step == 0) first = last;
        if (step % (steps / 10) == 0) fmt::print("step {:4d}  train mse {:.5f}\n", step, last);
    }

    // Evaluate on held-out points, without recording a tape.
    double test_mse = 0.0;
    {
        NoGradGuard no_grad;
        test_mse = mse(model(test.x), test.y).item<double>();
    }
    fmt::print("train mse {:.5f} -> {:.5f}, test mse {:.5f} (predicting the mean: {:.5f})\n", first,
               last, test_mse, baseline);

    // The check: the loss fell, and (in a full run) the fit is far better than the mean.
    const bool ok = last < 0.5 * first && (short_run || test_mse < 0.1 * baseline);
    if (!ok) fmt::print("FAILED: the model did not learn\n");
    return ok ? 0 : 1;
}
