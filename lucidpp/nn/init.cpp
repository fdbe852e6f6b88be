#include "lucidpp/nn/init.hpp"

#include "lucidpp/autograd/grad_mode.hpp"

namespace lucid::nn::init {

void uniform_(Tensor& tensor, double low, double high, Generator* generator) {
    NoGradGuard no_grad;
    tensor.uniform_(low, high, generator);
}

void normal_(Tensor& tensor, double mean, double stddev, Generator* generator) {
    NoGradGuard no_grad;
    tensor.normal_(mean, stddev, generator);
}

void zeros_(Tensor& tensor) { constant_(tensor, 0.0); }
void ones_(Tensor& tensor) { constant_(tensor, 1.0); }

void constant_(Tensor& tensor, double value) {
    NoGradGuard no_grad;
    tensor.fill_(value);
}

}  // namespace lucid::nn::init
