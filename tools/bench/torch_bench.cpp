// torch-bench: the lucidpp-bench workload (workload.hpp) run with libtorch, printing the same
// JSON line with "framework": "libtorch". Built only when Debian's libtorch-dev is installed.
//
// Threads: torch::set_num_threads(n) sets libtorch's intra-op (OpenMP) pool; it does not limit
// OpenBLAS, which reads OPENBLAS_NUM_THREADS at load time, so compare.py sets both.
#include <torch/torch.h>

#include <string>
#include <tuple>
#include <vector>

#include "workload.hpp"

int main(int argc, char** argv) {
    const bench::Options o = bench::parse_options(argc, argv, "torch-bench");
    if (o.mode == "sgemm") bench::usage("torch-bench", "--mode sgemm is lucidpp-bench's");
    torch::set_num_threads(static_cast<int>(o.threads));
    torch::manual_seed(0);
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
    torch::optim::Adam adam(params, torch::optim::AdamOptions(1e-3));
    torch::Tensor x = torch::randn({c.T, c.B, c.I});
    torch::Tensor target = torch::randn({c.B, 1});

    auto last_output = [&]() -> torch::Tensor {
        if (o.model == "lstm") {
            auto out =
                rnn.forward<std::tuple<torch::Tensor, std::tuple<torch::Tensor, torch::Tensor>>>(x);
            return std::get<0>(out)[-1];
        }
        auto out = rnn.forward<std::tuple<torch::Tensor, torch::Tensor>>(x);
        return std::get<0>(out)[-1];
    };
    auto step = [&] {
        if (o.mode == "forward") {
            torch::NoGradGuard no_grad;
            (void)head(last_output());
            return;
        }
        torch::Tensor loss = torch::mse_loss(head(last_output()), target);
        adam.zero_grad();
        loss.backward();
        adam.step();
    };

    auto checkpoint = [](std::int64_t i) { bench::print_rss_line(i); };
    bench::print_result("libtorch", o, bench::time_steps(o, step, checkpoint));
    return 0;
}
