// RNN, GRU, LSTM and the cells as modules: options, names, shapes, validation messages, the 2-D
// hx convention, dropout between layers, and gradcheck of every module (numbers against
// PyTorch are in test_nn_golden.cpp).
#include <spdlog/sinks/ringbuffer_sink.h>
#include <spdlog/spdlog.h>

#include "helpers.hpp"

using namespace lucid;
using lucid::testing::check_values;
using lucid::testing::error_of;

namespace {

std::vector<std::string> names_of(const nn::Module& module) {
    std::vector<std::string> names;
    for (auto& [name, tensor] : module.named_parameters()) names.push_back(name);
    return names;
}

void check_message(const std::string& message, const std::string& part) {
    INFO("message: ", message);
    CHECK(message.find(part) != std::string::npos);
}

}  // namespace

TEST_CASE("options: designated initialisers and the positional form build the same layer") {
    nn::GRU a({.input_size = 3, .hidden_size = 5, .num_layers = 2, .dropout = 0.2});
    nn::GRU b(3, 5, 2, true, false, 0.2);
    CHECK(names_of(a) == names_of(b));
    CHECK(a.repr() == "GRU(3, 5, num_layers=2, dropout=0.2)");
    CHECK(b.repr() == a.repr());
    CHECK(nn::RNN(3, 5, 1, "relu").repr() == "RNN(3, 5, nonlinearity='relu')");
    CHECK(nn::LSTM({.input_size = 3, .hidden_size = 5, .bias = false, .batch_first = true,
                    .bidirectional = true, .proj_size = 2})
              .repr() == "LSTM(3, 5, proj_size=2, bias=False, batch_first=True, bidirectional=True)");
    CHECK(nn::GRUCell(3, 5).repr() == "GRUCell(3, 5)");
}

using lucid::testing::read_only_options;
static_assert(read_only_options<nn::RNN, nn::RNNOptions>);
static_assert(read_only_options<nn::GRU, nn::GRUOptions>);
static_assert(read_only_options<nn::LSTM, nn::LSTMOptions>);
static_assert(read_only_options<nn::RNNCell, nn::RNNCellOptions>);
static_assert(read_only_options<nn::GRUCell, nn::GRUCellOptions>);
static_assert(read_only_options<nn::LSTMCell, nn::LSTMCellOptions>);
// The second copies are gone: RNNBase's base_options, and the cells' public sizes.
template <class M>
constexpr bool has_base_options = requires(M& m) {
    m.base_options;
};
template <class M>
constexpr bool has_hidden_size_field = requires(M& m) {
    m.hidden_size;
};
static_assert(!has_base_options<nn::RNN> && !has_base_options<nn::GRU> &&
              !has_base_options<nn::LSTM>);
static_assert(!has_hidden_size_field<nn::RNNCell> && !has_hidden_size_field<nn::GRUCell> &&
              !has_hidden_size_field<nn::LSTMCell>);

TEST_CASE("options() returns the options each layer and cell was built with") {
    const nn::GRU gru({.input_size = 3, .hidden_size = 5, .num_layers = 2, .dropout = 0.2});
    CHECK(gru.options().input_size == 3);
    CHECK(gru.options().hidden_size == 5);
    CHECK(gru.options().num_layers == 2);
    CHECK(gru.options().dropout == 0.2);
    CHECK_FALSE(gru.options().bidirectional);
    CHECK_FALSE(gru.options().batch_first);
    CHECK(&gru.options() == &gru.options());  // the one stored copy, not a fresh one per call

    const nn::RNN rnn(4, 6, 3, "relu", false, true);
    CHECK(rnn.options().nonlinearity == "relu");
    CHECK(rnn.options().num_layers == 3);
    CHECK_FALSE(rnn.options().bias);
    CHECK(rnn.options().batch_first);

    const nn::LSTM lstm({.input_size = 2, .hidden_size = 4, .proj_size = 3});
    CHECK(lstm.options().proj_size == 3);
    CHECK(lstm.options().num_layers == 1);

    const nn::RNNCell rnn_cell({.input_size = 4, .hidden_size = 3, .nonlinearity = "relu"});
    CHECK(rnn_cell.options().nonlinearity == "relu");
    CHECK(rnn_cell.options().input_size == 4);
    const nn::GRUCell gru_cell(3, 5, false);
    CHECK(gru_cell.options().hidden_size == 5);
    CHECK_FALSE(gru_cell.options().bias);
    CHECK(nn::LSTMCell(2, 7).options().hidden_size == 7);
}

