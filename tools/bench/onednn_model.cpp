#include "onednn_model.hpp"

#include <cmath>

namespace bench::onednn {

namespace {

std::vector<ParameterView> all_parameters(std::vector<Layer>& layers, std::vector<float>& weight,
                                          const std::vector<float>& weight_grad, float& bias,
                                          const float& bias_grad) {
    std::vector<ParameterView> all;
    for (Layer& layer : layers)
        for (const ParameterView& p : layer.parameters()) all.push_back(p);
    all.push_back({weight.data(), weight_grad.data(), weight.size()});
    all.push_back({&bias, &bias_grad, 1});
    return all;
}

}  // namespace

Model::Model(const ModelShape& shape, bool train, std::uint32_t seed)
    : shape_(shape),
      engine_(dnnl::engine::kind::cpu, 0),
      stream_(engine_),
      head_weight_(static_cast<std::size_t>(shape.H)),
      head_weight_grad_(head_weight_.size()),
      target_(static_cast<std::size_t>(shape.B)),
      prediction_(target_.size()),
      adam_({}) {
    const auto f32 = memory::data_type::f32;
    x_ = memory({{shape.T, shape.B, shape.I}, f32, memory::format_tag::tnc}, engine_);
    x_grad_ = memory(x_.get_desc(), engine_);  // oneDNN writes it; nothing reads it
    layers_.reserve(static_cast<std::size_t>(shape.layers));
    for (std::int64_t l = 0; l < shape.layers; ++l) {
        const std::int64_t in = l == 0 ? shape.I : shape.H;
        memory src = l == 0 ? x_ : layers_.back().dst();
        memory diff_src = l == 0 ? x_grad_ : layers_.back().diff_dst();
        layers_.emplace_back(LayerShape{shape.model, shape.T, shape.B, in, shape.H}, train, engine_,
                             src, diff_src);
    }
    std::mt19937 rng(seed);
    initialise(rng);
    if (train)
        adam_ = Adam(
            all_parameters(layers_, head_weight_, head_weight_grad_, head_bias_, head_bias_grad_));
}

// PyTorch's initialisation: every weight and bias uniform in +-1/sqrt(H); input and target normal.
void Model::initialise(std::mt19937& rng) {
    const float bound = 1.0f / std::sqrt(static_cast<float>(shape_.H));
    std::uniform_real_distribution<float> uniform(-bound, bound);
    std::normal_distribution<float> normal;
    auto draw = [&](std::size_t n, auto& distribution) {
        std::vector<float> values(n);
        for (float& value : values) value = distribution(rng);
        return values;
    };
    const auto G = static_cast<std::size_t>(gates_of(shape_.model));
    const auto H = static_cast<std::size_t>(shape_.H);
    for (std::size_t l = 0; l < layers_.size(); ++l) {
        const auto in = static_cast<std::size_t>(l == 0 ? shape_.I : shape_.H);
        layers_[l].load(stream_, draw(in * G * H, uniform), draw(H * G * H, uniform),
                        draw(static_cast<std::size_t>(bias_gates_of(shape_.model)) * H, uniform));
    }
    head_weight_ = draw(H, uniform);
    head_bias_ = uniform(rng);
    const std::vector<float> x = draw(x_.get_desc().get_size() / sizeof(float), normal);
    std::copy(x.begin(), x.end(), input().begin());
    target_ = draw(target_.size(), normal);
}

std::span<float> Model::input() {
    return {data_of(x_), x_.get_desc().get_size() / sizeof(float)};
}

void Model::forward() {
    for (Layer& layer : layers_) layer.forward(stream_);
    stream_.wait();
    const auto B = static_cast<std::size_t>(shape_.B), H = static_cast<std::size_t>(shape_.H);
    const float* last =
        data_of(layers_.back().dst()) + (static_cast<std::size_t>(shape_.T) - 1) * B * H;
    for (std::size_t b = 0; b < B; ++b) {
        float sum = head_bias_;
        for (std::size_t h = 0; h < H; ++h) sum += last[b * H + h] * head_weight_[h];
        prediction_[b] = sum;
    }
}

// loss = mean_b (y_b - t_b)^2, so dloss/dy_b = 2 (y_b - t_b) / B; y_b = w . h_b + c.
float Model::head_backward() {
    const auto B = static_cast<std::size_t>(shape_.B), H = static_cast<std::size_t>(shape_.H);
    const std::size_t last_step = (static_cast<std::size_t>(shape_.T) - 1) * B * H;
    const float* last = data_of(layers_.back().dst()) + last_step;
    float* last_grad = data_of(layers_.back().diff_dst()) + last_step;
    float loss = 0;
    std::fill(head_weight_grad_.begin(), head_weight_grad_.end(), 0.0f);
    head_bias_grad_ = 0;
    for (std::size_t b = 0; b < B; ++b) {
        const float error = prediction_[b] - target_[b];
        loss += error * error;
        const float dy = 2.0f * error / static_cast<float>(B);
        head_bias_grad_ += dy;
        for (std::size_t h = 0; h < H; ++h) {
            head_weight_grad_[h] += dy * last[b * H + h];
            last_grad[b * H + h] = dy * head_weight_[h];
        }
    }
    return loss / static_cast<float>(B);
}

float Model::forward_backward() {
    forward();
    const float loss = head_backward();
    for (auto layer = layers_.rbegin(); layer != layers_.rend(); ++layer) layer->backward(stream_);
    stream_.wait();
    return loss;
}

}  // namespace bench::onednn
