#pragma once
// Saving and loading a module's state_dict, as torch.save(model.state_dict(), path) and
// model.load_state_dict(torch.load(path)). A path ending in ".safetensors" is a safetensors file
// (io/safetensors.hpp); any other is lucidpp's JSON state_dict format.
//
// The JSON file (docs/formats.md has the full description):
//
//   {"format": "lucidpp.state_dict", "version": 1,
//    "tensors": {"gru.weight_ih_l0": {"dtype": "float32", "shape": [12, 3], "data": [...]},
//                ...}}
//
// Tensors keep the state_dict's order; "data" is the flat row-major values. Every value
// round-trips bit for bit: float64 is written in the shortest decimal that reads back as the
// same double, float32 as the double holding the float's exact value, int64 as an integer.
// JSON has no NaN or infinity, so those are the strings "nan", "inf" and "-inf" (a NaN's sign
// and payload are not kept).
#include <nlohmann/json.hpp>

#include <string>

#include "lucidpp/io/json_fields.hpp"
#include "lucidpp/nn/module.hpp"

namespace lucid {

// Writes module.state_dict() to `path`, as JSON or, for a ".safetensors" path, as safetensors,
// atomically (see io/atomic_file.hpp): a crash leaves the old file or the new one, never half of
// one.
void save(const nn::Module& module, const std::string& path);

// Reads a file written by save (or by tools/convert_state_dict.py, or any safetensors file of
// float32, float64 and int64 tensors) into `module`, chosen by the extension as save, as
// load_state_dict(dict, strict = true). Throws lucid::Error naming the file and the problem;
// the module is unchanged when it throws.
void load(nn::Module& module, const std::string& path);

namespace io {

inline constexpr const char* state_dict_format = "lucidpp.state_dict";
inline constexpr int state_dict_version = 1;

// A float as the state_dict format writes it: the number, or "nan", "inf", "-inf" (JSON has no
// NaN or infinity; a NaN's sign and payload are dropped). Every JSON file lucidpp writes uses it.
nlohmann::ordered_json float_to_json(double value);

// The whole document ({"format", "version", "tensors"}), keeping the dict's order.
nlohmann::ordered_json state_dict_to_json(const nn::StateDict& dict);

// New tensors (which share nothing with the JSON) from a document made by state_dict_to_json.
// Checks the format, version, dtypes, shapes and value counts; throws lucid::Error otherwise.
// The ordered_json overload keeps the file's order.
nn::StateDict state_dict_from_json(const nlohmann::ordered_json& json);
nn::StateDict state_dict_from_json(const nlohmann::json& json);
// The same for a document inside another file (a checkpoint's "model"): errors read
// "<file>: <key>: <problem>".
nn::StateDict state_dict_from_json(const JsonField& json);

// The text that save writes: one tensor per line, so files diff well.
std::string dump_state_dict_json(const nlohmann::ordered_json& json);

}  // namespace io

}  // namespace lucid
