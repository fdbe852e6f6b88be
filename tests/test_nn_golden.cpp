// Parity with PyTorch: every case in tests/data/*_golden.json (written by tools/make_golden.py
// with torch) is rebuilt here, parameters copied in by name, and its outputs and gradients
// compared: 1e-10 relative in float64, and about 1e-5 in float32.
#include <nlohmann/json.hpp>

#include <fstream>
#include <memory>

#include "helpers.hpp"
#include "lucidpp/nn/gru.hpp"
#include "lucidpp/nn/lstm.hpp"
#include "lucidpp/nn/rnn.hpp"
#include "lucidpp/nn/rnn_cell.hpp"

using namespace lucid;
using json = nlohmann::ordered_json;  // keeps PyTorch's parameter order

namespace {

json load(const std::string& file) { return lucid::testing::read_golden(file); }

Tensor tensor_of(const json& j, Dtype dtype) {
    if (j.is_null()) return Tensor();
    return tensor(j.at("data").get<std::vector<double>>(), Shape(j.at("shape").get<std::vector<std::int64_t>>()),
                  dtype);
}

// The largest deviations seen, reported once at the end.
struct Deviation {
    double relative = 0.0, absolute = 0.0;
};
Deviation worst64, worst32;

void compare(const std::string& what, const Tensor& actual, const json& expected, double rtol,
             double atol, Deviation& worst) {
    INFO(what);
    REQUIRE(actual.defined());
    Shape shape(expected.at("shape").get<std::vector<std::int64_t>>());
    REQUIRE(actual.shape() == shape);
    std::vector<double> a = actual.to_vector<double>();
    std::vector<double> e = expected.at("data").get<std::vector<double>>();
    for (std::size_t i = 0; i < a.size(); ++i) {
        double error = std::abs(a[i] - e[i]);
        worst.absolute = std::max(worst.absolute, error);
        if (std::abs(e[i]) > 1e-6) worst.relative = std::max(worst.relative, error / std::abs(e[i]));
        if (!(error <= atol + rtol * std::abs(e[i]))) {
            FAIL_CHECK(what << ".at(" << i << "): got " << a[i] << ", PyTorch " << e[i]);
            return;
        }
    }
}

// The module under test, whatever its kind, behind one call.
struct Subject {
    std::unique_ptr<nn::Module> module;
    std::function<std::vector<Tensor>(const Tensor&, const Tensor&, const Tensor&)> run;  // input, h0, c0
};

template <class M>
Subject recurrent(std::unique_ptr<M> m, const json& packed, bool batch_first) {
    M* raw = m.get();
    Subject s{std::move(m), {}};
    s.run = [raw, packed, batch_first](const Tensor& x, const Tensor& h0, const Tensor& c0) {
        auto call = [&](const auto& input) {
            if constexpr (std::is_same_v<M, nn::LSTM>) {
                auto [out, state] = (*raw)(input, nn::LSTM::State{h0, c0});
                return std::tuple{out, std::get<0>(state), std::get<1>(state)};
            } else {
                auto [out, h_n] = (*raw)(input, h0);
                return std::tuple{out, h_n, Tensor()};
            }
        };
        if (packed.is_null()) {
            auto [out, h_n, c_n] = call(x);
            return std::vector<Tensor>{out, h_n, c_n};
        }
        auto lengths = packed.at("lengths").get<std::vector<std::int64_t>>();
        nn::PackedSequence sequence =
            nn::pack_padded_sequence(x, lengths, batch_first, packed.at("enforce_sorted").get<bool>());
        auto [out, h_n, c_n] = call(sequence);
        return std::vector<Tensor>{nn::pad_packed_sequence(out, batch_first).padded, h_n, c_n};
    };
    return s;
}

Subject make_subject(const json& c) {
    const std::string module = c.at("module");
    const json& o = c.at("options");
    const std::int64_t I = o.at("input_size"), H = o.at("hidden_size");
    const bool bias = o.at("bias");
    if (module == "RNNCell" || module == "GRUCell" || module == "LSTMCell") {
        Subject s;
        if (module == "RNNCell") {
            auto cell = std::make_unique<nn::RNNCell>(I, H, bias, o.at("nonlinearity").get<std::string>());
            nn::RNNCell* raw = cell.get();
            s.run = [raw](const Tensor& x, const Tensor& h0, const Tensor&) {
                return std::vector<Tensor>{(*raw)(x, h0), Tensor(), Tensor()};
            };
            s.module = std::move(cell);
        } else if (module == "GRUCell") {
            auto cell = std::make_unique<nn::GRUCell>(I, H, bias);
            nn::GRUCell* raw = cell.get();
            s.run = [raw](const Tensor& x, const Tensor& h0, const Tensor&) {
                return std::vector<Tensor>{(*raw)(x, h0), Tensor(), Tensor()};
            };
            s.module = std::move(cell);
        } else {
            auto cell = std::make_unique<nn::LSTMCell>(I, H, bias);
            nn::LSTMCell* raw = cell.get();
            s.run = [raw](const Tensor& x, const Tensor& h0, const Tensor& c0) {
                auto [h, c] = (*raw)(x, nn::LSTMCell::State{h0, c0});
                return std::vector<Tensor>{h, Tensor(), c};
            };
            s.module = std::move(cell);
        }
        return s;
    }
    const std::int64_t layers = o.at("num_layers");
    const bool batch_first = o.at("batch_first"), bidirectional = o.at("bidirectional");
    const double dropout = o.at("dropout");
    if (module == "RNN") {
        return recurrent(std::make_unique<nn::RNN>(nn::RNNOptions{I, H, layers, o.at("nonlinearity").get<std::string>(),
                                                                  bias, batch_first, dropout, bidirectional}),
                         c.at("packed"), batch_first);
    }
    if (module == "GRU") {
        return recurrent(std::make_unique<nn::GRU>(nn::GRUOptions{I, H, layers, bias, batch_first, dropout, bidirectional}),
                         c.at("packed"), batch_first);
    }
    REQUIRE(module == "LSTM");
    return recurrent(std::make_unique<nn::LSTM>(nn::LSTMOptions{I, H, layers, bias, batch_first, dropout,
                                                                bidirectional, o.at("proj_size").get<std::int64_t>()}),
                     c.at("packed"), batch_first);
}

void run_case(const json& c, Dtype dtype) {
    const bool f64 = dtype == float64;
    const double rtol = f64 ? 1e-10 : 2e-5, atol = f64 ? 1e-12 : 2e-5;
    Deviation& worst = f64 ? worst64 : worst32;
    Subject s = make_subject(c);
    s.module->to(dtype);

    nn::StateDict params;
    for (auto& [name, value] : c.at("params").items()) params.emplace_back(name, tensor_of(value, dtype));
    s.module->load_state_dict(params);  // strict: names and shapes must be PyTorch's exactly
    auto names = s.module->named_parameters();
    REQUIRE(names.size() == c.at("params").size());
    std::size_t k = 0;
    for (auto& [name, value] : c.at("params").items()) CHECK(names[k++].first == name);  // same order

    Tensor x = tensor_of(c.at("input"), dtype).requires_grad_();
    Tensor h0 = tensor_of(c.at("h0"), dtype), c0 = tensor_of(c.at("c0"), dtype);
    if (h0.defined()) h0.requires_grad_();
    if (c0.defined()) c0.requires_grad_();
    std::vector<Tensor> out = s.run(x, h0, c0);

    compare("output", out[0], c.at("output"), rtol, atol, worst);
    Tensor loss = (out[0] * tensor_of(c.at("R"), dtype)).sum();
    if (!c.at("h_n").is_null()) {
        compare("h_n", out[1], c.at("h_n"), rtol, atol, worst);
        loss = loss + (out[1] * tensor_of(c.at("S"), dtype)).sum();
    }
    if (!c.at("c_n").is_null()) {
        compare("c_n", out[2], c.at("c_n"), rtol, atol, worst);
        loss = loss + (out[2] * tensor_of(c.at("S_c"), dtype)).sum();
    }
    loss.backward();
    compare("grad input", x.grad(), c.at("grads").at("input"), rtol, atol, worst);
    if (h0.defined()) compare("grad h0", h0.grad(), c.at("grads").at("h0"), rtol, atol, worst);
    if (c0.defined()) compare("grad c0", c0.grad(), c.at("grads").at("c0"), rtol, atol, worst);
    for (auto& [name, parameter] : s.module->named_parameters()) {
        compare("grad " + name, parameter.grad(), c.at("grads").at("params").at(name), rtol, atol, worst);
    }
}

std::size_t run_file(const std::string& file) {
    json golden = load(file);
    REQUIRE(golden.at("format") == "lucidpp.golden.recurrent");
    const json& cases = golden.at("cases");
    for (std::size_t i = 0; i < cases.size(); ++i) {
        lucid::testing::reading_golden(file, "cases/" + std::to_string(i), [&] {
            INFO(file, ": ", cases[i].at("name").get<std::string>());
            run_case(cases[i], float64);
            run_case(cases[i], float32);
        });
    }
    return golden.at("cases").size();
}

std::size_t cases_run = 0;

}  // namespace

TEST_CASE("RNN (tanh and relu) matches PyTorch") { cases_run += run_file("rnn_golden.json"); }
TEST_CASE("GRU matches PyTorch") { cases_run += run_file("gru_golden.json"); }
TEST_CASE("LSTM (with and without proj_size) matches PyTorch") { cases_run += run_file("lstm_golden.json"); }
TEST_CASE("RNNCell, GRUCell and LSTMCell match PyTorch") { cases_run += run_file("cell_golden.json"); }

TEST_CASE("golden summary") {
    MESSAGE(fmt::format("{} golden cases; largest deviation float64: {:.3g} relative, {:.3g} absolute; "
                        "float32: {:.3g} relative, {:.3g} absolute",
                        cases_run, worst64.relative, worst64.absolute, worst32.relative, worst32.absolute));
    CHECK(worst64.absolute < 1e-10);
}
