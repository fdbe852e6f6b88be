#pragma once
// What the file-format tests share (test_io.cpp, test_safetensors.cpp): a temp directory, a
// bit-exact snapshot of a module, and the module that tools/convert_state_dict.py's golden
// state_dict (tests/data/converter_gru.*) loads into.
#include <unistd.h>

#include <cstring>
#include <filesystem>
#include <string>
#include <vector>

#include "helpers.hpp"

namespace lucid::testing {

namespace fs = std::filesystem;

// A fresh directory under the system temp dir, removed with everything in it.
struct TempDir {
    fs::path path;
    TempDir() {
        static int counter = 0;
        path = fs::temp_directory_path() /
               fmt::format("lucidpp_test_files_{}_{}", ::getpid(), counter++);
        fs::remove_all(path);
        fs::create_directories(path);
    }
    ~TempDir() { fs::remove_all(path); }
    std::string file(const std::string& name) const { return (path / name).string(); }
    std::size_t entries() const {
        return static_cast<std::size_t>(std::distance(fs::directory_iterator(path), {}));
    }
};

// The raw bytes of every tensor, to check "unchanged" bit for bit (NaN included).
inline std::vector<std::string> snapshot(const nn::Module& module) {
    std::vector<std::string> bytes;
    for (const auto& [name, t] : module.state_dict()) {
        Tensor flat = t.contiguous();
        dispatch(t.dtype(), [&]<class T>() {
            bytes.emplace_back(reinterpret_cast<const char*>(flat.data_ptr<T>()),
                               static_cast<std::size_t>(flat.numel()) * sizeof(T));
        });
    }
    return bytes;
}

template <class T>
bool same_bits(T a, T b) {
    return std::memcmp(&a, &b, sizeof(T)) == 0;
}

template <class T>
void check_bits(const Tensor& actual, const std::vector<T>& expected) {
    std::vector<T> values = actual.to_vector<T>();
    REQUIRE(values.size() == expected.size());
    for (std::size_t i = 0; i < values.size(); ++i) {
        INFO("element ", i, ": ", values[i], " vs ", expected[i]);
        CHECK(same_bits(values[i], expected[i]));
    }
}

// Registers the names and shapes of tools/convert_state_dict.py's Example: torch.nn.GRU(3, 4,
// num_layers=2), Linear(4, 2) and a child with buffers, in the same order.
struct GruNames : nn::Module {
    GruNames() {
        for (int layer = 0; layer < 2; ++layer) {
            std::int64_t input_size = layer == 0 ? 3 : 4;
            register_parameter(fmt::format("weight_ih_l{}", layer), zeros({12, input_size}));
            register_parameter(fmt::format("weight_hh_l{}", layer), zeros({12, 4}));
            register_parameter(fmt::format("bias_ih_l{}", layer), zeros({12}));
            register_parameter(fmt::format("bias_hh_l{}", layer), zeros({12}));
        }
    }
};

struct Stats : nn::Module {
    Stats() {
        register_buffer("step", zeros({}, int64));
        register_buffer("limits", zeros({3}, int64));
        register_buffer("special", zeros({8}, float32));
        register_buffer("scale", zeros({5}, float64));
    }
};

struct Example : nn::Module {
    GruNames gru;
    nn::Linear head{4, 2};
    Stats stats;
    Example() {
        register_module("gru", gru);
        register_module("head", head);
        register_module("stats", stats);
    }
};

inline const std::string converter_golden = std::string(LUCIDPP_TEST_DATA) + "/converter_gru";

}  // namespace lucid::testing
