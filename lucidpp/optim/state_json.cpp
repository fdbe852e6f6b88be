#include "lucidpp/optim/state_json.hpp"

#include <nlohmann/json.hpp>

#include <cmath>
#include <limits>

#include "lucidpp/tensor/creation.hpp"
#include "lucidpp/tensor/error.hpp"

namespace lucid::optim {

using nlohmann::json;

json number_to_json(double value) {
    if (std::isnan(value)) return "nan";
    if (std::isinf(value)) return value > 0 ? "inf" : "-inf";
    return value;
}

std::string shown_json(const json& value) {
    std::string text = value.dump(-1, ' ', false, json::error_handler_t::replace);
    constexpr std::size_t limit = 60;
    return text.size() > limit ? text.substr(0, limit) + "..." : text;
}

double number_from_json(const json& value, const std::string& where) {
    if (value.is_number()) return value.get<double>();
    if (value.is_string()) {
        const auto& text = value.get_ref<const std::string&>();
        if (text == "nan") return std::numeric_limits<double>::quiet_NaN();
        if (text == "inf") return std::numeric_limits<double>::infinity();
        if (text == "-inf") return -std::numeric_limits<double>::infinity();
    }
    throw Error(fmt::format("{}: expected a number, got {}", where, shown_json(value)));
}

std::int64_t integer_from_json(const json& value, const std::string& where) {
    // An unsigned value beyond int64 would wrap.
    check(value.is_number_integer() &&
              !(value.is_number_unsigned() &&
                value.get<std::uint64_t>() > std::numeric_limits<std::int64_t>::max()),
          "{}: expected an integer, got {}", where, shown_json(value));
    return value.get<std::int64_t>();
}

bool bool_from_json(const json& value, const std::string& where) {
    check(value.is_boolean(), "{}: expected true or false, got {}", where, shown_json(value));
    return value.get<bool>();
}

std::string string_from_json(const json& value, const std::string& where) {
    check(value.is_string(), "{}: expected a string, got {}", where, shown_json(value));
    return value.get<std::string>();
}

const json& field(const json& object, const char* key, const std::string& where) {
    check(object.is_object(), "{}: expected an object, got {}", where, shown_json(object));
    auto found = object.find(key);
    check(found != object.end(), "{}: missing \"{}\"", where, key);
    return *found;
}

json tensor_to_json(const Tensor& tensor) {
    json data = json::array();
    for (double value : tensor.to_vector<double>()) data.push_back(number_to_json(value));
    return {{"dtype", std::string(dtype_name(tensor.dtype()))},
            {"shape", std::vector<std::int64_t>(tensor.shape())},
            {"data", std::move(data)}};
}

namespace {

Shape shape_from_json(const json& value, const std::string& where) {
    check(value.is_array(), "{}: \"shape\" must be a list of sizes, got {}", where,
          shown_json(value));
    Shape shape;
    for (const json& size : value) shape.push_back(integer_from_json(size, where + ".shape"));
    return shape;
}

}  // namespace

Tensor tensor_from_json(const json& value, const Tensor& like, const std::string& where) {
    const std::string dtype = string_from_json(field(value, "dtype", where), where + ".dtype");
    check(dtype == "float32" || dtype == "float64",
          "{}: expected a float32 or float64 tensor, got dtype \"{}\"", where, dtype);
    const Shape shape = shape_from_json(field(value, "shape", where), where);
    check(shape == like.shape(), "{} has shape {}, expected {} (the parameter's)", where, shape,
          like.shape());
    const json& data = field(value, "data", where);
    check(data.is_array() && static_cast<std::int64_t>(data.size()) == like.numel(),
          "{}: \"data\" must be a list of {} values", where, like.numel());
    std::vector<double> values;
    values.reserve(data.size());
    for (const json& element : data) values.push_back(number_from_json(element, where + ".data"));
    return tensor(values, shape, like.dtype());
}

}  // namespace lucid::optim
