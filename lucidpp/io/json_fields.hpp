#pragma once
// Reading a JSON file field by field, with errors that name the file and the key:
//
//   runs/a/checkpoint.json: optimizer/state/3/exp_avg: missing or malformed: no such key
//   config.json: hidden: expected an integer, got 3.7
//
// Every loader (state_dict, checkpoint, config) parses its text with parse_json and reads the
// document only through JsonField, so no nlohmann exception (type_error, out_of_range, ...)
// ever reaches a caller: all errors are lucid::Error. The key path is JSON-pointer-like:
// object keys and array indices joined by '/'.
//
// JSON has no NaN or infinity, so every float lucidpp writes goes through io::float_to_json
// (serialize.hpp), which writes them as the strings "nan", "inf" and "-inf"; float_from_json and
// JsonField::number() read them back.
#include <nlohmann/json.hpp>

#include <cstdint>
#include <limits>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "lucidpp/tensor/error.hpp"

namespace lucid::io {

// The one JSON document in `text`, read from `file`. Trailing bytes (a NUL byte too, which
// nlohmann would take for the end), invalid JSON, numbers beyond a double's range (1e400) and
// arrays and objects nested more than 128 deep (which would overflow the stack) are errors
// naming the file.
nlohmann::json parse_json(const std::string& text, const std::string& file);
nlohmann::ordered_json parse_ordered_json(const std::string& text, const std::string& file);

// A value as it reads in an error: compact, cut short, and never throwing (bad UTF-8 is
// replaced).
std::string shown(const nlohmann::json& value);
std::string shown(const nlohmann::ordered_json& value);

// The inverse of io::float_to_json (serialize.hpp): a number, or "nan", "inf", "-inf"; nothing for
// any other value.
std::optional<double> float_from_json(const nlohmann::json& value);
std::optional<double> float_from_json(const nlohmann::ordered_json& value);

// One value of a parsed document, with the file it came from and its key path.
template <class Json>
class BasicJsonField {
public:
    BasicJsonField(const Json& value, std::string file, std::string key = "")
        : value_(&value), file_(std::move(file)), key_(std::move(key)) {}

    const Json& json() const { return *value_; }
    const std::string& file() const { return file_; }
    const std::string& key() const { return key_; }

    // Objects: whether `name` is there, and the value under it (an error when it is not).
    bool has(const std::string& name) const;
    BasicJsonField operator[](const std::string& name) const;
    // The members of an object in the document's order, and the elements of an array.
    std::vector<std::pair<std::string, BasicJsonField>> members() const;
    std::vector<BasicJsonField> elements() const;

    // An integer in [min, max]. A float is accepted only when it is an exact integer (3.0,
    // 1e3); its range is checked before it is converted.
    std::int64_t integer(std::int64_t min = std::numeric_limits<std::int64_t>::min(),
                         std::int64_t max = std::numeric_limits<std::int64_t>::max()) const;
    std::uint64_t unsigned_integer() const;  // [0, 2^64 - 1]
    // A number, or one of "nan", "inf", "-inf" (see float_to_json).
    double number() const;
    // A finite number in [min, max].
    double finite_number(double min = -std::numeric_limits<double>::max(),
                         double max = std::numeric_limits<double>::max()) const;
    bool boolean() const;
    std::string string() const;
    // The value as it reads in an error: compact and cut short.
    std::string shown() const;

    // Throws lucid::Error "<file>: <key>: <problem>".
    // Also what a wrong type gives: "expected <what>, got <value>".
    void expect(bool ok, const char* what) const;
    [[noreturn]] void fail(const std::string& problem) const;
    // Runs `read`, putting "<file>: <key>: " in front of the message of any lucid::Error, for
    // values read by a function that does not know the file (a random stream's state, ...).
    template <class Read>
    decltype(auto) reading(Read&& read) const;

private:
    BasicJsonField child(const Json& value, const std::string& name) const;

    const Json* value_;
    std::string file_;
    std::string key_;
};

using JsonField = BasicJsonField<nlohmann::json>;
using OrderedJsonField = BasicJsonField<nlohmann::ordered_json>;

// Puts "<file>: <key>: " in front of `message`, leaving out an empty file or key.
std::string where(const std::string& file, const std::string& key, const std::string& message);

template <class Json>
template <class Read>
decltype(auto) BasicJsonField<Json>::reading(Read&& read) const {
    try {
        return read();
    } catch (const Error& error) {
        throw Error(where(file_, key_, error.what()));
    }
}

}  // namespace lucid::io
