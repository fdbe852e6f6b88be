// The fused recurrent layer (one tape node per layer and direction) against the step-by-step
// version built from primitive ops, and against finite differences.
#include "helpers.hpp"
#include "lucidpp/ops/recurrent_layer_reference.hpp"
#include "lucidpp/ops/recurrent_layer.hpp"

using namespace lucid;
using lucid::testing::leaf;

namespace {

struct Case {
    CellKind kind;
    bool projected = false;
    bool bias = true;
    bool reverse = false;
    std::vector<std::int64_t> batch_sizes{3, 3, 2, 1};
};

struct Inputs {
    Tensor input, h0, c0;
    RecurrentWeights w;
    std::vector<Tensor> all() const {
        std::vector<Tensor> out{input, h0, w.w_ih, w.w_hh};
        for (const Tensor* t : {&c0, &w.b_ih, &w.b_hh, &w.w_hr}) {
            if (t->defined()) out.push_back(*t);
        }
        return out;
    }
};

Inputs make_inputs(const Case& c, std::uint64_t seed) {
    const std::int64_t I = 3, H = 4, P = 2, G = gate_count(c.kind);
    const std::int64_t H_out = c.projected ? P : H;
    std::int64_t rows = 0;
    for (std::int64_t size : c.batch_sizes) rows += size;
    Inputs in;
    in.input = leaf({rows, I}, seed);
    in.h0 = leaf({c.batch_sizes[0], H_out}, seed + 1);
    if (c.kind == CellKind::lstm) in.c0 = leaf({c.batch_sizes[0], H}, seed + 2);
    in.w.w_ih = leaf({G * H, I}, seed + 3);
    in.w.w_hh = leaf({G * H, H_out}, seed + 4);
    if (c.bias) {
        in.w.b_ih = leaf({G * H}, seed + 5);
        in.w.b_hh = leaf({G * H}, seed + 6);
    }
    if (c.projected) in.w.w_hr = leaf({P, H}, seed + 7);
    return in;
}

// A loss that touches every output, so every gradient path is exercised.
Tensor loss_of(const RecurrentLayerOutput& out) {
    Tensor loss = (out.output * out.output).sum() + (out.h_n * 0.7).sum();
    if (out.c_n.defined()) loss = loss + (out.c_n * out.c_n * 1.3).sum();
    return loss;
}

std::vector<std::vector<double>> gradients_of(const Inputs& in) {
    std::vector<std::vector<double>> grads;
    for (const Tensor& t : in.all()) {
        grads.push_back(t.grad().defined() ? t.grad().to_vector<double>()
                                           : std::vector<double>(t.numel(), 0.0));
        t.zero_grad();
    }
    return grads;
}

void check_close(const std::vector<double>& a, const std::vector<double>& b, double tolerance) {
    REQUIRE(a.size() == b.size());
    for (std::size_t i = 0; i < a.size(); ++i) CHECK(a[i] == doctest::Approx(b[i]).epsilon(tolerance));
}

std::string describe(const Case& c) {
    return fmt::format("kind {} projected {} bias {} reverse {} sizes ({})", static_cast<int>(c.kind),
                       c.projected, c.bias, c.reverse, fmt::join(c.batch_sizes, ", "));
}

std::vector<Case> all_cases() {
    std::vector<Case> cases;
    for (CellKind kind : {CellKind::rnn_tanh, CellKind::rnn_relu, CellKind::gru, CellKind::lstm}) {
        for (bool reverse : {false, true}) {
            for (bool bias : {true, false}) {
                cases.push_back({kind, false, bias, reverse});
                if (kind == CellKind::lstm) cases.push_back({kind, true, bias, reverse});
            }
        }
    }
    cases.push_back({CellKind::gru, false, true, false, {2, 2, 2}});
    return cases;
}

}  // namespace