TEST_CASE("parameter names and shapes are PyTorch's") {
    nn::GRU gru({.input_size = 3, .hidden_size = 5, .num_layers = 2, .bidirectional = true});
    CHECK(names_of(gru) == std::vector<std::string>{
                               "weight_ih_l0", "weight_hh_l0", "bias_ih_l0", "bias_hh_l0",
                               "weight_ih_l0_reverse", "weight_hh_l0_reverse", "bias_ih_l0_reverse",
                               "bias_hh_l0_reverse", "weight_ih_l1", "weight_hh_l1", "bias_ih_l1",
                               "bias_hh_l1", "weight_ih_l1_reverse", "weight_hh_l1_reverse",
                               "bias_ih_l1_reverse", "bias_hh_l1_reverse"});
    auto params = gru.named_parameters();
    CHECK(params[0].second.shape() == Shape{15, 3});
    CHECK(params[1].second.shape() == Shape{15, 5});
    CHECK(params[8].second.shape() == Shape{15, 10});  // layer 1 reads both directions
    CHECK(gru.num_parameters() == 2 * (15 * 3 + 15 * 5 + 30) + 2 * (15 * 10 + 15 * 5 + 30));

    nn::LSTM lstm({.input_size = 3, .hidden_size = 4, .num_layers = 2, .bias = false, .proj_size = 2});
    CHECK(names_of(lstm) == std::vector<std::string>{"weight_ih_l0", "weight_hh_l0", "weight_hr_l0",
                                                     "weight_ih_l1", "weight_hh_l1", "weight_hr_l1"});
    CHECK(lstm.named_parameters()[1].second.shape() == Shape{16, 2});
    CHECK(lstm.named_parameters()[2].second.shape() == Shape{2, 4});
    CHECK(lstm.named_parameters()[3].second.shape() == Shape{16, 2});

    nn::RNNCell cell(3, 4, false);
    CHECK(names_of(cell) == std::vector<std::string>{"weight_ih", "weight_hh"});
}

TEST_CASE("initialisation is U(-1/sqrt(H), 1/sqrt(H)) and seeded") {
    manual_seed(3);
    nn::LSTM a(4, 16);
    manual_seed(3);
    nn::LSTM b(4, 16);
    double bound = 0.25, largest = 0;
    for (std::size_t i = 0; i < a.parameters().size(); ++i) {
        std::vector<float> values = a.parameters()[i].to_vector<float>();
        CHECK(values == b.parameters()[i].to_vector<float>());
        for (float v : values) largest = std::max(largest, std::abs(static_cast<double>(v)));
    }
    CHECK(largest <= bound);
    CHECK(largest > 0.9 * bound);
}

TEST_CASE("shapes: batched, batch_first, unbatched, bidirectional, projections") {
    nn::GRU gru({.input_size = 3, .hidden_size = 5, .num_layers = 2, .bidirectional = true});
    auto [out, h_n] = gru(randn({7, 4, 3}));
    CHECK(out.shape() == Shape{7, 4, 10});
    CHECK(h_n.shape() == Shape{4, 4, 5});

    nn::RNN rnn({.input_size = 3, .hidden_size = 5, .batch_first = true});
    auto [out_bf, h_bf] = rnn(randn({4, 7, 3}));
    CHECK(out_bf.shape() == Shape{4, 7, 5});
    CHECK(h_bf.shape() == Shape{1, 4, 5});

    auto [out_1, h_1] = gru(randn({7, 3}));  // one unbatched sequence
    CHECK(out_1.shape() == Shape{7, 10});
    CHECK(h_1.shape() == Shape{4, 5});

    nn::LSTM lstm({.input_size = 3, .hidden_size = 6, .proj_size = 2});
    auto [out_l, state] = lstm(randn({5, 2, 3}));
    auto [h, c] = state;
    CHECK(out_l.shape() == Shape{5, 2, 2});
    CHECK(h.shape() == Shape{1, 2, 2});
    CHECK(c.shape() == Shape{1, 2, 6});
}

