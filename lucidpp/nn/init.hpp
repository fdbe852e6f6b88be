#pragma once
// Parameter initialisation (torch.nn.init). Each fills in place under NoGradGuard and draws
// from `generator`, or from the default generator (see lucid::manual_seed).
#include "lucidpp/tensor/generator.hpp"
#include "lucidpp/tensor/tensor.hpp"

namespace lucid::nn::init {

void uniform_(Tensor& tensor, double low, double high, Generator* generator = nullptr);
void normal_(Tensor& tensor, double mean = 0.0, double stddev = 1.0,
             Generator* generator = nullptr);
void zeros_(Tensor& tensor);
void ones_(Tensor& tensor);
void constant_(Tensor& tensor, double value);

}  // namespace lucid::nn::init
