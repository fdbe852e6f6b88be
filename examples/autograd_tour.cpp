// Autograd in a few lines: one tanh neuron, its loss, and the gradients backward() computes.
// Run with --dot to print the recorded graph instead:  autograd_tour --dot | dot -Tsvg > graph.svg
#include <string_view>

#include <lucidpp/lucid.hpp>

using namespace lucid;

int main(int argc, char** argv) {
    Tensor x = tensor({1.0, -2.0, 0.5});                                  // data: no gradient
    Tensor w = tensor({0.2, 0.4, -0.6, 0.1, 0.3, 0.5}, {2, 3}).requires_grad_();  // leaves
    Tensor b = zeros({2}).requires_grad_();

    Tensor h = tanh(matmul(w, x) + b);  // each op records one node on the tape
    Tensor loss = (h * h).sum();        // h is used twice: its two gradients are summed

    if (argc > 1 && std::string_view(argv[1]) == "--dot") {
        fmt::print("{}", autograd::to_dot(loss));
        return 0;
    }
    loss.backward();  // walks the tape backwards, filling w.grad() and b.grad()
    fmt::print("h    = {}\nloss = {}\n", h, loss);
    fmt::print("dloss/dw = {}\ndloss/db = {}\n", w.grad(), b.grad());
    return 0;
}
