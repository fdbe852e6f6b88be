#pragma once
// One recurrent layer of onednn-bench as oneDNN RNN primitives: vanilla_rnn with tanh, lbr_gru
// (PyTorch's GRU formula: the candidate's hidden bias sits inside r * (W_hn h + b_hn)) or lstm;
// unidirectional, zero initial state, final state not returned. A training layer has a
// forward-training and a backward primitive; an inference layer a forward-inference one.
//
// The weights live in the forward primitive's preferred layout ("any") from one step to the next,
// as a training loop keeps them, and Adam updates them there: an element-wise update does not
// care about the layout. Where the backward primitive prefers another weights layout, or gives its
// weight gradients in another layout, a reorder runs at every step inside the timed step, because a
// training loop could not avoid it either. Weights come in and gradients go out in oneDNN's plain
// layouts (weights ldigo, bias ldgo; gate order GRU u r o, LSTM i f c o), for initialisation and
// for checking against PyTorch.
#include <oneapi/dnnl/dnnl.hpp>

#include <cstdint>
#include <string>
#include <unordered_map>
#include <vector>

namespace bench::onednn {

using dnnl::memory;

// A parameter and its gradient, in the same layout: what Adam needs.
struct ParameterView {
    float* value;
    const float* grad;
    std::size_t size;
};

struct LayerShape {
    std::string model;  // rnn, gru or lstm
    std::int64_t T, B, input_size, hidden_size;
};

std::int64_t gates_of(const std::string& model);
// lbr_gru has one bias more than gates: the candidate's hidden bias, kept apart.
std::int64_t bias_gates_of(const std::string& model);

inline float* data_of(const memory& m) {
    return static_cast<float*>(m.get_data_handle());
}

class Layer {
public:
    // src: the layer's input (T, B, input_size), the output of the layer below; diff_src: where
    // backward writes the input's gradient (the layer below's diff_dst), unused in inference.
    Layer(const LayerShape& shape, bool train, const dnnl::engine& engine, memory src,
          memory diff_src);

    memory& dst() { return dst_; }            // (T, B, hidden_size), plain tnc
    memory& diff_dst() { return diff_dst_; }  // the output's gradient, zero until written

    void forward(dnnl::stream& stream);
    // Reads diff_dst(); writes diff_src and the weight gradients. oneDNN accumulates into weight
    // gradients, so they are zeroed first, as zero_grad() does.
    void backward(dnnl::stream& stream);
    std::vector<ParameterView> parameters();

    void load(dnnl::stream& stream, std::vector<float> weights_layer,
              std::vector<float> weights_iter, std::vector<float> bias);
    void store_gradients(dnnl::stream& stream, std::vector<float>& weights_layer,
                         std::vector<float>& weights_iter, std::vector<float>& bias);
    // Whether the backward weights and the weight gradients need a reorder at every step.
    std::string layout_note() const;

private:
    void make_primitive_descs(const LayerShape& shape, bool train);
    memory::desc arg_desc(const dnnl::primitive_desc& pd, int arg) const;
    memory same_or_new(const memory& existing, const memory::desc& wanted) const;
    void reorder_if_needed(dnnl::stream& stream, memory& from, memory& to);

    dnnl::engine engine_;
    bool lstm_;  // which also has a cell state
    dnnl::primitive_desc forward_pd_, backward_pd_;
    dnnl::primitive forward_, backward_;
    memory src_, diff_src_, dst_, diff_dst_, workspace_;
    memory initial_state_, initial_state_grad_, initial_cell_grad_;  // zero; h_0 (and c_0 of LSTM)
    memory weights_layer_, weights_iter_, bias_;
    memory backward_weights_layer_, backward_weights_iter_;  // weights in backward's layout
    memory diff_weights_layer_, diff_weights_iter_, diff_bias_;
    memory adam_diff_weights_layer_, adam_diff_weights_iter_;    // gradients in the weights' layout
    std::unordered_map<dnnl_memory_t, dnnl::reorder> reorders_;  // by destination
};

}  // namespace bench::onednn