TEST_CASE("validation uses PyTorch's wording") {
    nn::GRU gru({.input_size = 3, .hidden_size = 5, .num_layers = 2});
    check_message(error_of([&] { gru(randn({2, 3, 4})); }),
                  "GRU: input.size(-1) must be equal to input_size. Expected 3, got 4");
    check_message(error_of([&] { gru(randn({2, 3, 3}), zeros({1, 3, 5})); }),
                  "Expected hidden size (2, 3, 5), got (1, 3, 5)");
    check_message(error_of([&] { gru(randn({2, 3, 3}), zeros({2, 3, 5}, float64)); }),
                  "GRU: input and hidden must have the same dtype");
    check_message(error_of([&] { gru(randn({2, 3, 3, 1})); }), "GRU: Expected input to be 2D or 3D, got 4D");
    check_message(error_of([&] { gru(randn({2, 3, 3}, float64)); }),
                  "GRU: input and parameters must have the same dtype, got float64 and float32");
    check_message(error_of([&] { gru(randn({2, 3}), zeros({2, 1, 5})); }),
                  "For unbatched 2-D input, hx should also be 2-D but got 3-D tensor");
    check_message(error_of([] { nn::GRU({.input_size = 3, .hidden_size = 5, .dropout = 1.5}); }),
                  "dropout should be a number in range [0, 1]");
    check_message(error_of([] { nn::GRU(3, 0); }), "GRU: hidden_size must be greater than zero, got 0");
    check_message(error_of([] { nn::LSTM(0, 4); }), "LSTM: input_size must be greater than zero, got 0");
    check_message(error_of([] { nn::RNN(3, 4, 0); }), "RNN: num_layers must be greater than zero, got 0");
    check_message(error_of([] { nn::RNN(3, 4, 1, "sigmoid"); }),
                  "Unknown nonlinearity 'sigmoid'. Select from 'tanh' or 'relu'.");
    check_message(error_of([] { nn::LSTM({.input_size = 3, .hidden_size = 4, .proj_size = 4}); }),
                  "proj_size has to be smaller than hidden_size");
    nn::LSTM lstm(3, 4, 2);
    check_message(error_of([&] { lstm(randn({2, 3, 3}), {zeros({2, 3, 4}), zeros({2, 3, 5})}); }),
                  "Expected hidden[1] size (2, 3, 4), got (2, 3, 5)");
    nn::GRUCell cell(3, 4);
    check_message(error_of([&] { cell(randn({2, 5})); }),
                  "GRUCell: input.size(-1) must be equal to input_size. Expected 3, got 5");
    check_message(error_of([&] { cell(randn({2, 3}, float64)); }),
                  "GRUCell: input and parameters must have the same dtype");
    check_message(error_of([&] { cell(randn({2, 3}), zeros({3, 4})); }),
                  "GRUCell: Expected hidden size (2, 4), got (3, 4)");
}

TEST_CASE("a 2-D hx with batched input is the first layer's state; the rest start at zero") {
    nn::LSTM lstm({.input_size = 3, .hidden_size = 4, .num_layers = 2, .bidirectional = true});
    Tensor x = randn({5, 2, 3});
    Tensor h = randn({2, 4}), c = randn({2, 4});
    auto [out_2d, state_2d] = lstm(x, {h, c});
    Tensor h3 = zeros({4, 2, 4}), c3 = zeros({4, 2, 4});
    h3.select(0, 0).copy_(h);
    c3.select(0, 0).copy_(c);
    auto [out_3d, state_3d] = lstm(x, {h3, c3});
    CHECK(out_2d.to_vector<float>() == out_3d.to_vector<float>());
    CHECK(std::get<0>(state_2d).to_vector<float>() == std::get<0>(state_3d).to_vector<float>());

    nn::GRU gru(3, 4, 2);
    check_message(error_of([&] { gru(x, zeros({3, 4})); }), "Expected hidden size (2, 4) or (2, 2, 4), got (3, 4)");
}

