#include "lucidpp/nn/embedding.hpp"

#include "lucidpp/autograd/grad_mode.hpp"
#include "lucidpp/nn/functional.hpp"
#include "lucidpp/nn/init.hpp"
#include "lucidpp/tensor/creation.hpp"

namespace lucid::nn {

Embedding::Embedding(const EmbeddingOptions& options) : options_(options) {
    check(options.num_embeddings > 0 && options.embedding_dim > 0,
          "Embedding: num_embeddings and embedding_dim must be positive, got {} and {}",
          options.num_embeddings, options.embedding_dim);
    if (options.padding_idx) {
        std::int64_t index = *options.padding_idx;
        check(index >= -options.num_embeddings && index < options.num_embeddings,
              "Embedding: padding_idx must be within num_embeddings ({}), got {}",
              options.num_embeddings, index);
        if (index < 0) options_.padding_idx = index + options.num_embeddings;
    }
    weight = register_parameter(
        "weight", empty({options.num_embeddings, options.embedding_dim}, float32, "Embedding"));
    reset_parameters();
}

void Embedding::reset_parameters() {
    init::normal_(weight);
    if (options_.padding_idx) {
        NoGradGuard no_grad;
        weight.select(0, *options_.padding_idx).zero_();
    }
}

Tensor Embedding::forward(const Tensor& indices) {
    return functional::embedding(indices, weight, options_.padding_idx);
}

std::string Embedding::extra_repr() const {
    std::string text = fmt::format("{}, {}", options_.num_embeddings, options_.embedding_dim);
    if (options_.padding_idx) text += fmt::format(", padding_idx={}", *options_.padding_idx);
    return text;
}

}  // namespace lucid::nn
