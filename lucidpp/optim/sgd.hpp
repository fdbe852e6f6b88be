#pragma once
// SGD: stochastic gradient descent, optionally with momentum or Nesterov's accelerated gradient
// (Sutskever, Martens, Dahl and Hinton 2013, in PyTorch's form; sgd.cpp relates the two), as
// torch.optim.SGD (PyTorch 1.13).
//
// For each parameter theta with gradient g, at step t (lr gamma, weight decay lambda, momentum
// mu, dampening tau):
//   g   <- -g                       if maximize
//   g   <- g + lambda theta         if lambda != 0
//   b_t <- g                        at the first step         } if mu != 0
//   b_t <- mu b_{t-1} + (1 - tau) g  after it                 }
//   g   <- g + mu b_t  if nesterov, else  g <- b_t            }
//   theta <- theta - gamma g
//
//   optim::SGD sgd(model.parameters(), {.lr = 0.1, .momentum = 0.9});
#include <vector>

#include "lucidpp/optim/typed_optimizer.hpp"

namespace lucid::optim {

struct SGDOptions {
    double lr = 1e-3;  // PyTorch 1.13 requires lr; 1e-3 is the default of PyTorch 2.2 and later
    double momentum = 0.0;
    double dampening = 0.0;
    double weight_decay = 0.0;
    bool nesterov = false;
    bool maximize = false;
};

struct SGDState {
    Tensor momentum_buffer;  // b_t; undefined while momentum is 0
};

// Its state_dict code is compiled once, in optimizer_state_dict.cpp.
extern template class TypedOptimizer<SGDOptions, SGDState>;

class SGD : public TypedOptimizer<SGDOptions, SGDState> {
public:
    SGD(std::vector<Tensor> params, const SGDOptions& options);

    void step() override;
    std::string name() const override { return "SGD"; }

private:
    void validate(const SGDOptions& options) const override;
};

}  // namespace lucid::optim