TEST_CASE("dropout is applied between layers in training only") {
    manual_seed(0);
    nn::GRU with({.input_size = 3, .hidden_size = 8, .num_layers = 2, .dropout = 0.5});
    nn::GRU without({.input_size = 3, .hidden_size = 8, .num_layers = 2});
    without.load_state_dict(with.state_dict());
    Tensor x = randn({6, 4, 3});

    auto [train_a, h_a] = with(x);
    auto [train_b, h_b] = with(x);
    auto [plain, h_plain] = without(x);
    CHECK(train_a.to_vector<float>() != train_b.to_vector<float>());  // fresh masks each call
    CHECK(train_a.to_vector<float>() != plain.to_vector<float>());
    // The first layer's state is computed before any dropout.
    CHECK(h_a.select(0, 0).to_vector<float>() == h_plain.select(0, 0).to_vector<float>());

    with.eval();
    auto [eval_a, h_e] = with(x);
    CHECK(eval_a.to_vector<float>() == plain.to_vector<float>());
}

TEST_CASE("dropout with one layer logs PyTorch's warning") {
    auto sink = std::make_shared<spdlog::sinks::ringbuffer_sink_mt>(8);
    spdlog::default_logger()->sinks().push_back(sink);
    nn::GRU gru({.input_size = 3, .hidden_size = 5, .dropout = 0.2});
    spdlog::default_logger()->sinks().pop_back();
    std::vector<std::string> lines = sink->last_formatted();
    REQUIRE(lines.size() == 1);
    check_message(lines[0], "non-zero dropout expects num_layers greater than 1, but got dropout=0.2 and num_layers=1");
}

TEST_CASE("gradcheck: every recurrent module and cell, with respect to input, state and weights") {
    auto check_module = [](nn::Module& module, const std::vector<Tensor>& inputs, auto call) {
        module.to(float64);
        std::vector<Tensor> all = inputs;
        for (Tensor& p : module.parameters()) all.push_back(p);
        CHECK(autograd::gradcheck([&](const std::vector<Tensor>& in) { return call(in); }, all,
                                  {1e-6, 1e-7, 1e-5}));
    };
    Generator g(1);
    auto leaf = [&](const Shape& shape) { return randn(shape, float64, &g).requires_grad_(); };

    nn::GRU gru({.input_size = 2, .hidden_size = 3, .num_layers = 2, .batch_first = true, .bidirectional = true});
    check_module(gru, {leaf({2, 3, 2}), leaf({4, 2, 3})}, [&](const std::vector<Tensor>& in) {
        auto [out, h] = gru(in[0], in[1]);
        return cat({out.reshape({-1}), h.reshape({-1})});
    });
    nn::RNN rnn({.input_size = 2, .hidden_size = 3, .num_layers = 2, .nonlinearity = "relu"});
    check_module(rnn, {leaf({3, 2, 2})}, [&](const std::vector<Tensor>& in) {
        auto [out, h] = rnn(in[0]);
        return cat({out.reshape({-1}), h.reshape({-1})});
    });
    nn::LSTM lstm({.input_size = 2, .hidden_size = 3, .bidirectional = true, .proj_size = 2});
    check_module(lstm, {leaf({3, 2}), leaf({2, 2}), leaf({2, 3})}, [&](const std::vector<Tensor>& in) {
        auto [out, state] = lstm(in[0], {in[1], in[2]});  // unbatched
        return cat({out.reshape({-1}), std::get<0>(state).reshape({-1}), std::get<1>(state).reshape({-1})});
    });
    nn::GRUCell gru_cell(2, 3);
    check_module(gru_cell, {leaf({2, 2}), leaf({2, 3})},
                 [&](const std::vector<Tensor>& in) { return gru_cell(in[0], in[1]); });
    nn::RNNCell rnn_cell(2, 3);
    check_module(rnn_cell, {leaf({2, 2}), leaf({2, 3})},
                 [&](const std::vector<Tensor>& in) { return rnn_cell(in[0], in[1]); });
    nn::LSTMCell lstm_cell(2, 3);
    check_module(lstm_cell, {leaf({2}), leaf({3}), leaf({3})}, [&](const std::vector<Tensor>& in) {
        auto [h, c] = lstm_cell(in[0], {in[1], in[2]});
        return cat({h, c});
    });
}

