#include "lucidpp/data/char_vocabulary.hpp"

#include <fmt/format.h>

#include <algorithm>

#include "lucidpp/tensor/dtype.hpp"
#include "lucidpp/tensor/error.hpp"
#include "lucidpp/tensor/shape.hpp"

namespace lucid::data {

namespace {

// The number of bytes of a UTF-8 character, from its first byte; 0 if it cannot start one.
std::size_t utf8_length(unsigned char lead) {
    if (lead < 0x80) return 1;
    if ((lead & 0xE0) == 0xC0) return 2;
    if ((lead & 0xF0) == 0xE0) return 3;
    if ((lead & 0xF8) == 0xF0) return 4;
    return 0;
}

bool is_continuation(unsigned char byte) {
    return (byte & 0xC0) == 0x80;
}

// A character as an error message shows it: control characters escaped, with the code point.
std::string shown(std::string_view character) {
    const auto byte = static_cast<unsigned char>(character.front());
    if (character.size() == 1 && (byte < 32 || byte == 127)) {
        if (byte == '\n') return "'\\n' (U+000A)";
        if (byte == '\t') return "'\\t' (U+0009)";
        return fmt::format("U+{:04X}", static_cast<unsigned>(byte));
    }
    return fmt::format("'{}'", character);
}

}  // namespace

std::vector<std::string_view> utf8_characters(std::string_view text) {
    std::vector<std::string_view> out;
    for (std::size_t at = 0; at < text.size();) {
        const std::size_t length = utf8_length(static_cast<unsigned char>(text[at]));
        bool valid = length > 0 && at + length <= text.size();
        for (std::size_t k = 1; valid && k < length; ++k) {
            valid = is_continuation(static_cast<unsigned char>(text[at + k]));
        }
        check(valid, "CharVocabulary: the text is not valid UTF-8 at byte {}", at);
        out.push_back(text.substr(at, length));
        at += length;
    }
    return out;
}

CharVocabulary CharVocabulary::from_text(std::string_view text,
                                         const CharVocabularyOptions& options) {
    check(options.min_count <= 1 || !options.unknown.empty(),
          "CharVocabulary: min_count {} leaves characters out, which needs an unknown symbol",
          options.min_count);
    std::map<std::string_view, std::int64_t> count;
    for (std::string_view c : utf8_characters(text)) ++count[c];
    // A std::map of UTF-8 strings is in byte order, which for UTF-8 is code point order.
    std::vector<std::string> kept;
    for (const auto& [c, n] : count) {
        if (n >= options.min_count && c != options.unknown) kept.emplace_back(c);
    }
    return CharVocabulary(std::move(kept), options.unknown);
}

CharVocabulary::CharVocabulary(std::vector<std::string> characters, std::string unknown)
    : has_unknown_(!unknown.empty()) {
    if (has_unknown_) characters.insert(characters.begin(), std::move(unknown));
    for (const std::string& c : characters) {
        check(utf8_characters(c).size() == 1, "CharVocabulary: \"{}\" is not one character", c);
        const auto [at, added] = index_of_.emplace(c, static_cast<std::int64_t>(index_of_.size()));
        check(added, "CharVocabulary: {} is listed twice", shown(c));
    }
    characters_ = std::move(characters);
}

const std::string& CharVocabulary::character(std::int64_t index) const {
    check(index >= 0 && index < size(),
          "CharVocabulary: index {} is out of range for a vocabulary of {} characters", index,
          size());
    return characters_[static_cast<std::size_t>(index)];
}

std::int64_t CharVocabulary::index_at(std::string_view character, std::int64_t position) const {
    if (auto found = index_of_.find(character); found != index_of_.end()) return found->second;
    check(has_unknown_,
          "CharVocabulary: the character {} at position {} is not in the vocabulary of {} "
          "characters",
          shown(character), position, size());
    return 0;
}

std::int64_t CharVocabulary::index(std::string_view character) const {
    check(utf8_characters(character).size() == 1, "CharVocabulary: \"{}\" is not one character",
          character);
    return index_at(character, 0);
}

std::vector<std::int64_t> CharVocabulary::encode_ids(std::string_view text) const {
    std::vector<std::int64_t> ids;
    for (std::string_view c : utf8_characters(text)) {
        ids.push_back(index_at(c, static_cast<std::int64_t>(ids.size())));
    }
    return ids;
}

Tensor CharVocabulary::encode(std::string_view text) const {
    const std::vector<std::int64_t> ids = encode_ids(text);
    Tensor out = empty({static_cast<std::int64_t>(ids.size())}, int64, "CharVocabulary.encode");
    std::copy(ids.begin(), ids.end(), out.data_ptr<std::int64_t>());
    return out;
}

std::string CharVocabulary::decode(const std::vector<std::int64_t>& indices) const {
    std::string text;
    for (std::int64_t index : indices) text += character(index);
    return text;
}

std::string CharVocabulary::decode(const Tensor& indices) const {
    check(indices.dim() == 1 && !is_floating_point(indices.dtype()),
          "CharVocabulary.decode: expects a 1-D integer tensor, got {} of shape {}",
          indices.dtype(), indices.shape());
    return decode(indices.to_vector<std::int64_t>());
}

}  // namespace lucid::data
