// nn::Module and the basic layers: registration, traversal, modes, repr, state_dict, dtype
// conversion, Linear, Embedding, Dropout, containers and loss modules, and one small training run.
#include <cmath>
#include <memory>
#include <sstream>
#include <string>
#include <vector>

#include "helpers.hpp"
#include "lucidpp/nn/activation.hpp"
#include "lucidpp/nn/container.hpp"
#include "lucidpp/nn/dropout.hpp"
#include "lucidpp/nn/embedding.hpp"
#include "lucidpp/nn/init.hpp"
#include "lucidpp/nn/linear.hpp"
#include "lucidpp/nn/loss.hpp"
#include "lucidpp/nn/module.hpp"

namespace {

using namespace lucid;
namespace nn = lucid::nn;
namespace F = lucid::nn::functional;
using lucid::autograd::gradcheck;
using lucid::testing::check_values;
using lucid::testing::error_of;

bool contains(const std::string& text, const std::string& part) {
    return text.find(part) != std::string::npos;
}

// The model of module.hpp's header comment, with a nested sub-model and a buffer.
struct Encoder : nn::Module {
    nn::Linear proj{3, 4};
    Tensor scale;
    Encoder() {
        register_module("proj", proj);
        scale = register_buffer("scale", ones({4}));
    }
    std::string name() const override { return "Encoder"; }
};

struct Tagger : nn::Module {
    nn::Embedding embed{10, 3, 0};
    Encoder encoder;
    nn::Linear head{4, 2};
    Tagger() {
        register_module("embed", embed);
        register_module("encoder", encoder);
        register_module("head", head);
    }
    std::string name() const override { return "Tagger"; }

    Tensor forward(const Tensor& indices) {
        return head(tanh(encoder.proj(embed(indices)) * encoder.scale));
    }
};

std::vector<std::string> names_of(const nn::NamedTensors& named) {
    std::vector<std::string> names;
    for (const auto& [name, tensor] : named) names.push_back(name);
    return names;
}

// Values of every parameter, flattened in order: to check that nothing changed.
std::vector<std::vector<double>> snapshot(const nn::Module& module) {
    std::vector<std::vector<double>> values;
    for (const Tensor& tensor : module.parameters()) values.push_back(tensor.to_vector<double>());
    return values;
}

void set_values(Tensor& tensor, const std::vector<double>& values) {
    NoGradGuard no_grad;
    tensor.copy_(lucid::tensor(values, tensor.shape(), tensor.dtype()));
}

// W = [[1, 2, 3], [4, 5, 6]], b = [0.5, -1].
void set_known_weights(nn::Linear& linear) {
    set_values(linear.weight, {1, 2, 3, 4, 5, 6});
    if (linear.bias.defined()) set_values(linear.bias, {0.5, -1});
}

}  // namespace

