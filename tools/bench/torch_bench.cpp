// torch-bench: the lucidpp-bench workload (workload.hpp), the recurrent models and the MLP, run
// with libtorch, printing the same JSON line with "framework": "libtorch". Built only when Debian's
// libtorch-dev is installed.
//
// Threads: torch::set_num_threads(n) sets libtorch's intra-op (OpenMP) pool; it does not limit
// OpenBLAS, which reads OPENBLAS_NUM_THREADS at load time, so compare.py sets both.
#include <torch/torch.h>

#include <string>
#include <tuple>
#include <vector>

#include "workload.hpp"

namespace {

// Times the forward alone under no-grad (--mode forward), or a training step: MSE of
// forward() against target, backward, one Adam step over params.
template <class Forward>
void time_workload(const bench::Options& o, Forward&& forward,
                   const std::vector<torch::Tensor>& params, const torch::Tensor& target) {
    torch::optim::Adam adam(params, torch::optim::AdamOptions(1e-3));
    auto step = [&] {
        if (o.mode == "forward") {
            torch::NoGradGuard no_grad;
            (void)forward();
            return;
        }
        torch::Tensor loss = torch::mse_loss(forward(), target);
        adam.zero_grad();
        loss.backward();
        adam.step();
    };
    auto checkpoint = [](std::int64_t i) { bench::print_rss_line(i); };
    bench::print_result("libtorch", o, bench::time_steps(o, step, checkpoint));
}

void run_recurrent(const bench::Options& o) {
    const auto& c = o.config;
    torch::nn::AnyModule rnn;
    if (o.model == "rnn")
        rnn = torch::nn::AnyModule(
            torch::nn::RNN(torch::nn::RNNOptions(c.I, c.H).num_layers(c.layers)));
    else if (o.model == "gru")
        rnn = torch::nn::AnyModule(
            torch::nn::GRU(torch::nn::GRUOptions(c.I, c.H).num_layers(c.layers)));
    else
        rnn = torch::nn::AnyModule(
            torch::nn::LSTM(torch::nn::LSTMOptions(c.I, c.H).num_layers(c.layers)));
    torch::nn::Linear head(c.H, 1);
    std::vector<torch::Tensor> params = rnn.ptr()->parameters();
    for (auto& p : head->parameters()) params.push_back(p);
    torch::Tensor x = torch::randn({c.T, c.B, c.I});
    torch::Tensor target = torch::randn({c.B, 1});

    auto forward = [&]() -> torch::Tensor {
        if (o.model == "lstm") {
            auto out =
                rnn.forward<std::tuple<torch::Tensor, std::tuple<torch::Tensor, torch::Tensor>>>(x);
            return head(std::get<0>(out)[-1]);
        }
        auto out = rnn.forward<std::tuple<torch::Tensor, torch::Tensor>>(x);
        return head(std::get<0>(out)[-1]);
    };
    time_workload(o, forward, params, target);
}

// The generic tape's micro-workload (workload.hpp): layers x (Linear + tanh), a Linear(1) head.
void run_mlp(const bench::Options& o) {
    const auto& c = o.config;
    torch::nn::Sequential mlp;
    for (std::int64_t layer = 0; layer < c.layers; ++layer) {
        mlp->push_back(torch::nn::Linear(layer == 0 ? c.I : c.H, c.H));
        mlp->push_back(torch::nn::Tanh());
    }
    mlp->push_back(torch::nn::Linear(c.H, 1));
    torch::Tensor x = torch::randn({c.B, c.I});
    torch::Tensor target = torch::randn({c.B, 1});
    time_workload(
        o, [&] { return mlp->forward(x); }, mlp->parameters(), target);
}

}  // namespace

int main(int argc, char** argv) {
    const bench::Options o = bench::parse_options(argc, argv, "torch-bench");
    if (o.mode == "sgemm" || o.mode == "info")
        bench::usage("torch-bench", "--mode " + o.mode + " is lucidpp-bench's");
    torch::set_num_threads(static_cast<int>(o.threads));
    torch::manual_seed(0);
    if (o.model == "mlp")
        run_mlp(o);
    else
        run_recurrent(o);
    return 0;
}
