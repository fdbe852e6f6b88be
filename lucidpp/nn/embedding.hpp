#pragma once
// Embedding: a lookup table, as torch.nn.Embedding.
//   weight: (num_embeddings, embedding_dim), initialised N(0, 1); the padding_idx row is zero
//   and gets no gradient.
// Input: int64 indices of any shape; output: input.shape + (embedding_dim).
#include <optional>

#include "lucidpp/nn/module.hpp"

namespace lucid::nn {

struct EmbeddingOptions {
    std::int64_t num_embeddings = 0;
    std::int64_t embedding_dim = 0;
    std::optional<std::int64_t> padding_idx = std::nullopt;
};

class Embedding : public UnaryModule {
public:
    explicit Embedding(const EmbeddingOptions& options);
    Embedding(std::int64_t num_embeddings, std::int64_t embedding_dim,
              std::optional<std::int64_t> padding_idx = std::nullopt)
        : Embedding(EmbeddingOptions{num_embeddings, embedding_dim, padding_idx}) {}

    Tensor forward(const Tensor& indices) override;
    void reset_parameters();

    std::string name() const override { return "Embedding"; }
    std::string extra_repr() const override;

    // padding_idx, when given, is counted from the start (a negative one was from the end).
    const EmbeddingOptions& options() const { return options_; }

    Tensor weight;

private:
    EmbeddingOptions options_;
};

}  // namespace lucid::nn
