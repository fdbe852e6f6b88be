#include "lucidpp/io/serialize.hpp"

#include <cmath>
#include <cstdint>
#include <filesystem>
#include <limits>
#include <type_traits>

#include "lucidpp/io/atomic_file.hpp"
#include "lucidpp/io/json_fields.hpp"
#include "lucidpp/io/safetensors.hpp"
#include "lucidpp/tensor/tensor.hpp"

namespace lucid {

namespace {

using nlohmann::ordered_json;

// Runs fn, putting `context` in front of the message of any lucid::Error it throws.
template <class Fn>
decltype(auto) with_context(const std::string& context, Fn&& fn) {
    try {
        return fn();
    } catch (const Error& error) {
        throw Error(context + error.what());
    }
}

// ---- writing ------------------------------------------------------------------------------

ordered_json data_to_json(const Tensor& tensor) {
    ordered_json data = ordered_json::array();
    dispatch(tensor.dtype(), [&]<class T>() {
        for (T value : tensor.to_vector<T>()) {
            if constexpr (std::is_same_v<T, std::int64_t>) {
                data.push_back(value);
            } else {
                data.push_back(io::float_to_json(static_cast<double>(value)));  // exact for float
            }
        }
    });
    return data;
}

ordered_json tensor_to_json(const Tensor& tensor) {
    ordered_json entry;
    entry["dtype"] = std::string(dtype_name(tensor.dtype()));
    entry["shape"] = std::vector<std::int64_t>(tensor.shape());
    entry["data"] = data_to_json(tensor);
    return entry;
}

// Objects in the top `levels` levels get one entry per line; everything below is compact.
void dump_expanded(const ordered_json& json, int levels, int indent, std::string& out) {
    if (levels == 0 || !json.is_object() || json.empty()) {
        out += json.dump();
        return;
    }
    out += "{\n";
    bool first = true;
    for (const auto& [key, value] : json.items()) {
        if (!first) out += ",\n";
        first = false;
        out.append(static_cast<std::size_t>(indent) + 2, ' ');
        out += ordered_json(key).dump();
        out += ": ";
        dump_expanded(value, levels - 1, indent + 2, out);
    }
    out += '\n';
    out.append(static_cast<std::size_t>(indent), ' ');
    out += '}';
}

// ---- reading ------------------------------------------------------------------------------

template <class Json>
const Json& field(const Json& object, const char* key, const std::string& where) {
    auto found = object.find(key);
    check(found != object.end(), "{} has no \"{}\" field", where, key);
    return *found;
}

template <class Json>
Dtype parse_dtype(const Json& value, const std::string& where) {
    check(value.is_string(), "{}: \"dtype\" must be a string, got {}", where, io::shown(value));
    const auto& name = value.template get_ref<const std::string&>();
    for (Dtype dtype : {float32, float64, int64}) {
        if (dtype_name(dtype) == name) return dtype;
    }
    throw Error(
        fmt::format("{}: unknown dtype \"{}\" (expected float32, float64 or int64)", where, name));
}

template <class Json>
bool is_int64(const Json& value) {
    if (value.is_number_unsigned()) {
        return value.template get<std::uint64_t>() <=
               static_cast<std::uint64_t>(std::numeric_limits<std::int64_t>::max());
    }
    return value.is_number_integer();
}

template <class Json>
Shape parse_shape(const Json& value, const std::string& where) {
    check(value.is_array(), "{}: \"shape\" must be a list of sizes, got {}", where,
          io::shown(value));
    Shape shape;
    for (const Json& size : value) {
        check(is_int64(size) && size.template get<std::int64_t>() >= 0,
              "{}: \"shape\" must hold non-negative integers, got {}", where, io::shown(value));
        shape.push_back(size.template get<std::int64_t>());
    }
    return shape;
}

// The element count of `shape`, or -1 when it does not fit in int64 (a corrupt file).
[[noreturn]] void bad_value(const std::string& where, std::size_t index, const std::string& value,
                            const char* expected) {
    throw Error(fmt::format("{}: data[{}] is {}, expected {}", where, index, value, expected));
}

template <class Json>
double parse_float(const Json& value, const std::string& where, std::size_t index) {
    if (const std::optional<double> number = io::float_from_json(value)) return *number;
    bad_value(where, index, io::shown(value), "a number or \"nan\", \"inf\", \"-inf\"");
}

template <class T, class Json>
T parse_value(const Json& value, const std::string& where, std::size_t index) {
    if constexpr (std::is_same_v<T, std::int64_t>) {
        if (!is_int64(value)) bad_value(where, index, io::shown(value), "an int64 integer");
        return value.template get<std::int64_t>();
    } else {
        double number = parse_float(value, where, index);
        if (std::is_same_v<T, float> && std::isfinite(number) &&
            std::isinf(static_cast<float>(number))) {
            bad_value(where, index, io::shown(value), "a value in float32's range");
        }
        return static_cast<T>(number);
    }
}

template <class Json>
Tensor tensor_from_json(const std::string& name, const Json& entry) {
    const std::string where = fmt::format("tensor \"{}\"", name);
    check(entry.is_object(), "{} must be an object with \"dtype\", \"shape\" and \"data\", got {}",
          where, entry.type_name());
    Dtype dtype = parse_dtype(field(entry, "dtype", where), where);
    Shape shape = parse_shape(field(entry, "shape", where), where);
    const Json& data = field(entry, "data", where);
    check(data.is_array(), "{}: \"data\" must be a list of values, got {}", where,
          data.type_name());
    const std::int64_t count = numel(shape, where);
    check(static_cast<std::size_t>(count) == data.size(),
          "{}: \"data\" has {} values, but shape {} needs {}", where, data.size(), shape, count);

    Tensor out = empty(shape, dtype, where);
    dispatch(dtype, [&]<class T>() {
        T* values = out.data_ptr<T>();
        for (std::size_t i = 0; i < data.size(); ++i) values[i] = parse_value<T>(data[i], where, i);
    });
    return out;
}

template <class Json>
nn::StateDict state_dict_of(const Json& json) {
    check(json.is_object(), "expected a JSON object with \"format\": \"{}\", got {}",
          io::state_dict_format, json.type_name());
    const Json& format = field(json, "format", std::string("the document"));
    check(format == io::state_dict_format, "\"format\" is {}, expected \"{}\"", io::shown(format),
          io::state_dict_format);
    const Json& version = field(json, "version", std::string("the document"));
    check(version.is_number_integer() && version == io::state_dict_version,
          "unsupported \"version\" {} (this lucidpp reads version {})", io::shown(version),
          io::state_dict_version);
    const Json& tensors = field(json, "tensors", std::string("the document"));
    check(tensors.is_object(), "\"tensors\" must be an object, got {}", tensors.type_name());

    nn::StateDict dict;
    for (const auto& [name, entry] : tensors.items()) {
        dict.emplace_back(name, tensor_from_json(name, entry));
    }
    return dict;
}

}  // namespace

namespace io {

ordered_json float_to_json(double value) {
    if (std::isnan(value)) return "nan";
    if (std::isinf(value)) return value > 0 ? "inf" : "-inf";
    return value;  // nlohmann writes the shortest decimal that reads back as this double
}

ordered_json state_dict_to_json(const nn::StateDict& dict) {
    ordered_json tensors = ordered_json::object();
    for (const auto& [name, tensor] : dict) tensors[name] = tensor_to_json(tensor);
    ordered_json json;
    json["format"] = state_dict_format;
    json["version"] = state_dict_version;
    json["tensors"] = std::move(tensors);
    return json;
}

nn::StateDict state_dict_from_json(const ordered_json& json) {
    return with_context("state_dict_from_json: ", [&] { return state_dict_of(json); });
}

nn::StateDict state_dict_from_json(const nlohmann::json& json) {
    return with_context("state_dict_from_json: ", [&] { return state_dict_of(json); });
}

nn::StateDict state_dict_from_json(const JsonField& json) {
    return json.reading([&] { return state_dict_of(json.json()); });
}

std::string dump_state_dict_json(const ordered_json& json) {
    std::string out;
    try {
        dump_expanded(json, 2, 0, out);
    } catch (const nlohmann::json::exception& error) {
        throw Error(fmt::format("dump_state_dict_json: {}", error.what()));  // e.g. bad UTF-8
    }
    return out + "\n";
}

}  // namespace io

namespace {

bool is_safetensors(const std::string& path) {
    return std::filesystem::path(path).extension() == ".safetensors";
}

}  // namespace

void save(const nn::Module& module, const std::string& path) {
    if (is_safetensors(path)) return io::save_safetensors(module, path);
    std::string text = io::dump_state_dict_json(io::state_dict_to_json(module.state_dict()));
    with_context("save: ", [&] { io::write_file_atomically(path, text); });
}

void load(nn::Module& module, const std::string& path) {
    if (is_safetensors(path)) return io::load_safetensors(module, path);
    std::string text = with_context("load: ", [&] { return io::read_file(path); });
    const ordered_json json = io::parse_ordered_json(text, fmt::format("load: \"{}\"", path));
    const std::string context = fmt::format("load: \"{}\": ", path);
    nn::StateDict dict = with_context(context, [&] { return state_dict_of(json); });
    with_context(context, [&] { module.load_state_dict(dict, /*strict=*/true); });
}

}  // namespace lucid