TEST_SUITE("nn.module") {

// ---- registration and traversal --------------------------------------------------------------

TEST_CASE("register_parameter and register_buffer return the same tensor") {
    nn::Module module;
    Tensor w = zeros({2, 2});
    Tensor handle = module.register_parameter("w", w);
    CHECK(handle.is_same(w));
    CHECK(w.requires_grad());
    Tensor frozen = module.register_parameter("frozen", zeros({3}), false);
    CHECK_FALSE(frozen.requires_grad());
    Tensor buffer = module.register_buffer("running", ones({2}));
    CHECK_FALSE(buffer.requires_grad());

    CHECK(names_of(module.named_parameters()) == std::vector<std::string>{"w", "frozen"});
    CHECK(names_of(module.named_buffers()) == std::vector<std::string>{"running"});
    CHECK(module.parameters()[0].is_same(w));
    CHECK(module.num_parameters() == 7);

    // Registering a name again replaces the tensor and keeps its place.
    Tensor replacement = ones({5});
    module.register_parameter("w", replacement);
    CHECK(names_of(module.named_parameters()) == std::vector<std::string>{"w", "frozen"});
    CHECK(module.parameters()[0].is_same(replacement));
    CHECK(module.num_parameters() == 8);
}

TEST_CASE("registration rejects bad names and null modules") {
    nn::Module module;
    CHECK(contains(error_of([&] { module.register_parameter("a.b", zeros({1})); }),
                   "register_parameter: name must be non-empty and contain no \".\", got \"a.b\""));
    CHECK(contains(error_of([&] { module.register_buffer("", zeros({1})); }),
                   "register_buffer: name must be non-empty"));
    CHECK(contains(error_of([&] { module.register_module("x", std::shared_ptr<nn::Module>()); }),
                   "register_module: module \"x\" is null"));
    CHECK(contains(error_of([&] { module.register_module("self", module); }),
                   "a module cannot be its own child"));
}

TEST_CASE("named_parameters of a nested model have dotted names in registration order") {
    Tagger model;
    CHECK(names_of(model.named_parameters()) ==
          std::vector<std::string>{"embed.weight", "encoder.proj.weight", "encoder.proj.bias",
                                   "head.weight", "head.bias"});
    CHECK(names_of(model.named_buffers()) == std::vector<std::string>{"encoder.scale"});
    CHECK(model.named_parameters(false).empty());
    CHECK(names_of(model.encoder.named_parameters()) ==
          std::vector<std::string>{"proj.weight", "proj.bias"});

    std::vector<Tensor> parameters = model.parameters();
    REQUIRE(parameters.size() == 5);
    CHECK(parameters[0].is_same(model.embed.weight));
    CHECK(parameters[1].is_same(model.encoder.proj.weight));
    CHECK(parameters[2].is_same(model.encoder.proj.bias));
    CHECK(parameters[3].is_same(model.head.weight));
    CHECK(parameters[4].is_same(model.head.bias));
    CHECK(parameters[1].shape() == Shape{4, 3});
    for (const Tensor& parameter : parameters) CHECK(parameter.requires_grad());
}

TEST_CASE("num_parameters counts every element exactly") {
    Tagger model;
    // embed 10*3, proj 4*3 + 4, head 2*4 + 2; buffers do not count.
    CHECK(model.num_parameters() == 30 + 16 + 10);
    CHECK(nn::Linear(5, 7, false).num_parameters() == 35);
    CHECK(nn::Dropout(0.1).num_parameters() == 0);
}

TEST_CASE("a parameter shared by two modules is listed once, as in PyTorch") {
    struct Tied : nn::Module {
        nn::Embedding embed{6, 4};
        nn::Linear out{4, 6, false};
        Tied() {
            register_module("embed", embed);
            register_module("out", out);
            out.weight = out.register_parameter("weight", embed.weight);  // weight tying
        }
    } tied;
    CHECK(names_of(tied.named_parameters()) == std::vector<std::string>{"embed.weight"});
    CHECK(tied.num_parameters() == 24);
    // state_dict keeps both names, as PyTorch's does.
    CHECK(names_of(tied.state_dict()) == std::vector<std::string>{"embed.weight", "out.weight"});
}

TEST_CASE("children, modules and apply visit in PyTorch's order") {
    Tagger model;
    std::vector<nn::Module*> children = model.children();
    REQUIRE(children.size() == 3);
    CHECK(children[0] == &model.embed);
    CHECK(children[1] == &model.encoder);
    CHECK(children[2] == &model.head);
    auto named = model.named_children();
    CHECK(named[1].first == "encoder");

    std::vector<nn::Module*> modules = model.modules();
    std::vector<nn::Module*> expected{&model, &model.embed, &model.encoder, &model.encoder.proj,
                                      &model.head};
    CHECK(modules == expected);

    // apply: children first (depth first), then the module itself.
    std::vector<std::string> visited;
    model.apply([&](nn::Module& m) { visited.push_back(m.name()); });
    CHECK(visited ==
          std::vector<std::string>{"Embedding", "Linear", "Encoder", "Linear", "Tagger"});

    // apply is how a custom initialisation reaches every layer.
    model.apply([](nn::Module& m) {
        if (auto* linear = dynamic_cast<nn::Linear*>(&m)) nn::init::constant_(linear->weight, 0.25);
    });
    check_values(model.head.weight, std::vector<double>(8, 0.25));
    check_values(model.encoder.proj.weight, std::vector<double>(12, 0.25));
}

TEST_CASE("train and eval propagate to every descendant") {
    Tagger model;
    CHECK(model.is_training());
    model.eval();
    for (nn::Module* m : model.modules()) CHECK_FALSE(m->is_training());
    model.encoder.train();
    CHECK(model.encoder.proj.is_training());
    CHECK_FALSE(model.is_training());
    model.train();
    for (nn::Module* m : model.modules()) CHECK(m->is_training());
}

TEST_CASE("zero_grad clears the gradient of every parameter") {
    manual_seed(1);
    Tagger model;
    Tensor out = model.forward(tensor({1, 2, 0, 3}, {2, 2}, int64));
    CHECK(out.shape() == Shape{2, 2, 2});
    out.sum().backward();
    for (const Tensor& parameter : model.parameters()) CHECK(parameter.grad().defined());
    model.zero_grad();
    for (const Tensor& parameter : model.parameters()) CHECK_FALSE(parameter.grad().defined());
}

// ---- repr ------------------------------------------------------------------------------------

TEST_CASE("repr of single layers is PyTorch's") {
    CHECK(nn::Linear(3, 4).repr() == "Linear(in_features=3, out_features=4, bias=True)");
    CHECK(nn::Linear(3, 4, false).repr() == "Linear(in_features=3, out_features=4, bias=False)");
    CHECK(nn::Embedding(10, 3, 0).repr() == "Embedding(10, 3, padding_idx=0)");
    CHECK(nn::Embedding(10, 3).repr() == "Embedding(10, 3)");
    CHECK(nn::Embedding(10, 3, -1).repr() == "Embedding(10, 3, padding_idx=9)");
    CHECK(nn::Dropout(0.5).repr() == "Dropout(p=0.5)");
    CHECK(nn::Dropout(0.0).repr() == "Dropout(p=0.0)");
    CHECK(nn::Dropout(1).repr() == "Dropout(p=1.0)");
    CHECK(nn::Tanh().repr() == "Tanh()");
    CHECK(nn::MSELoss().repr() == "MSELoss()");
    CHECK(nn::Module().repr() == "Module()");
}

TEST_CASE("std::ostream << module writes its repr, as print(model) does") {
    std::ostringstream out;
    out << nn::Linear(3, 4) << '|' << nn::Tanh();
    CHECK(out.str() == "Linear(in_features=3, out_features=4, bias=True)|Tanh()");
    Tagger model;
    std::ostringstream nested;
    nested << model;
    CHECK(nested.str() == model.repr());
}

TEST_CASE("repr of nested modules indents children by name") {
    Tagger model;
    CHECK(model.repr() ==
          "Tagger(\n"
          "  (embed): Embedding(10, 3, padding_idx=0)\n"
          "  (encoder): Encoder(\n"
          "    (proj): Linear(in_features=3, out_features=4, bias=True)\n"
          "  )\n"
          "  (head): Linear(in_features=4, out_features=2, bias=True)\n"
          ")");

    nn::Sequential sequential(std::make_shared<nn::Linear>(2, 3), std::make_shared<nn::Tanh>(),
                              std::make_shared<nn::Dropout>(0.25));
    CHECK(sequential.repr() ==
          "Sequential(\n"
          "  (0): Linear(in_features=2, out_features=3, bias=True)\n"
          "  (1): Tanh()\n"
          "  (2): Dropout(p=0.25)\n"
          ")");
}

TEST_CASE("repr puts extra_repr before the children when a module has both") {
    struct Block : nn::Module {
        nn::Linear inner{1, 1};
        Block() { register_module("inner", inner); }
        std::string name() const override { return "Block"; }
        std::string extra_repr() const override { return "scale=2"; }
    } block;
    CHECK(block.repr() ==
          "Block(\n"
          "  scale=2\n"
          "  (inner): Linear(in_features=1, out_features=1, bias=True)\n"
          ")");
}

// ---- state_dict --------------------------------------------------------------------------------

TEST_CASE("state_dict lists parameters then buffers, sharing storage with the module") {
    Tagger model;
    nn::StateDict dict = model.state_dict();
    CHECK(names_of(dict) == std::vector<std::string>{"embed.weight", "encoder.proj.weight",
                                                     "encoder.proj.bias", "head.weight",
                                                     "head.bias", "encoder.scale"});
    CHECK(dict[0].second.shape() == Shape{10, 3});
    CHECK(dict[3].second.shape() == Shape{2, 4});
    CHECK(dict[5].second.shape() == Shape{4});
    CHECK(dict[1].second.is_same(model.encoder.proj.weight));

    // Writing through the dict writes the module.
    {
        NoGradGuard no_grad;
        dict[4].second.fill_(7.0);
        dict[5].second.fill_(3.0);
    }
    check_values(model.head.bias, {7, 7});
    check_values(model.encoder.scale, {3, 3, 3, 3});
}

TEST_CASE("load_state_dict copies every value") {
    manual_seed(10);
    Tagger source;
    manual_seed(11);
    Tagger target;
    CHECK(source.head.weight.to_vector<double>() != target.head.weight.to_vector<double>());
    {
        NoGradGuard no_grad;
        source.encoder.scale.fill_(0.5);
    }
    target.load_state_dict(source.state_dict());
    nn::StateDict expected = source.state_dict(), actual = target.state_dict();
    REQUIRE(expected.size() == actual.size());
    for (std::size_t i = 0; i < expected.size(); ++i) {
        INFO(expected[i].first);
        CHECK(actual[i].second.to_vector<double>() == expected[i].second.to_vector<double>());
        // Copied, not shared: the handles still point at the target's own tensors.
        CHECK_FALSE(actual[i].second.is_same(expected[i].second));
    }
    CHECK(target.head.weight.requires_grad());
    {
        NoGradGuard no_grad;
        source.head.weight.fill_(0.0);
    }
    CHECK(target.head.weight.to_vector<double>() != source.head.weight.to_vector<double>());
}

TEST_CASE("strict load_state_dict reports all missing and unexpected keys in one error") {
    Tagger model;
    auto before = snapshot(model);
    nn::StateDict dict = Tagger().state_dict();
    dict.erase(dict.begin() + 1);  // encoder.proj.weight
    dict.pop_back();               // encoder.scale
    dict.emplace_back("decoder.weight", zeros({2}));
    dict.emplace_back("head.gain", zeros({2}));

    std::string message = error_of([&] { model.load_state_dict(dict); });
    CHECK(contains(message, "Error(s) in loading state_dict for Tagger:"));
    CHECK(contains(message, "Missing key(s) in state_dict: \"encoder.proj.weight\", "
                            "\"encoder.scale\"."));
    CHECK(contains(message, "Unexpected key(s) in state_dict: \"decoder.weight\", \"head.gain\"."));
    // Nothing was loaded, not even the keys that matched.
    CHECK(snapshot(model) == before);
    check_values(model.encoder.scale, {1, 1, 1, 1});
}

TEST_CASE("non-strict load_state_dict loads what matches and ignores the rest") {
    Tagger model;
    nn::StateDict dict;
    dict.emplace_back("head.bias", tensor({4, 5}, float32));
    dict.emplace_back("decoder.weight", zeros({2}));
    auto before = snapshot(model);
    model.load_state_dict(dict, false);
    check_values(model.head.bias, {4, 5});
    auto after = snapshot(model);
    for (std::size_t i = 0; i < 4; ++i) CHECK(after[i] == before[i]);
}

TEST_CASE("load_state_dict rejects shape and dtype mismatches and changes nothing") {
    Tagger model;
    auto before = snapshot(model);

    nn::StateDict shape_dict = Tagger().state_dict();
    shape_dict[3].second = zeros({4, 2});  // head.weight is (2, 4)
    std::string message = error_of([&] { model.load_state_dict(shape_dict); });
    CHECK(contains(message, "size mismatch for head.weight: copying a param with shape (4, 2) "
                            "from checkpoint, the shape in current model is (2, 4)."));
    CHECK(snapshot(model) == before);

    nn::StateDict dtype_dict = Tagger().state_dict();
    dtype_dict[4].second = zeros({2}, float64);  // head.bias is float32
    message = error_of([&] { model.load_state_dict(dtype_dict, false); });
    CHECK(contains(message, "dtype mismatch for head.bias: copying a param with dtype float64 "
                            "from checkpoint, the dtype in current model is float32."));
    CHECK(snapshot(model) == before);

    nn::StateDict undefined_dict = Tagger().state_dict();
    undefined_dict[0].second = Tensor();
    message = error_of([&] { model.load_state_dict(undefined_dict); });
    CHECK(contains(message, "embed.weight: the tensor in the checkpoint is undefined"));
    CHECK(snapshot(model) == before);
}

// ---- dtype conversion --------------------------------------------------------------------------

TEST_CASE("to(float64) converts parameters and buffers in place, keeping handles") {
    manual_seed(3);
    Tagger model;
    Tensor weight_handle = model.head.weight;
    std::vector<double> values = weight_handle.to_vector<double>();
    Tensor indices = tensor({1, 2, 3}, {1, 3}, int64);
    Tensor out32 = model.forward(indices);

    model.to(float64);
    for (const auto& [name, tensor] : model.state_dict()) {
        const std::string& key = name;  // INFO captures it, and clang 14 cannot capture a binding
        INFO(key);
        CHECK(tensor.dtype() == float64);
    }
    CHECK(weight_handle.dtype() == float64);
    CHECK(weight_handle.is_same(model.head.weight));
    CHECK(model.parameters()[3].is_same(weight_handle));
    CHECK(weight_handle.to_vector<double>() == values);  // float32 -> float64 is exact
    for (const Tensor& parameter : model.parameters()) CHECK(parameter.requires_grad());
    CHECK_FALSE(model.encoder.scale.requires_grad());

    // The model still works, in float64, with gradients.
    Tensor out64 = model.forward(indices);
    CHECK(out64.dtype() == float64);
    check_values(out64, out32.to_vector<double>(), 1e-5);
    out64.sum().backward();
    CHECK(model.head.weight.grad().dtype() == float64);
}

TEST_CASE("to keeps integer buffers and rejects non-floating dtypes") {
    nn::Linear linear(2, 2);
    Tensor steps = linear.register_buffer("steps", zeros({1}, int64));
    linear.to(float64);
    CHECK(steps.dtype() == int64);
    CHECK(linear.weight.dtype() == float64);
    CHECK(contains(error_of([&] { linear.to(int64); }),
                   "Module.to only accepts floating point dtypes, but got desired dtype=int64"));
    CHECK(linear.weight.dtype() == float64);
}

// ---- Linear ------------------------------------------------------------------------------------

TEST_CASE("Linear initialises U(-1/sqrt(in), 1/sqrt(in)) as PyTorch") {
    manual_seed(5);
    nn::Linear linear(16, 200);
    const double bound = 0.25;
    for (const Tensor& tensor : {linear.weight, linear.bias}) {
        std::vector<double> values = tensor.to_vector<double>();
        double low = values[0], high = values[0], sum = 0;
        for (double v : values) {
            CHECK(std::abs(v) <= bound);
            low = std::min(low, v);
            high = std::max(high, v);
            sum += v;
        }
        // 3200 (weight) and 200 (bias) draws cover most of the range around a zero mean.
        CHECK(low < -0.9 * bound);
        CHECK(high > 0.9 * bound);
        CHECK(std::abs(sum / static_cast<double>(values.size())) < 0.05);
    }
    CHECK(linear.weight.shape() == Shape{200, 16});
    CHECK(linear.bias.shape() == Shape{200});
    CHECK(linear.weight.dtype() == float32);
}

TEST_CASE("Linear built after the same manual_seed has identical weights") {
    manual_seed(42);
    nn::Linear a(4, 3);
    manual_seed(42);
    nn::Linear b(4, 3);
    nn::Linear c(4, 3);  // the generator moved on
    CHECK(a.weight.to_vector<double>() == b.weight.to_vector<double>());
    CHECK(a.bias.to_vector<double>() == b.bias.to_vector<double>());
    CHECK(a.weight.to_vector<double>() != c.weight.to_vector<double>());
}

TEST_CASE("Linear forward computes x W^T + b") {
    nn::Linear linear(3, 2);
    set_known_weights(linear);
    Tensor x = tensor({1, 0, -1, 2, 1, 0}, {2, 3}, float32);
    Tensor y = linear(x);
    CHECK(y.shape() == Shape{2, 2});
    check_values(y, {-1.5, -3, 4.5, 12});

    // Any number of leading dims.
    Tensor x3 = tensor({1, 0, -1, 2, 1, 0, 0, 0, 1, 1, 1, 1}, {2, 2, 3}, float32);
    Tensor y3 = linear(x3);
    CHECK(y3.shape() == Shape{2, 2, 2});
    check_values(y3, {-1.5, -3, 4.5, 12, 3.5, 5, 6.5, 14});

    // One sample without a batch dim.
    check_values(linear(tensor({1, 0, -1}, float32)), {-1.5, -3});
}

TEST_CASE("Linear without bias") {
    nn::Linear linear({.in_features = 3, .out_features = 2, .bias = false});
    CHECK_FALSE(linear.bias.defined());
    CHECK(names_of(linear.named_parameters()) == std::vector<std::string>{"weight"});
    set_known_weights(linear);
    check_values(linear(tensor({1, 0, -1, 2, 1, 0}, {2, 3}, float32)), {-2, -2, 4, 13});
}

TEST_CASE("Linear gradients pass gradcheck in float64") {
    manual_seed(6);
    nn::Linear linear(3, 2);
    linear.to(float64);
    Tensor x = lucid::testing::leaf({4, 3}, 7);
    CHECK(gradcheck(
        [&](const std::vector<Tensor>& in) {
            return F::linear(in[0], in[1], in[2]);
        },
        {x, linear.weight, linear.bias}));
    // Through the module, non-contiguous input.
    Tensor xt = randn({3, 4}, float64).t();
    xt.requires_grad_();
    CHECK(gradcheck([&](const std::vector<Tensor>& in) { return linear(in[0]); }, {xt}));
}

TEST_CASE("Linear errors") {
    CHECK(contains(error_of([] { nn::Linear(0, 3); }),
                   "Linear: in_features and out_features must be positive, got 0 and 3"));
    nn::Linear linear(3, 2);
    CHECK(contains(error_of([&] { linear(zeros({2, 4})); }),
                   "linear: input of shape (2, 4) does not match weight of shape (2, 3)"));
}

// ---- Embedding ---------------------------------------------------------------------------------

TEST_CASE("Embedding forward has shape indices.shape + (dim)") {
    manual_seed(8);
    nn::Embedding embedding(10, 4);
    CHECK(embedding.weight.shape() == Shape{10, 4});
    Tensor indices = tensor({1, 2, 3, 9, 0, 1}, {2, 3}, int64);
    Tensor out = embedding(indices);
    CHECK(out.shape() == Shape{2, 3, 4});
    // Row (b, t) of the output is row indices[b, t] of the table.
    std::vector<double> table = embedding.weight.to_vector<double>();
    std::vector<double> expected;
    for (int index : {1, 2, 3, 9, 0, 1}) {
        for (int j = 0; j < 4; ++j) {
            expected.push_back(table[static_cast<std::size_t>(index * 4 + j)]);
        }
    }
    check_values(out, expected);
}

TEST_CASE("Embedding padding_idx row is zero at init and gets no gradient") {
    manual_seed(9);
    nn::Embedding embedding({.num_embeddings = 5, .embedding_dim = 3, .padding_idx = 2});
    std::vector<double> table = embedding.weight.to_vector<double>();
    for (std::size_t i = 0; i < table.size(); ++i) {
        INFO("element ", i);
        if (i / 3 == 2) CHECK(table[i] == 0.0);
        else CHECK(table[i] != 0.0);
    }
    Tensor out = embedding(tensor({2, 0, 2, 4, 0}, {5}, int64));
    check_values(out.select(0, 0), {0, 0, 0});
    out.sum().backward();
    // Rows 0 and 4 collect one per lookup; the padding row collects nothing.
    check_values(embedding.weight.grad(), {2, 2, 2, 0, 0, 0, 0, 0, 0, 0, 0, 0, 1, 1, 1});
}

TEST_CASE("Embedding gradient passes gradcheck in float64") {
    manual_seed(13);
    nn::Embedding embedding(4, 3);  // a padding row would (by design) disagree with the numbers
    embedding.to(float64);
    Tensor indices = tensor({3, 1, 0, 3}, {2, 2}, int64);
    CHECK(gradcheck([&](const std::vector<Tensor>&) { return embedding(indices) * 2.0; },
                    {embedding.weight}));
}

TEST_CASE("Embedding option errors") {
    CHECK(contains(error_of([] { nn::Embedding(0, 3); }),
                   "Embedding: num_embeddings and embedding_dim must be positive, got 0 and 3"));
    CHECK(contains(error_of([] { nn::Embedding(5, 3, 5); }),
                   "Embedding: padding_idx must be within num_embeddings (5), got 5"));
    CHECK(contains(error_of([] { nn::Embedding(5, 3, -6); }),
                   "Embedding: padding_idx must be within num_embeddings (5), got -6"));
    CHECK(*nn::Embedding(5, 3, -1).options().padding_idx == 4);
}

// ---- Options -----------------------------------------------------------------------------------

using lucid::testing::read_only_options;
static_assert(read_only_options<nn::Linear, nn::LinearOptions>);
static_assert(read_only_options<nn::Embedding, nn::EmbeddingOptions>);
static_assert(read_only_options<nn::Dropout, nn::DropoutOptions>);
static_assert(read_only_options<nn::MSELoss, nn::MSELossOptions>);
static_assert(read_only_options<nn::CrossEntropyLoss, nn::CrossEntropyLossOptions>);

TEST_CASE("options() returns the options each module was built with") {
    const nn::Linear linear({.in_features = 3, .out_features = 4, .bias = false});
    CHECK(linear.options().in_features == 3);
    CHECK(linear.options().out_features == 4);
    CHECK_FALSE(linear.options().bias);
    const nn::Embedding embedding({.num_embeddings = 6, .embedding_dim = 2, .padding_idx = 1});
    CHECK(embedding.options().num_embeddings == 6);
    CHECK(embedding.options().embedding_dim == 2);
    CHECK(*embedding.options().padding_idx == 1);
    CHECK(nn::Dropout(0.25).options().p == 0.25);
    CHECK(nn::Dropout({.p = 0.75}).repr() == "Dropout(p=0.75)");
    CHECK(nn::MSELoss(nn::Reduction::sum).options().reduction == nn::Reduction::sum);
    const nn::CrossEntropyLoss loss({.ignore_index = 2});
    CHECK(loss.options().reduction == nn::Reduction::mean);
    CHECK(loss.options().ignore_index == 2);
}

// ---- Dropout -----------------------------------------------------------------------------------

TEST_CASE("Dropout validates p") {
    CHECK(error_of([] { nn::Dropout(1.5); }) ==
          "Dropout: dropout probability has to be between 0 and 1, but got 1.5");
    CHECK(contains(error_of([] { nn::Dropout(-0.1); }), "but got -0.1"));
    CHECK(contains(error_of([] { nn::Dropout(std::nan("")); }), "but got nan"));
}

TEST_CASE("Dropout zeroes about p of the elements in training and is the identity in eval") {
    Tensor x = ones({100, 100});
    Generator generator(12);
    nn::Dropout dropout(0.3, &generator);
    Tensor y = dropout(x);
    std::vector<double> values = y.to_vector<double>();
    double zeros_count = 0;
    for (double v : values) {
        if (v == 0.0) ++zeros_count;
        else CHECK(v == doctest::Approx(1.0 / 0.7));
    }
    CHECK(std::abs(zeros_count / 10000.0 - 0.3) < 0.02);  // 4 standard deviations

    dropout.eval();
    Tensor z = dropout(x);
    CHECK(z.to_vector<double>() == x.to_vector<double>());

    nn::Dropout all(1.0);
    check_values(all(x.slice(0, 0, 2)), std::vector<double>(200, 0.0));
    all.eval();
    check_values(all(x.slice(0, 0, 2)), std::vector<double>(200, 1.0));
}

// ---- containers ------------------------------------------------------------------------------

TEST_CASE("Sequential chains its modules in order") {
    nn::Sequential sequential;
    sequential.push_back(std::make_shared<nn::Linear>(3, 2));
    nn::ReLU& relu = sequential.emplace_back<nn::ReLU>();
    nn::Linear& last = sequential.emplace_back<nn::Linear>(2, 1);
    CHECK(sequential.size() == 3);
    CHECK(&sequential[1] == &relu);
    CHECK(&sequential[2] == &last);

    auto& first = dynamic_cast<nn::Linear&>(sequential[0]);
    set_known_weights(first);
    set_values(last.weight, {1, -2});
    set_values(last.bias, {0.25});
    // first: [[-1.5, -3], [4.5, 12]] -> relu -> [[0, 0], [4.5, 12]] -> 1 a - 2 b + 0.25.
    Tensor y = sequential(tensor({1, 0, -1, 2, 1, 0}, {2, 3}, float32));
    CHECK(y.shape() == Shape{2, 1});
    check_values(y, {0.25, 4.5 - 24 + 0.25});

    CHECK(names_of(sequential.named_parameters()) ==
          std::vector<std::string>{"0.weight", "0.bias", "2.weight", "2.bias"});
    CHECK(error_of([&] { sequential[3]; }) ==
          "Sequential: index 3 is out of range for 3 modules");
    CHECK(error_of([&] { sequential.push_back(nullptr); }) ==
          "register_module: module \"3\" is null");
    CHECK(sequential.size() == 3);
}

TEST_CASE("Sequential from shared_ptrs keeps the caller's modules") {
    auto linear = std::make_shared<nn::Linear>(2, 2);
    nn::Sequential sequential(linear, std::make_shared<nn::Sigmoid>());
    CHECK(&sequential[0] == linear.get());
    set_values(linear->weight, {1, 0, 0, 1});
    set_values(linear->bias, {0, 0});
    check_values(sequential(tensor({0, std::log(3.0)}, {1, 2})), {0.5, 0.75});
    CHECK(nn::Sequential()(tensor({1, 2}, float32)).to_vector<double>() ==
          std::vector<double>{1, 2});
}

TEST_CASE("ModuleList indexes its modules and at<T> casts them") {
    nn::ModuleList list;
    list.push_back(std::make_shared<nn::Linear>(2, 3));
    list.push_back(std::make_shared<nn::Embedding>(4, 2));
    CHECK(list.size() == 2);
    CHECK(list.at<nn::Linear>(0).options().out_features == 3);
    CHECK(list.at<nn::Embedding>(1).options().num_embeddings == 4);
    CHECK(names_of(list.named_parameters()) ==
          std::vector<std::string>{"0.weight", "0.bias", "1.weight"});
    CHECK(list.num_parameters() == 6 + 3 + 8);
    CHECK(error_of([&] { list[2]; }) == "ModuleList: index 2 is out of range for 2 modules");
    CHECK(error_of([&] { list.at<nn::Dropout>(0); }) ==
          "ModuleList: module 0 is a Linear, not the requested type");
    CHECK(list.repr() ==
          "ModuleList(\n"
          "  (0): Linear(in_features=2, out_features=3, bias=True)\n"
          "  (1): Embedding(4, 2)\n"
          ")");
}

// ---- losses ------------------------------------------------------------------------------------

TEST_CASE("MSELoss and CrossEntropyLoss give the functional values") {
    Tensor input = tensor({1, 2, 3}, float32), target = tensor({0, 2, 5}, float32);
    CHECK(nn::MSELoss()(input, target).item() == doctest::Approx(5.0 / 3.0));
    CHECK(nn::MSELoss(nn::Reduction::sum)(input, target).item() == doctest::Approx(5.0));
    check_values(nn::MSELoss(nn::Reduction::none)(input, target), {1, 0, 4});

    // Row 0: -log(1/2); row 1: -log(1/4).
    Tensor logits = tensor({0, 0, std::log(3.0), 0}, {2, 2});
    Tensor classes = tensor({0, 1}, {2}, int64);
    CHECK(nn::CrossEntropyLoss()(logits, classes).item() == doctest::Approx(1.5 * std::log(2.0)));
    CHECK(nn::CrossEntropyLoss(nn::Reduction::sum)(logits, classes).item() ==
          doctest::Approx(3 * std::log(2.0)));
    Tensor ignored = tensor({0, -100}, {2}, int64);
    CHECK(nn::CrossEntropyLoss()(logits, ignored).item() == doctest::Approx(std::log(2.0)));
    CHECK(nn::CrossEntropyLoss(nn::Reduction::mean, 1)(logits, classes).item() ==
          doctest::Approx(std::log(2.0)));
    CHECK(nn::CrossEntropyLoss()(logits, classes).item() ==
          doctest::Approx(F::cross_entropy(logits, classes).item()));
}

// ---- end to end --------------------------------------------------------------------------------

TEST_CASE("a 2-layer MLP learns a tiny regression with plain SGD") {
    manual_seed(2024);
    nn::Sequential mlp(std::make_shared<nn::Linear>(1, 16), std::make_shared<nn::Tanh>(),
                       std::make_shared<nn::Linear>(16, 1));
    std::vector<double> xs, ys;
    for (int i = 0; i < 32; ++i) {
        double x = -2.0 + 4.0 * i / 31.0;
        xs.push_back(x);
        ys.push_back(std::sin(x));
    }
    Tensor x = tensor(xs, {32, 1}), y = tensor(ys, {32, 1});
    nn::MSELoss mse;

    const double learning_rate = 0.2;
    double first_loss = 0, loss_value = 0;
    for (int step = 0; step < 200; ++step) {
        mlp.zero_grad();
        Tensor loss = mse(mlp(x), y);
        loss.backward();
        loss_value = loss.item();
        if (step == 0) first_loss = loss_value;
        NoGradGuard no_grad;
        for (Tensor& parameter : mlp.parameters()) parameter.add_(parameter.grad(), -learning_rate);
    }
    MESSAGE("MLP loss ", first_loss, " -> ", loss_value);
    CHECK(first_loss > 0.1);
    CHECK(loss_value < 0.01);
}

}  // TEST_SUITE
