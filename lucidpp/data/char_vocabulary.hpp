#pragma once
// CharVocabulary: characters <-> indices, for character-level models of text.
//
// A character is one Unicode code point of UTF-8 text (so 'é' is one character of two bytes).
// from_text() keeps the distinct characters of a text in code point order, as Python's
// sorted(set(text)) does, so the same text always gives the same indices. With an unknown
// symbol, it takes index 0, characters outside the vocabulary encode to it, and characters seen
// fewer than min_count times are left out; without one, encoding such a character is an error
// that names it and its position.
//
//     auto vocabulary = data::CharVocabulary::from_text(text);
//     Tensor ids = vocabulary.encode("hello");   // int64 (5)
//     std::string back = vocabulary.decode(ids);  // "hello"
#include <cstdint>
#include <map>
#include <string>
#include <string_view>
#include <vector>

#include "lucidpp/tensor/tensor.hpp"

namespace lucid::data {

struct CharVocabularyOptions {
    std::int64_t min_count = 1;  // characters seen fewer times are left out (need `unknown`)
    std::string unknown = "";    // the unknown symbol (one character); empty: none
};

class CharVocabulary {
public:
    static CharVocabulary from_text(std::string_view text,
                                    const CharVocabularyOptions& options = {});
    // The given characters, in the given order (after the unknown symbol, if any).
    explicit CharVocabulary(std::vector<std::string> characters, std::string unknown = "");

    std::int64_t size() const { return static_cast<std::int64_t>(characters_.size()); }
    // Index -> character, and the characters in index order.
    const std::string& character(std::int64_t index) const;
    const std::vector<std::string>& characters() const { return characters_; }
    bool has_unknown() const { return has_unknown_; }

    // The index of one character (a UTF-8 string of one code point).
    std::int64_t index(std::string_view character) const;
    // text -> int64 (number of characters).
    Tensor encode(std::string_view text) const;
    std::vector<std::int64_t> encode_ids(std::string_view text) const;
    // indices (a 1-D integer tensor, or a vector) -> text.
    std::string decode(const Tensor& indices) const;
    std::string decode(const std::vector<std::int64_t>& indices) const;

private:
    std::int64_t index_at(std::string_view character, std::int64_t position) const;

    std::vector<std::string> characters_;
    std::map<std::string, std::int64_t, std::less<>> index_of_;
    bool has_unknown_ = false;
};

// The characters of UTF-8 text, one string per code point; an error names the byte where the
// text stops being valid UTF-8.
std::vector<std::string_view> utf8_characters(std::string_view text);

}  // namespace lucid::data