TEST_CASE("gradcheck through packed, unsorted variable-length input") {
    nn::GRU gru({.input_size = 2, .hidden_size = 3, .bidirectional = true});
    gru.to(float64);
    Generator g(2);
    Tensor x = randn({4, 3, 2}, float64, &g).requires_grad_();
    std::vector<Tensor> inputs{x};
    for (Tensor& p : gru.parameters()) inputs.push_back(p);
    CHECK(autograd::gradcheck(
        [&](const std::vector<Tensor>& in) {
            nn::PackedSequence packed = nn::pack_padded_sequence(in[0], {2, 4, 1}, false, false);
            auto [out, h] = gru(packed);
            return cat({nn::pad_packed_sequence(out).padded.reshape({-1}), h.reshape({-1})});
        },
        inputs, {1e-6, 1e-7, 1e-5}));
}

TEST_CASE("a packed batch gives each sequence the result it gets alone") {
    nn::LSTM lstm({.input_size = 2, .hidden_size = 3, .bidirectional = true});
    lstm.to(float64);
    Generator g(4);
    Tensor x = randn({4, 3, 2}, float64, &g);
    std::vector<std::int64_t> lengths{2, 4, 1};
    auto [packed_out, state] = lstm(nn::pack_padded_sequence(x, lengths, false, false));
    Tensor padded = nn::pad_packed_sequence(packed_out).padded;
    for (std::int64_t b = 0; b < 3; ++b) {
        INFO("sequence ", b);
        Tensor alone = x.select(1, b).narrow(0, 0, lengths[b]);
        auto [out, s] = lstm(alone);
        check_values(padded.select(1, b).narrow(0, 0, lengths[b]), out.to_vector<double>(), 1e-12);
        check_values(std::get<0>(state).select(1, b), std::get<0>(s).to_vector<double>(), 1e-12);
        check_values(std::get<1>(state).select(1, b), std::get<1>(s).to_vector<double>(), 1e-12);
    }
}

TEST_CASE("under NoGradGuard the layers give the same results and keep only their outputs") {
    // Without a tape node, the fused layer keeps one step of activations instead of all of them.
    manual_seed(5);
    nn::RNN rnn({.input_size = 2, .hidden_size = 3, .num_layers = 2, .bidirectional = true});
    nn::GRU gru({.input_size = 2, .hidden_size = 3, .num_layers = 2, .bidirectional = true});
    nn::LSTM lstm({.input_size = 2, .hidden_size = 4, .num_layers = 2, .bidirectional = true,
                   .proj_size = 3});
    Tensor x = randn({5, 3, 2});
    std::vector<std::int64_t> lengths{2, 5, 1};
    for (nn::RNNBase* layer : std::initializer_list<nn::RNNBase*>{&rnn, &gru, &lstm}) {
        CAPTURE(layer->name());
        auto with_grad = layer->run(x, Tensor(), Tensor());
        auto packed_with_grad =
            layer->run(nn::pack_padded_sequence(x, lengths, false, false), Tensor(), Tensor());
        NoGradGuard no_grad;
        auto without = layer->run(x, Tensor(), Tensor());
        auto packed_without =
            layer->run(nn::pack_padded_sequence(x, lengths, false, false), Tensor(), Tensor());
        check_values(without.output, with_grad.output.to_vector<double>(), 1e-7);
        check_values(without.h_n, with_grad.h_n.to_vector<double>(), 1e-7);
        check_values(packed_without.output.data, packed_with_grad.output.data.to_vector<double>(),
                     1e-7);
        check_values(packed_without.h_n, packed_with_grad.h_n.to_vector<double>(), 1e-7);
    }
}