TEST_CASE("fused layers equal the step-by-step reference: outputs and all gradients") {
    std::uint64_t seed = 100;
    for (const Case& c : all_cases()) {
        INFO(describe(c));
        Inputs in = make_inputs(c, seed += 10);
        RecurrentLayerOutput fused = recurrent_layer(c.kind, in.input, c.batch_sizes, in.h0, in.c0, in.w, c.reverse);
        CHECK(fused.output.grad_fn()->name().find("_layer") != std::string::npos);
        loss_of(fused).backward();
        auto fused_grads = gradients_of(in);

        RecurrentLayerOutput reference =
            recurrent_layer_reference(c.kind, in.input, c.batch_sizes, in.h0, in.c0, in.w, c.reverse);
        loss_of(reference).backward();
        auto reference_grads = gradients_of(in);

        check_close(fused.output.to_vector<double>(), reference.output.to_vector<double>(), 1e-12);
        check_close(fused.h_n.to_vector<double>(), reference.h_n.to_vector<double>(), 1e-12);
        if (c.kind == CellKind::lstm) {
            check_close(fused.c_n.to_vector<double>(), reference.c_n.to_vector<double>(), 1e-12);
        }
        for (std::size_t k = 0; k < fused_grads.size(); ++k) {
            INFO("gradient of input ", k);
            check_close(fused_grads[k], reference_grads[k], 1e-10);
        }
    }
}

TEST_CASE("the fused layer passes gradcheck for every cell kind") {
    std::uint64_t seed = 500;
    for (const Case& base : all_cases()) {
        Case c = base;
        c.batch_sizes = {2, 2, 1};
        INFO(describe(c));
        Inputs in = make_inputs(c, seed += 10);
        const bool lstm = c.kind == CellKind::lstm;
        auto fn = [&](const std::vector<Tensor>& args) {
            RecurrentWeights w{args[2], args[3], Tensor(), Tensor(), Tensor()};
            std::size_t next = 4;
            Tensor c0 = lstm ? args[next++] : Tensor();
            if (c.bias) {
                w.b_ih = args[next++];
                w.b_hh = args[next++];
            }
            if (c.projected) w.w_hr = args[next++];
            RecurrentLayerOutput out = recurrent_layer(c.kind, args[0], c.batch_sizes, args[1], c0, w, c.reverse);
            std::vector<Tensor> parts{out.output.reshape({-1}), out.h_n.reshape({-1})};
            if (lstm) parts.push_back(out.c_n.reshape({-1}));
            return cat(parts);
        };
        CHECK(autograd::gradcheck(fn, in.all(), {1e-6, 1e-7, 1e-5}));
    }
}

TEST_CASE("one node per layer, and float32 agrees with float64") {
    Case c{CellKind::gru};
    Inputs in = make_inputs(c, 7);
    std::int64_t before = autograd::live_node_count();
    RecurrentLayerOutput out = recurrent_layer(c.kind, in.input, c.batch_sizes, in.h0, in.c0, in.w, false);
    CHECK(autograd::live_node_count() - before == 1);
    CHECK(out.output.grad_fn() == out.h_n.grad_fn());

    RecurrentWeights w32{in.w.w_ih.to(float32), in.w.w_hh.to(float32), in.w.b_ih.to(float32),
                         in.w.b_hh.to(float32), Tensor()};
    RecurrentLayerOutput out32 = recurrent_layer(c.kind, in.input.to(float32), c.batch_sizes,
                                                 in.h0.to(float32), Tensor(), w32, false);
    CHECK(out32.output.dtype() == float32);
    check_close(out32.output.to_vector<double>(), out.output.to_vector<double>(), 1e-5);
}

TEST_CASE("finished rows keep their last state in h_n") {
    Case c{CellKind::rnn_tanh};
    Inputs in = make_inputs(c, 9);
    RecurrentLayerOutput out = recurrent_layer(c.kind, in.input, c.batch_sizes, in.h0, in.c0, in.w, false);
    // batch sizes (3, 3, 2, 1): row 2 ends at step 1 (rows 3..5), row 1 at step 2 (rows 6..7).
    CHECK(out.h_n.select(0, 2).to_vector<double>() == out.output.select(0, 5).to_vector<double>());
    CHECK(out.h_n.select(0, 1).to_vector<double>() == out.output.select(0, 7).to_vector<double>());
    CHECK(out.h_n.select(0, 0).to_vector<double>() == out.output.select(0, 8).to_vector<double>());
}
