// nn::summary: the per-layer table of output shapes and parameter counts, and the forward hook
// it reads them from.
#include <memory>
#include <string>
#include <vector>

#include "helpers.hpp"
#include "lucidpp/nn/container.hpp"
#include "lucidpp/nn/dropout.hpp"
#include "lucidpp/nn/embedding.hpp"
#include "lucidpp/nn/forward_hook.hpp"
#include "lucidpp/nn/gru.hpp"
#include "lucidpp/nn/linear.hpp"
#include "lucidpp/nn/rnn_cell.hpp"
#include "lucidpp/nn/summary.hpp"
#include "lucidpp/tensor/creation.hpp"

namespace {

using namespace lucid;

// Embedding -> GRU -> Linear, with a Dropout the forward never calls; no call operator of its
// own, so summary uses forward().
struct Tagger : nn::Module {
    nn::Embedding embed{100, 16};
    nn::GRU gru{{.input_size = 16, .hidden_size = 32}};
    nn::Dropout unused{0.5};
    nn::Linear head{32, 5};
    Tagger() {
        register_module("embed", embed);
        register_module("gru", gru);
        register_module("unused", unused);
        register_module("head", head);
    }
    Tensor forward(const Tensor& tokens) {
        auto [output, h_n] = gru(embed(tokens));
        return head(output);
    }
};

// A cell run step by step: one row, called T times.
struct Stepper : nn::Module {
    nn::GRUCell cell{3, 4};
    Stepper() { register_module("cell", cell); }
    Tensor forward(const Tensor& inputs) {
        Tensor h;
        for (std::int64_t t = 0; t < inputs.size(0); ++t) h = cell(inputs.select(0, t), h);
        return h;
    }
};

}  // namespace

TEST_CASE("summary lists every layer with its output shapes and own parameter count") {
    manual_seed(0);
    Tagger model;
    const std::string table = nn::summary(model, zeros({7, 2}, int64));
    CHECK(table ==
          "Layer (type)          Output shape            Param #\n"
          "=====================================================\n"
          "Tagger                (7, 2, 5)                    --\n"
          "├─ embed (Embedding)  (7, 2, 16)                1,600\n"
          "├─ gru (GRU)          (7, 2, 32), (1, 2, 32)    4,800\n"
          "├─ unused (Dropout)   --                            0\n"
          "└─ head (Linear)      (7, 2, 5)                   165\n"
          "=====================================================\n"
          "Total params: 6,565 (25.64 KiB)\n"
          "Trainable params: 6,565\n"
          "Non-trainable params: 0\n");
    CHECK(model.num_parameters() == 6565);  // 100*16 + 3*32*(16+32+2) + 32*5+5
}

TEST_CASE("summary draws nested modules as a tree and counts repeated calls") {
    auto inner = std::make_shared<nn::Sequential>(std::make_shared<nn::Linear>(4, 3));
    nn::Sequential outer(std::make_shared<nn::Linear>(2, 4), inner);
    const std::string table = nn::summary(outer, zeros({5, 2}));
    CHECK(table ==
          "Layer (type)       Output shape  Param #\n"
          "========================================\n"
          "Sequential         (5, 3)             --\n"
          "├─ 0 (Linear)      (5, 4)             12\n"
          "└─ 1 (Sequential)  (5, 3)             --\n"
          "   └─ 0 (Linear)   (5, 3)             15\n"
          "========================================\n"
          "Total params: 27 (108 bytes)\n"
          "Trainable params: 27\n"
          "Non-trainable params: 0\n");

    Stepper stepper;
    const std::string steps = nn::summary(stepper, zeros({6, 2, 3}));
    CHECK(steps.find("└─ cell (GRUCell)  (2, 4) x 6        108\n") != std::string::npos);
}

TEST_CASE("summary runs in eval mode without gradients and leaves the model as it was") {
    Tagger model;
    model.head.eval();  // a mixed state must come back as it was
    const std::string rng = default_generator().state();
    nn::summary(model, zeros({3, 1}, int64));
    CHECK(model.is_training());
    CHECK(model.gru.is_training());
    CHECK(!model.head.is_training());
    CHECK(default_generator().state() == rng);
    for (const Tensor& parameter : model.parameters()) CHECK(!parameter.grad().defined());
}

TEST_CASE("the forward hook sees each layer's call and is gone after its guard") {
    nn::Linear linear(2, 3);
    std::vector<std::string> seen;
    {
        nn::ForwardHookGuard guard([&](const nn::Module& module, const std::vector<Tensor>& out) {
            seen.push_back(fmt::format("{} {}", module.name(), out.at(0).shape()));
        });
        CHECK(nn::forward_hook_set());
        linear(zeros({4, 2}));
    }
    CHECK(!nn::forward_hook_set());
    linear(zeros({1, 2}));
    CHECK(seen == std::vector<std::string>{"Linear (4, 3)"});
}
