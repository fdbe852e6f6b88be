#pragma once
// onednn-bench's training step: the oneDNN layer stack over x (T, B, I), a Linear head (H -> 1) on
// the last time step's output, MSE against a fixed target, backward through the stack, and one
// Adam step over every weight and bias. The head, MSE and Adam are plain loops: next to the
// recurrent layers they are tiny.
//
// Inside the timed step: the forward and backward primitives, the reorders a step needs (see
// onednn_layer.hpp), zeroing the weight gradients, the head, the loss and Adam. Outside it, once:
// creating the primitives and buffers, and putting the initial weights into oneDNN's layouts.
// Unlike the other two frameworks, oneDNN always computes the first layer's input gradient
// (diff_src_layer is not optional); workload.hpp's FLOP count leaves that product out.
#include <cstdint>
#include <random>
#include <span>
#include <string>
#include <vector>

#include "onednn_adam.hpp"
#include "onednn_layer.hpp"

namespace bench::onednn {

struct ModelShape {
    std::string model;  // rnn, gru or lstm
    std::int64_t T, B, I, H, layers;
};

class Model {
public:
    Model(const ModelShape& shape, bool train, std::uint32_t seed = 0);
    Model(const Model&) = delete;  // Adam holds pointers into it
    Model& operator=(const Model&) = delete;

    void forward();            // the stack and the head, into prediction()
    float forward_backward();  // forward, MSE, backward; returns the loss
    void adam_step() { adam_.step(); }

    std::vector<Layer>& layers() { return layers_; }
    dnnl::stream& stream() { return stream_; }  // for Layer::load and Layer::store_gradients
    std::span<float> input();                   // (T, B, I), plain tnc
    std::span<float> target() { return target_; }
    std::span<float> head_weight() { return head_weight_; }
    float& head_bias() { return head_bias_; }
    std::span<const float> head_weight_grad() const { return head_weight_grad_; }
    std::span<const float> prediction() const { return prediction_; }

private:
    void initialise(std::mt19937& rng);
    float
    head_backward();  // MSE's gradient into the head's gradients and the last layer's diff_dst

    ModelShape shape_;
    dnnl::engine engine_;
    dnnl::stream stream_;
    memory x_, x_grad_;
    std::vector<Layer> layers_;
    std::vector<float> head_weight_, head_weight_grad_, target_, prediction_;
    float head_bias_ = 0, head_bias_grad_ = 0;
    Adam adam_;
};

}  // namespace bench::onednn
