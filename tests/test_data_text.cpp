// lucidpp/data: CharVocabulary and NextTokenDataset.
#include "helpers.hpp"

namespace {

using namespace lucid;
using lucid::testing::error_of;
using Indices = std::vector<std::int64_t>;

void check_message(const std::string& message, const std::string& part) {
    INFO("message: ", message);
    CHECK(message.find(part) != std::string::npos);
}

}  // namespace

TEST_SUITE("data.text") {
    TEST_CASE("CharVocabulary: the text's characters in code point order; encode, decode") {
        auto vocabulary = data::CharVocabulary::from_text("hello world\n");
        CHECK(vocabulary.characters() ==
              std::vector<std::string>{"\n", " ", "d", "e", "h", "l", "o", "r", "w"});
        CHECK(vocabulary.size() == 9);
        CHECK_FALSE(vocabulary.has_unknown());
        Tensor ids = vocabulary.encode("hold");
        CHECK(ids.dtype() == int64);
        CHECK(ids.to_vector<std::int64_t>() == Indices{4, 6, 5, 2});
        CHECK(vocabulary.decode(ids) == "hold");
        CHECK(vocabulary.decode(Indices{8, 6}) == "wo");
        CHECK(vocabulary.index("r") == 7);
        CHECK(vocabulary.character(1) == " ");
        CHECK(vocabulary.encode("").numel() == 0);
    }

    TEST_CASE("CharVocabulary: a UTF-8 character is one symbol, ordered by code point") {
        // é U+00E9, → U+2192, 😀 U+1F600: byte order of UTF-8 is code point order.
        const std::string text = "→é😀aé";
        auto vocabulary = data::CharVocabulary::from_text(text);
        CHECK(vocabulary.characters() == std::vector<std::string>{"a", "é", "→", "😀"});
        CHECK(vocabulary.encode_ids(text) == Indices{2, 1, 3, 0, 1});
        CHECK(vocabulary.decode(vocabulary.encode(text)) == text);
    }

    TEST_CASE("CharVocabulary: an unknown symbol and min_count") {
        data::CharVocabularyOptions options{.min_count = 2, .unknown = "?"};
        auto vocabulary = data::CharVocabulary::from_text("aabbbc", options);
        CHECK(vocabulary.characters() == std::vector<std::string>{"?", "a", "b"});
        CHECK(vocabulary.has_unknown());
        CHECK(vocabulary.encode_ids("abcz?") == Indices{1, 2, 0, 0, 0});
        CHECK(vocabulary.decode(Indices{0, 1}) == "?a");
    }

    TEST_CASE("CharVocabulary: errors name the character and where it is") {
        auto vocabulary = data::CharVocabulary::from_text("abc");
        check_message(error_of([&] { vocabulary.encode("abzc"); }),
                      "CharVocabulary: the character 'z' at position 2 is not in the vocabulary "
                      "of 3 characters");
        check_message(error_of([&] { vocabulary.encode("aé"); }),
                      "the character 'é' at position 1");
        check_message(error_of([&] { vocabulary.encode("a\n"); }),
                      "the character '\\n' (U+000A) at position 1");
        check_message(error_of([&] { vocabulary.decode(Indices{3}); }),
                      "CharVocabulary: index 3 is out of range for a vocabulary of 3 characters");
        check_message(
            error_of([&] { vocabulary.decode(zeros({2})); }),
            "CharVocabulary.decode: expects a 1-D integer tensor, got float32 of shape (2)");
        check_message(error_of([&] { data::CharVocabulary::from_text("a\xC3"); }),
                      "CharVocabulary: the text is not valid UTF-8 at byte 1");
        check_message(error_of([&] { data::CharVocabulary::from_text("ab", {.min_count = 2}); }),
                      "min_count 2 leaves characters out, which needs an unknown symbol");
        check_message(error_of([&] {
                          data::CharVocabulary({"a", "bc"});
                      }),
                      "CharVocabulary: \"bc\" is not one character");
        check_message(error_of([&] {
                          data::CharVocabulary({"a", "a"});
                      }),
                      "CharVocabulary: 'a' is listed twice");
    }

    TEST_CASE("NextTokenDataset: windows and the same windows one token later") {
        Tensor tokens = arange(10.0);  // int64 0..9
        data::NextTokenDataset every(tokens, 4);
        CHECK(every.size() == 6);  // starts 0..5: the window and its next token fit
        auto [input, target] = every.get(5);
        CHECK(input.to_vector<std::int64_t>() == Indices{5, 6, 7, 8});
        CHECK(target.to_vector<std::int64_t>() == Indices{6, 7, 8, 9});

        data::NextTokenDataset apart(tokens, 4, 4);
        CHECK(apart.size() == 2);  // starts 0 and 4; 8 has no full window
        CHECK(apart.get(1).first.to_vector<std::int64_t>() == Indices{4, 5, 6, 7});

        data::DataLoader loader(every, {.batch_size = 4});
        auto [inputs, targets] = *loader.begin();
        CHECK(inputs.shape() == Shape{4, 4});
        CHECK(targets.shape() == Shape{4, 4});
        CHECK(targets.select(0, 3).to_vector<std::int64_t>() == Indices{4, 5, 6, 7});

        check_message(error_of([&] { every.get(6); }),
                      "NextTokenDataset: index 6 is out of range for a dataset of 6 windows");
        check_message(error_of([&] { data::NextTokenDataset(tokens, 10); }),
                      "NextTokenDataset: 10 tokens hold no window of 10 with its next token");
        check_message(error_of([&] { data::NextTokenDataset(tokens, 0); }),
                      "window must be positive, got 0");
        check_message(error_of([&] { data::NextTokenDataset(tokens, 2, 0); }),
                      "stride must be positive, got 0");
        check_message(error_of([&] {
                          data::NextTokenDataset(zeros({2, 3}), 1);
                      }),
                      "tokens must be 1-D, got shape (2, 3)");
    }

    TEST_CASE("NextTokenDataset over a CharVocabulary's ids: a character model's batches") {
        const std::string text = "abcabcabcabc";
        auto vocabulary = data::CharVocabulary::from_text(text);
        data::NextTokenDataset windows(vocabulary.encode(text), 3, 3);
        CHECK(windows.size() == 3);
        auto [input, target] = windows.get(0);
        CHECK(vocabulary.decode(input) == "abc");
        CHECK(vocabulary.decode(target) == "bca");
    }
}
