#pragma once
// The JSON form of optimizer and scheduler state, shared by state_dict() and load_state_dict().
//
// A tensor is {"dtype": "float64", "shape": [2, 3], "data": [...]}, "data" being the flat
// row-major values, the same form as a module's state_dict file (io/serialize.hpp). Every
// number round-trips bit for bit: nlohmann writes a double in the shortest decimal that reads
// back as the same double, and a float32 value is written as the double that holds it exactly.
// JSON has no NaN or infinity, so those are written as the strings "nan", "inf" and "-inf".
#include <nlohmann/json_fwd.hpp>

#include <cstdint>
#include <string>

#include "lucidpp/tensor/tensor.hpp"

namespace lucid::optim {

nlohmann::json number_to_json(double value);
// A value as an error shows it: compact, cut short, never throwing on bad UTF-8.
std::string shown_json(const nlohmann::json& value);
// `where` names the value in the error, e.g. "SGD.load_state_dict: param_groups[0].lr".
double number_from_json(const nlohmann::json& value, const std::string& where);
std::int64_t integer_from_json(const nlohmann::json& value, const std::string& where);
bool bool_from_json(const nlohmann::json& value, const std::string& where);
std::string string_from_json(const nlohmann::json& value, const std::string& where);

// object[key], or an error naming `where` and the key when it is missing.
const nlohmann::json& field(const nlohmann::json& object, const char* key,
                            const std::string& where);

nlohmann::json tensor_to_json(const Tensor& tensor);
// A new contiguous tensor of `like`'s dtype (floating point state follows its parameter, as in
// PyTorch) that must have `like`'s shape.
Tensor tensor_from_json(const nlohmann::json& value, const Tensor& like, const std::string& where);

}  // namespace lucid::optim
