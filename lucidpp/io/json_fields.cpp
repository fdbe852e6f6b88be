#include "lucidpp/io/json_fields.hpp"

#include <cmath>

namespace lucid::io {

namespace {

// A value as it reads in an error: compact, never throwing on bad UTF-8, and cut short.
template <class Json>
std::string shown_value(const Json& value) {
    std::string text = value.dump(-1, ' ', false, Json::error_handler_t::replace);
    constexpr std::size_t limit = 60;
    if (text.size() > limit) text = text.substr(0, limit) + "...";
    return text;
}

// nlohmann's parser, its copies and dump() recurse once per level of nesting, so a file of a few
// hundred KB of '[' would overflow the stack. lucidpp's files nest a few levels deep; serde_json,
// which the safetensors reference reads its headers with, stops at 128 as well.
constexpr int max_nesting = 128;

// Counts the nesting outside strings. Up to the first byte that is not valid JSON (where the
// parser stops) this is the parser's depth.
void check_nesting(const std::string& text, const std::string& file) {
    int depth = 0;
    bool in_string = false, escaped = false;
    for (std::size_t i = 0; i < text.size(); ++i) {
        const char c = text[i];
        if (in_string) {
            if (escaped) {
                escaped = false;
            } else if (c == '\\') {
                escaped = true;
            } else if (c == '"') {
                in_string = false;
            }
            continue;
        }
        if (c == '"') in_string = true;
        if (c == ']' || c == '}') --depth;
        if ((c == '[' || c == '{') && ++depth > max_nesting) {
            throw Error(fmt::format("{} nests arrays and objects more than {} deep (offset {})",
                                    file, max_nesting, i));
        }
    }
}

template <class Json>
Json parse(const std::string& text, const std::string& file) {
    // nlohmann stops at a NUL byte as at the end of the text; JSON text never holds one.
    if (const auto nul = text.find('\0'); nul != std::string::npos) {
        throw Error(fmt::format(
            "{} is truncated or not valid JSON: a NUL byte at offset {} (trailing bytes?)", file,
            nul));
    }
    check_nesting(text, file);
    try {
        return Json::parse(text);
    } catch (const nlohmann::json::out_of_range& error) {  // a number such as 1e400
        throw Error(fmt::format("{} holds a number out of range: {}", file, error.what()));
    } catch (const nlohmann::json::exception& error) {
        throw Error(fmt::format("{} is truncated or not valid JSON: {}", file, error.what()));
    }
}

}  // namespace

nlohmann::json parse_json(const std::string& text, const std::string& file) {
    return parse<nlohmann::json>(text, file);
}

nlohmann::ordered_json parse_ordered_json(const std::string& text, const std::string& file) {
    return parse<nlohmann::ordered_json>(text, file);
}

namespace {

template <class Json>
std::optional<double> float_of(const Json& value) {
    if (value.is_number()) return value.template get<double>();
    if (value.is_string()) {
        const auto& text = value.template get_ref<const std::string&>();
        if (text == "nan") return std::numeric_limits<double>::quiet_NaN();
        if (text == "inf") return std::numeric_limits<double>::infinity();
        if (text == "-inf") return -std::numeric_limits<double>::infinity();
    }
    return std::nullopt;
}

}  // namespace

std::optional<double> float_from_json(const nlohmann::json& value) {
    return float_of(value);
}
std::optional<double> float_from_json(const nlohmann::ordered_json& value) {
    return float_of(value);
}

std::string shown(const nlohmann::json& value) {
    return shown_value(value);
}
std::string shown(const nlohmann::ordered_json& value) {
    return shown_value(value);
}

std::string where(const std::string& file, const std::string& key, const std::string& message) {
    std::string out;
    for (const std::string* part : {&file, &key}) {
        if (!part->empty()) out += *part + ": ";
    }
    return out + message;
}

template <class Json>
void BasicJsonField<Json>::fail(const std::string& problem) const {
    throw Error(where(file_, key_, problem));
}

template <class Json>
void BasicJsonField<Json>::expect(bool ok, const char* what) const {
    if (!ok) fail(fmt::format("expected {}, got {}", what, shown()));
}

template <class Json>
BasicJsonField<Json> BasicJsonField<Json>::child(const Json& value, const std::string& name) const {
    return BasicJsonField(value, file_, key_.empty() ? name : key_ + "/" + name);
}

template <class Json>
bool BasicJsonField<Json>::has(const std::string& name) const {
    return value_->is_object() && value_->contains(name);
}

template <class Json>
BasicJsonField<Json> BasicJsonField<Json>::operator[](const std::string& name) const {
    expect(value_->is_object(), "an object");
    auto found = value_->find(name);
    if (found == value_->end()) child(*value_, name).fail("missing or malformed: no such key");
    return child(*found, name);
}

template <class Json>
std::vector<std::pair<std::string, BasicJsonField<Json>>> BasicJsonField<Json>::members() const {
    expect(value_->is_object(), "an object");
    std::vector<std::pair<std::string, BasicJsonField>> out;
    for (auto it = value_->begin(); it != value_->end(); ++it) {
        out.emplace_back(it.key(), child(it.value(), it.key()));
    }
    return out;
}

template <class Json>
std::vector<BasicJsonField<Json>> BasicJsonField<Json>::elements() const {
    expect(value_->is_array(), "a list");
    std::vector<BasicJsonField> out;
    for (std::size_t i = 0; i < value_->size(); ++i) {
        out.push_back(child((*value_)[i], std::to_string(i)));
    }
    return out;
}

template <class Json>
std::int64_t BasicJsonField<Json>::integer(std::int64_t min, std::int64_t max) const {
    const Json& v = *value_;
    expect(v.is_number(), "an integer");
    std::int64_t result = 0;
    bool in_range = false;
    if (v.is_number_unsigned()) {
        const auto u = v.template get<std::uint64_t>();
        in_range = u <= static_cast<std::uint64_t>(std::numeric_limits<std::int64_t>::max());
        if (in_range) result = static_cast<std::int64_t>(u);
    } else if (v.is_number_integer()) {
        result = v.template get<std::int64_t>();
        in_range = true;
    } else {
        const double d = v.template get<double>();
        expect(std::isfinite(d) && d == std::floor(d), "an integer");
        // [-2^63, 2^63): checked before the cast, which is undefined outside it.
        in_range = d >= -0x1p63 && d < 0x1p63;
        if (in_range) result = static_cast<std::int64_t>(d);
    }
    if (!in_range || result < min || result > max) {
        fail(fmt::format("must be an integer in [{}, {}], got {}", min, max, shown()));
    }
    return result;
}

template <class Json>
std::uint64_t BasicJsonField<Json>::unsigned_integer() const {
    const Json& v = *value_;
    expect(v.is_number(), "an integer");
    if (v.is_number_unsigned()) return v.template get<std::uint64_t>();
    if (v.is_number_integer()) {
        const auto i = v.template get<std::int64_t>();
        if (i < 0) fail(fmt::format("must not be negative, got {}", i));
        return static_cast<std::uint64_t>(i);
    }
    const double d = v.template get<double>();
    expect(std::isfinite(d) && d == std::floor(d), "an integer");
    if (d < 0 || d >= 0x1p64) {
        fail(fmt::format("must be an integer in [0, {}], got {}",
                         std::numeric_limits<std::uint64_t>::max(), shown()));
    }
    return static_cast<std::uint64_t>(d);
}

template <class Json>
double BasicJsonField<Json>::number() const {
    if (const std::optional<double> x = float_from_json(*value_)) return *x;
    fail(fmt::format("expected a number (or \"nan\", \"inf\", \"-inf\"), got {}", shown()));
}

template <class Json>
double BasicJsonField<Json>::finite_number(double min, double max) const {
    expect(value_->is_number(), "a number");
    const double d = value_->template get<double>();
    if (!std::isfinite(d)) fail(fmt::format("must be a finite number, got {}", shown()));
    if (!(d >= min && d <= max)) {
        fail(fmt::format("must be a number in [{}, {}], got {}", min, max, shown()));
    }
    return d;
}

template <class Json>
bool BasicJsonField<Json>::boolean() const {
    expect(value_->is_boolean(), "true or false");
    return value_->template get<bool>();
}

template <class Json>
std::string BasicJsonField<Json>::string() const {
    expect(value_->is_string(), "a string");
    return value_->template get<std::string>();
}

template <class Json>
std::string BasicJsonField<Json>::shown() const {
    return shown_value(*value_);
}

template class BasicJsonField<nlohmann::json>;
template class BasicJsonField<nlohmann::ordered_json>;

}  // namespace lucid::io
