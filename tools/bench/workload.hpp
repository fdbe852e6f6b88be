#pragma once
// The benchmark workload, shared by the lucidpp and libtorch programs so both run exactly the
// same thing: a recurrent layer stack over (T, B, I), a Linear head on the last output, MSE
// against a fixed target, backward, and one Adam step ("train"); or the forward alone under
// no-grad ("forward").
#include <cstdint>
#include <string>
#include <vector>

namespace bench {

struct Config {
    std::string name = "custom";
    std::int64_t T = 20, B = 16, I = 8, H = 32, layers = 1;
};

// The configs of the reference table.
inline std::vector<Config> named_configs() {
    return {{"tiny", 20, 16, 8, 32, 1},
            {"small", 50, 32, 32, 64, 1},
            {"medium", 100, 64, 128, 256, 2},
            {"large", 100, 64, 256, 512, 1}};
}

inline std::int64_t gates_of(const std::string& model) {
    return model == "lstm" ? 4 : model == "gru" ? 3 : 1;
}

// Multiply-adds of the GEMMs, counted as 2 FLOP each: the input and hidden projections of every
// step and layer in forward; in backward, their weight gradients and input gradients, except the
// input gradient of layer 0, which nothing needs because the benchmark input does not require
// grad (libtorch skips it too). This is the count: 25.2 GFLOP per medium GRU step, 40.3
// per large. Gate arithmetic and the head are left out: they are small next to the GEMMs.
inline double gemm_flops(const Config& c, const std::string& model, bool train) {
    const double G = static_cast<double>(gates_of(model)) * static_cast<double>(c.H);
    const double rows = static_cast<double>(c.T * c.B);
    double forward = 0;
    for (std::int64_t layer = 0; layer < c.layers; ++layer) {
        const double in = layer == 0 ? static_cast<double>(c.I) : static_cast<double>(c.H);
        forward += 2.0 * rows * G * (in + static_cast<double>(c.H));
    }
    const double input_grad_of_layer0 = 2.0 * rows * G * static_cast<double>(c.I);
    return train ? 3.0 * forward - input_grad_of_layer0 : forward;
}

}  // namespace bench
