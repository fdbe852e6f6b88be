#pragma once
// State_dicts in safetensors, the weights format of the wider ecosystem (Hugging Face's
// safetensors library, PyTorch via safetensors.torch, candle, ...):
//
//   [8 bytes: N, little-endian u64][N bytes: JSON header][the tensors' bytes]
//
// The header maps each name to {"dtype": "F32" | "F64" | "I64", "shape": [...],
// "data_offsets": [begin, end]}, offsets counting from the first byte after the header, plus an
// optional "__metadata__" object of strings. docs/formats.md describes the format, the order
// lucidpp writes and every rule the reader checks. lucid::save and lucid::load use this format
// for a path ending in ".safetensors".
#include <cstdint>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "lucidpp/nn/module.hpp"

namespace lucid::io {

// The "__metadata__" object: free-form string pairs, in the file's order.
using SafetensorsMetadata = std::vector<std::pair<std::string, std::string>>;

// The largest header the reader accepts, as the reference implementation's (100 MB).
inline constexpr std::uint64_t safetensors_max_header = 100'000'000;

// The bytes of a safetensors file holding `dict` (float32, float64 and int64 tensors), laid out
// as the reference implementation lays them out: tensors sorted by dtype (I64, F64, F32: largest
// alignment first, so that every tensor starts at a multiple of its element size) and then by
// name, the header compact JSON padded with spaces to a multiple of 8 bytes. The same dict always
// gives the same bytes, and tools/convert_state_dict.py writes the same bytes from PyTorch.
std::string safetensors_bytes(const nn::StateDict& dict, const SafetensorsMetadata& metadata = {});

// What a safetensors file holds: the tensors in the order of their data, and the metadata.
struct SafetensorsContents {
    nn::StateDict tensors;
    SafetensorsMetadata metadata;
};

// Reads the bytes of a safetensors file into new tensors. Every rule of the format is checked
// before the first tensor is allocated (docs/formats.md, "Validation"); a file that breaks one
// throws lucid::Error "<file>: <problem>" or "<file>: <key>: <problem>".
SafetensorsContents read_safetensors(std::string_view bytes, const std::string& file);

// save and load for a safetensors file whatever its name; lucid::save and lucid::load call
// these for a ".safetensors" path. Written atomically; a load that throws changes nothing.
void save_safetensors(const nn::Module& module, const std::string& path);
void load_safetensors(nn::Module& module, const std::string& path);

}  // namespace lucid::io
