#include "onednn_layer.hpp"

#include <cstring>
#include <utility>

namespace bench::onednn {

namespace {

using tag = memory::format_tag;
using dnnl::prop_kind;
constexpr auto left_to_right = dnnl::rnn_direction::unidirectional_left2right;

void zero(const memory& m) {
    std::memset(m.get_data_handle(), 0, m.get_desc().get_size());
}

// The descriptors of one layer. "none" (a zero descriptor) is oneDNN's "no such tensor", here
// for the final state, which nothing reads. The initial state is an explicit zero tensor, not
// "none": with "none", oneDNN 2.6.3's vanilla RNN and LSTM backward return wrong W_hh gradients
// (checked against PyTorch; the GRU's were right), so it is given explicitly.
struct Descs {
    memory::desc src, weights_layer, weights_iter, bias, dst, state, none;
};

// Forward and backward primitive descriptors of one cell kind. Each kind has its own descriptor
// type, hence a function per kind; backward takes "any" weights and weight-gradient layouts too.
std::pair<dnnl::primitive_desc, dnnl::primitive_desc> rnn_descs(const Descs& d, prop_kind prop,
                                                                const dnnl::engine& engine) {
    const auto tanh = dnnl::algorithm::eltwise_tanh;
    dnnl::vanilla_rnn_forward::primitive_desc forward(
        {prop, tanh, left_to_right, d.src, d.state, d.weights_layer, d.weights_iter, d.bias, d.dst,
         d.none},
        engine);
    if (prop != prop_kind::forward_training) return {forward, {}};
    dnnl::vanilla_rnn_backward::primitive_desc backward(
        {prop_kind::backward, tanh, left_to_right, d.src, d.state, d.weights_layer, d.weights_iter,
         d.bias, d.dst, d.none, d.src, d.state, d.weights_layer, d.weights_iter, d.bias, d.dst,
         d.none},
        engine, forward);
    return {forward, backward};
}

std::pair<dnnl::primitive_desc, dnnl::primitive_desc> gru_descs(const Descs& d, prop_kind prop,
                                                                const dnnl::engine& engine) {
    dnnl::lbr_gru_forward::primitive_desc forward(
        {prop, left_to_right, d.src, d.state, d.weights_layer, d.weights_iter, d.bias, d.dst,
         d.none},
        engine);
    if (prop != prop_kind::forward_training) return {forward, {}};
    dnnl::lbr_gru_backward::primitive_desc backward(
        {prop_kind::backward, left_to_right, d.src, d.state, d.weights_layer, d.weights_iter,
         d.bias, d.dst, d.none, d.src, d.state, d.weights_layer, d.weights_iter, d.bias, d.dst,
         d.none},
        engine, forward);
    return {forward, backward};
}

std::pair<dnnl::primitive_desc, dnnl::primitive_desc> lstm_descs(const Descs& d, prop_kind prop,
                                                                 const dnnl::engine& engine) {
    dnnl::lstm_forward::primitive_desc forward(
        {prop, left_to_right, d.src, d.state, d.state, d.weights_layer, d.weights_iter, d.bias,
         d.dst, d.none, d.none},
        engine);
    if (prop != prop_kind::forward_training) return {forward, {}};
    dnnl::lstm_backward::primitive_desc backward({prop_kind::backward,
                                                  left_to_right,
                                                  d.src,
                                                  d.state,
                                                  d.state,
                                                  d.weights_layer,
                                                  d.weights_iter,
                                                  d.bias,
                                                  d.dst,
                                                  d.none,
                                                  d.none,
                                                  d.src,
                                                  d.state,
                                                  d.state,
                                                  d.weights_layer,
                                                  d.weights_iter,
                                                  d.bias,
                                                  d.dst,
                                                  d.none,
                                                  d.none},
                                                 engine, forward);
    return {forward, backward};
}

// Reorders between a plain buffer and a memory of any layout; setup and checking only.
void copy(dnnl::stream& stream, memory& from, memory& to) {
    dnnl::reorder(from, to).execute(stream, from, to);
    stream.wait();
}

}  // namespace

std::int64_t gates_of(const std::string& model) {
    return model == "lstm" ? 4 : model == "gru" ? 3 : 1;
}

std::int64_t bias_gates_of(const std::string& model) {
    return model == "gru" ? 4 : gates_of(model);
}

Layer::Layer(const LayerShape& shape, bool train, const dnnl::engine& engine, memory src,
             memory diff_src)
    : engine_(engine),
      lstm_(shape.model == "lstm"),
      src_(std::move(src)),
      diff_src_(std::move(diff_src)) {
    make_primitive_descs(shape, train);
    weights_layer_ = memory(arg_desc(forward_pd_, DNNL_ARG_WEIGHTS_LAYER), engine_);
    weights_iter_ = memory(arg_desc(forward_pd_, DNNL_ARG_WEIGHTS_ITER), engine_);
    bias_ = memory(arg_desc(forward_pd_, DNNL_ARG_BIAS), engine_);
    dst_ = memory(arg_desc(forward_pd_, DNNL_ARG_DST_LAYER), engine_);
    forward_ = dnnl::primitive(forward_pd_);
    initial_state_ = memory(arg_desc(forward_pd_, DNNL_ARG_SRC_ITER), engine_);
    zero(initial_state_);
    if (!train) return;
    initial_state_grad_ = memory(initial_state_.get_desc(), engine_);
    if (lstm_) initial_cell_grad_ = memory(initial_state_.get_desc(), engine_);
    workspace_ = memory(forward_pd_.workspace_desc(), engine_);
    diff_dst_ = memory(arg_desc(backward_pd_, DNNL_ARG_DIFF_DST_LAYER), engine_);
    zero(diff_dst_);
    backward_ = dnnl::primitive(backward_pd_);
    backward_weights_layer_ =
        same_or_new(weights_layer_, arg_desc(backward_pd_, DNNL_ARG_WEIGHTS_LAYER));
    backward_weights_iter_ =
        same_or_new(weights_iter_, arg_desc(backward_pd_, DNNL_ARG_WEIGHTS_ITER));
    diff_weights_layer_ = memory(arg_desc(backward_pd_, DNNL_ARG_DIFF_WEIGHTS_LAYER), engine_);
    diff_weights_iter_ = memory(arg_desc(backward_pd_, DNNL_ARG_DIFF_WEIGHTS_ITER), engine_);
    diff_bias_ = memory(arg_desc(backward_pd_, DNNL_ARG_DIFF_BIAS), engine_);
    adam_diff_weights_layer_ = same_or_new(diff_weights_layer_, weights_layer_.get_desc());
    adam_diff_weights_iter_ = same_or_new(diff_weights_iter_, weights_iter_.get_desc());
}

void Layer::make_primitive_descs(const LayerShape& s, bool train) {
    const auto f32 = memory::data_type::f32;
    const std::int64_t G = gates_of(s.model), H = s.hidden_size;
    const Descs d{src_.get_desc(),
                  memory::desc({1, 1, s.input_size, G, H}, f32, tag::any),
                  memory::desc({1, 1, H, G, H}, f32, tag::any),
                  memory::desc({1, 1, bias_gates_of(s.model), H}, f32, tag::ldgo),
                  memory::desc({s.T, s.B, H}, f32, tag::tnc),
                  memory::desc({1, 1, s.B, H}, f32, tag::ldnc),
                  memory::desc()};
    const prop_kind prop = train ? prop_kind::forward_training : prop_kind::forward_inference;
    auto descs = s.model == "rnn"   ? rnn_descs(d, prop, engine_)
                 : s.model == "gru" ? gru_descs(d, prop, engine_)
                                    : lstm_descs(d, prop, engine_);
    forward_pd_ = std::move(descs.first);
    backward_pd_ = std::move(descs.second);
}

memory::desc Layer::arg_desc(const dnnl::primitive_desc& pd, int arg) const {
    return pd.query_md(dnnl::query::exec_arg_md, arg);
}

memory Layer::same_or_new(const memory& existing, const memory::desc& wanted) const {
    return existing.get_desc() == wanted ? existing : memory(wanted, engine_);
}

void Layer::reorder_if_needed(dnnl::stream& stream, memory& from, memory& to) {
    if (from.get() == to.get()) return;
    auto [entry, inserted] = reorders_.try_emplace(to.get());
    if (inserted) entry->second = dnnl::reorder(from, to);
    entry->second.execute(stream, from, to);
}

void Layer::forward(dnnl::stream& stream) {
    std::unordered_map<int, memory> args{{DNNL_ARG_SRC_LAYER, src_},
                                         {DNNL_ARG_WEIGHTS_LAYER, weights_layer_},
                                         {DNNL_ARG_SRC_ITER, initial_state_},
                                         {DNNL_ARG_WEIGHTS_ITER, weights_iter_},
                                         {DNNL_ARG_BIAS, bias_},
                                         {DNNL_ARG_DST_LAYER, dst_}};
    if (workspace_) args.emplace(DNNL_ARG_WORKSPACE, workspace_);
    if (lstm_) args.emplace(DNNL_ARG_SRC_ITER_C, initial_state_);
    forward_.execute(stream, args);
}

void Layer::backward(dnnl::stream& stream) {
    reorder_if_needed(stream, weights_layer_, backward_weights_layer_);
    reorder_if_needed(stream, weights_iter_, backward_weights_iter_);
    for (const memory* grad : {&diff_weights_layer_, &diff_weights_iter_, &diff_bias_}) zero(*grad);
    std::unordered_map<int, memory> args{{DNNL_ARG_SRC_LAYER, src_},
                                         {DNNL_ARG_SRC_ITER, initial_state_},
                                         {DNNL_ARG_WEIGHTS_LAYER, backward_weights_layer_},
                                         {DNNL_ARG_WEIGHTS_ITER, backward_weights_iter_},
                                         {DNNL_ARG_BIAS, bias_},
                                         {DNNL_ARG_DST_LAYER, dst_},
                                         {DNNL_ARG_WORKSPACE, workspace_},
                                         {DNNL_ARG_DIFF_DST_LAYER, diff_dst_},
                                         {DNNL_ARG_DIFF_SRC_LAYER, diff_src_},
                                         {DNNL_ARG_DIFF_WEIGHTS_LAYER, diff_weights_layer_},
                                         {DNNL_ARG_DIFF_WEIGHTS_ITER, diff_weights_iter_},
                                         {DNNL_ARG_DIFF_SRC_ITER, initial_state_grad_},
                                         {DNNL_ARG_DIFF_BIAS, diff_bias_}};
    if (lstm_) {
        args.emplace(DNNL_ARG_SRC_ITER_C, initial_state_);
        args.emplace(DNNL_ARG_DIFF_SRC_ITER_C, initial_cell_grad_);
    }
    backward_.execute(stream, args);
    reorder_if_needed(stream, diff_weights_layer_, adam_diff_weights_layer_);
    reorder_if_needed(stream, diff_weights_iter_, adam_diff_weights_iter_);
}

std::vector<ParameterView> Layer::parameters() {
    auto view = [](const memory& value, const memory& grad) {
        return ParameterView{data_of(value), data_of(grad),
                             value.get_desc().get_size() / sizeof(float)};
    };
    return {view(weights_layer_, adam_diff_weights_layer_),
            view(weights_iter_, adam_diff_weights_iter_), view(bias_, diff_bias_)};
}

void Layer::load(dnnl::stream& stream, std::vector<float> weights_layer,
                 std::vector<float> weights_iter, std::vector<float> bias) {
    const auto f32 = memory::data_type::f32;
    memory plain_layer({weights_layer_.get_desc().dims(), f32, tag::ldigo}, engine_,
                       weights_layer.data());
    memory plain_iter({weights_iter_.get_desc().dims(), f32, tag::ldigo}, engine_,
                      weights_iter.data());
    memory plain_bias({bias_.get_desc().dims(), f32, tag::ldgo}, engine_, bias.data());
    copy(stream, plain_layer, weights_layer_);
    copy(stream, plain_iter, weights_iter_);
    copy(stream, plain_bias, bias_);
}

void Layer::store_gradients(dnnl::stream& stream, std::vector<float>& weights_layer,
                            std::vector<float>& weights_iter, std::vector<float>& bias) {
    const auto f32 = memory::data_type::f32;
    auto out = [&](memory& from, std::vector<float>& to, tag plain) {
        const memory::desc plain_desc(from.get_desc().dims(), f32, plain);
        to.resize(plain_desc.get_size() / sizeof(float));
        memory plain_memory(plain_desc, engine_, to.data());
        copy(stream, from, plain_memory);
    };
    out(diff_weights_layer_, weights_layer, tag::ldigo);
    out(diff_weights_iter_, weights_iter, tag::ldigo);
    out(diff_bias_, bias, tag::ldgo);
}

std::string Layer::layout_note() const {
    if (!backward_) return "inference";
    auto note = [](const memory& a, const memory& b) {
        return a.get() == b.get() ? "same" : "reorder";
    };
    return std::string("backward weights: ") + note(weights_layer_, backward_weights_layer_) + "/" +
           note(weights_iter_, backward_weights_iter_) +
           ", weight gradients: " + note(diff_weights_layer_, adam_diff_weights_layer_) + "/" +
           note(diff_weights_iter_, adam_diff_weights_iter_);
}

}  // namespace bench::onednn
