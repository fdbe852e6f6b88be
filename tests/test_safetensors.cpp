#include "lucidpp/io/safetensors.hpp"

#include <cmath>
#include <limits>

#include "io_helpers.hpp"

namespace {

using namespace lucid;
using namespace lucid::testing;

std::string u64_le(std::uint64_t value) {
    std::string out;
    for (int i = 0; i < 8; ++i) out.push_back(static_cast<char>((value >> (8 * i)) & 0xff));
    return out;
}

template <class T>
std::string bytes_of(const std::vector<T>& values) {
    return std::string(reinterpret_cast<const char*>(values.data()), values.size() * sizeof(T));
}

// A file from a header, as written (no padding added), and the data after it.
std::string file_of(const std::string& header, const std::string& data = "") {
    return u64_le(header.size()) + header + data;
}

// One float32 parameter "w" of shape (2, 2), the module the hostile files are loaded into.
struct Single : nn::Module {
    Tensor w;
    Single() { w = register_parameter("w", tensor({1.0, 2.0, 3.0, 4.0}, {2, 2})); }
};

const std::string w_entry = R"("w":{"dtype":"F32","shape":[2,2],"data_offsets":[0,16]})";
const std::string w_data = bytes_of<float>({5, 6, 7, 8});

// Loading `bytes` from a .safetensors file into a Single throws exactly
// `load: "<path>": <expected>` and leaves every byte of the module as it was.
void check_refused(const std::string& bytes, const std::string& expected) {
    TempDir dir;
    const std::string path = dir.file("hostile.safetensors");
    io::write_file_atomically(path, bytes);
    Single module;
    const std::vector<std::string> before = snapshot(module);
    CHECK(error_of([&] { load(module, path); }) == fmt::format("load: \"{}\": {}", path, expected));
    CHECK(snapshot(module) == before);
}

}  // namespace

TEST_SUITE("io.safetensors") {
TEST_CASE("the writer lays a file out byte for byte as the reference implementation") {
    // The reference's own serialization test: one F32 tensor (1, 2, 3) holding 0..5.
    nn::StateDict dict = {{"attn.0", arange(0.0, 6.0, 1.0, float32).view({1, 2, 3})}};
    const std::string header =
        R"({"attn.0":{"dtype":"F32","shape":[1,2,3],"data_offsets":[0,24]}})";
    REQUIRE(header.size() == 64);  // already a multiple of 8: no padding
    CHECK(io::safetensors_bytes(dict) == file_of(header, bytes_of<float>({0, 1, 2, 3, 4, 5})));

    // Empty, and empty with metadata: the header padded with spaces to a multiple of 8.
    CHECK(io::safetensors_bytes({}) == file_of("{}      "));
    CHECK(io::safetensors_bytes({}, {{"framework", "pt"}}) ==
          file_of(R"({"__metadata__":{"framework":"pt"}}     )"));
}

TEST_CASE("tensors are written by dtype (I64, F64, F32), then by name, each aligned") {
    nn::StateDict dict = {{"b", tensor({1.0f})},
                          {"a", tensor({2.0f, 3.0f, 4.0f})},
                          {"m", tensor({5.0}, float64)},
                          {"z", tensor({6.0}, int64)}};
    const std::string bytes = io::safetensors_bytes(dict);
    const std::string header = R"({"z":{"dtype":"I64","shape":[1],"data_offsets":[0,8]},)"
                               R"("m":{"dtype":"F64","shape":[1],"data_offsets":[8,16]},)"
                               R"("a":{"dtype":"F32","shape":[3],"data_offsets":[16,28]},)"
                               R"("b":{"dtype":"F32","shape":[1],"data_offsets":[28,32]}})";
    const std::string padded = header + std::string((8 - header.size() % 8) % 8, ' ');
    CHECK(bytes == file_of(padded, bytes_of<std::int64_t>({6}) + bytes_of<double>({5.0}) +
                                       bytes_of<float>({2, 3, 4, 1})));

    // Read back in the order of the data, with the same values.
    io::SafetensorsContents contents = io::read_safetensors(bytes, "f");
    REQUIRE(contents.tensors.size() == 4);
    CHECK(contents.tensors[0].first == "z");
    CHECK(contents.tensors[3].first == "b");
    CHECK(contents.tensors[0].second.dtype() == int64);
    check_bits<float>(contents.tensors[2].second, {2, 3, 4});
}

TEST_CASE("save then load restores every tensor bit for bit, NaN payloads too") {
    struct All : nn::Module {
        Tensor weight, bias, counts, scale, none, strided;
        All() {
            weight = register_parameter("weight",
                                        tensor({0.5, -1.25, 0.1, -0.0, 1e-45, 3.0}, {2, 3}));
            bias = register_parameter("bias", tensor({7.0, -8.0}, float64));
            counts = register_buffer("counts", zeros({3}, int64));
            counts.data_ptr<std::int64_t>()[0] = std::numeric_limits<std::int64_t>::min();
            counts.data_ptr<std::int64_t>()[2] = std::numeric_limits<std::int64_t>::max();
            scale = register_buffer("scale", scalar_tensor(2.5, float64));
            none = register_buffer("none", zeros({0, 3}));
            strided = register_buffer(
                "strided", arange(0.0, 6.0, 1.0, float32).view({2, 3}).transpose(0, 1));
        }
    };
    All source;
    const float payload_nan = std::bit_cast<float>(0xffc01234u);  // negative, with a payload
    source.weight.data_ptr<float>()[5] = payload_nan;

    TempDir dir;
    const std::string path = dir.file("all.safetensors");
    save(source, path);
    All copy;
    for (const auto& [name, tensor] : copy.state_dict()) tensor.detach().zero_();
    load(copy, path);
    CHECK(snapshot(copy) == snapshot(source));
    check_bits<float>(copy.strided, {0, 3, 1, 4, 2, 5});
    CHECK(copy.none.shape() == Shape{0, 3});
    CHECK(std::bit_cast<std::uint32_t>(copy.weight.to_vector<float>()[5]) == 0xffc01234u);
    // The same state gives the same bytes.
    CHECK(io::read_file(path) == io::safetensors_bytes(copy.state_dict()));
}

TEST_CASE("metadata is written first and read back in order") {
    const std::string bytes =
        io::safetensors_bytes({{"w", zeros({1})}}, {{"format", "pt"}, {"step", "12"}});
    CHECK(bytes.substr(8, 47) == R"({"__metadata__":{"format":"pt","step":"12"},"w")");
    io::SafetensorsContents contents = io::read_safetensors(bytes, "f");
    CHECK(contents.metadata == io::SafetensorsMetadata{{"format", "pt"}, {"step", "12"}});
    CHECK(contents.tensors.size() == 1);
}

TEST_CASE("the writer refuses what the format cannot hold") {
    CHECK(error_of([] {
              io::safetensors_bytes({{"w", zeros({1})}, {"w", zeros({2})}});
          }) == "safetensors_bytes: the name \"w\" is given to two tensors");
    CHECK(error_of([] {
              io::safetensors_bytes({{"__metadata__", zeros({1})}});
          }) == "safetensors_bytes: the name \"__metadata__\" is reserved for the metadata");
    CHECK(error_of([] {
              io::safetensors_bytes({}, {{"k", "a"}, {"k", "b"}});
          }) == "safetensors_bytes: metadata key \"k\" appears twice");
    CHECK(error_of([] {
              io::safetensors_bytes({{"\xff", zeros({1})}});
          }).starts_with("safetensors_bytes: [json.exception.type_error.316] invalid UTF-8"));
}

TEST_CASE("a valid hand-made file loads, in any header order, with metadata") {
    TempDir dir;
    const std::string path = dir.file("w.safetensors");
    io::write_file_atomically(
        path, file_of(R"({"w":{"data_offsets":[0,16],"shape":[2,2],"dtype":"F32","extra":1},)"
                      R"("__metadata__":{"format":"pt"}})",
                      w_data));
    Single module;
    load(module, path);
    check_bits<float>(module.w, {5, 6, 7, 8});
}

TEST_CASE("each rule of the file layout is checked, with its message, and changes nothing") {
    check_refused(
        "abc",
        "the file is 3 bytes, too short for the 8-byte header length of a safetensors file");
    check_refused(u64_le(100'000'001) + "{}",
                  "the header length is 100000001 bytes, more than the limit of 100000000");
    check_refused(u64_le(std::numeric_limits<std::uint64_t>::max()),
                  "the header length is 18446744073709551615 bytes, more than the limit of "
                  "100000000");
    check_refused(u64_le(64) + "{}",
                  "the header length is 64 bytes, but only 2 bytes follow it");
    check_refused(file_of("{\"w\": [1, 2}"),
                  "the header is truncated or not valid JSON: "
                  "[json.exception.parse_error.101] parse error at "
                  "line 1, column 12: syntax error while parsing "
                  "array - unexpected '}'; expected ']'");
    check_refused(file_of("[1]"), "expected a JSON object as the header, got [1]");
    check_refused(file_of("{\"w\":" + std::string(1'000'000, '[')),
                  "the header nests arrays and objects more than 128 deep (offset 132)");
    check_refused(file_of("{" + w_entry + "," + w_entry + "}", w_data),
                  "w: appears twice in the header");
    check_refused(file_of(R"({"w":{"dtype":"F32","dtype":"F64","shape":[2,2],)"
                          R"("data_offsets":[0,16]}})",
                          w_data),
                  "w/dtype: appears twice in the header");
    check_refused(file_of(R"({"__metadata__":{"format":1}})"),
                  "__metadata__/format: expected a string, got 1");
}

TEST_CASE("each rule of a tensor's entry is checked, with its message, and changes nothing") {
    auto entry = [](const std::string& body) {
        return file_of("{\"w\":" + body + "}", w_data);
    };
    check_refused(
        entry("3"),
        "w: expected an object with \"dtype\", \"shape\" and \"data_offsets\", got 3");
    check_refused(entry(R"({"dtype":"BF16","shape":[2,2],"data_offsets":[0,16]})"),
                  "w/dtype: dtype \"BF16\" is not supported (lucidpp reads F32, F64 and I64)");
    check_refused(entry(R"({"shape":[2,2],"data_offsets":[0,16]})"),
                  "w/dtype: missing or malformed: no such key");
    check_refused(entry(R"({"dtype":"F32","shape":[2,-2],"data_offsets":[0,16]})"),
                  "w/shape/1: must be an integer in [0, 9223372036854775807], got -2");
    check_refused(entry(R"({"dtype":"F32","shape":[2,2],"data_offsets":[0]})"),
                  "w/data_offsets: expected [begin, end], got [0]");
    check_refused(entry(R"({"dtype":"F32","shape":[2,2],"data_offsets":[0,1.5]})"),
                  "w/data_offsets/1: expected an integer, got 1.5");
    check_refused(entry(R"({"dtype":"F32","shape":[2,2],"data_offsets":[16,0]})"),
                  "w/data_offsets: begin 16 is after end 0");
    // Offsets past the data are refused before the 4 TB the shape asks for is allocated.
    check_refused(
        entry(R"({"dtype":"F32","shape":[1099511627776],)"
              R"("data_offsets":[0,4398046511104]})"),
        "w/data_offsets: [0, 4398046511104] runs past the end of the data (16 bytes)");
    check_refused(entry(R"({"dtype":"F64","shape":[2,2],"data_offsets":[0,16]})"),
                  "w: shape (2, 2) of F64 needs 32 bytes, but data_offsets [0, 16] hold 16");
    check_refused(entry(R"({"dtype":"F32","shape":[4294967296,4294967296],)"
                        R"("data_offsets":[0,16]})"),
                  "w/shape: (4294967296, 4294967296) of F32 is too large: its size overflows "
                  "int64");
    // 2^62 elements fit int64, their 2^64 bytes do not.
    check_refused(
        entry(R"({"dtype":"F32","shape":[4611686018427387904],"data_offsets":[0,16]})"),
        "w/shape: (4611686018427387904) of F32 is too large: its size overflows int64");
    // No elements, but the strides a tensor of this shape needs overflow.
    check_refused(entry(R"({"dtype":"F32","shape":[0,4611686018427387904,4],)"
                        R"("data_offsets":[0,16]})"),
                  "w/shape: (0, 4611686018427387904, 4) of F32 is too large: its size "
                  "overflows int64");
}

TEST_CASE("the tensors must tile the data: no overlap, no gap, no trailing bytes") {
    const std::string v8 = R"("v":{"dtype":"F32","shape":[2],"data_offsets":[8,16]})";
    check_refused(file_of("{" + w_entry + "," + v8 + "}", w_data),
                  "v/data_offsets: [8, 16] overlaps \"w\" [0, 16]");
    check_refused(
        file_of(R"({"w":{"dtype":"F32","shape":[2,2],"data_offsets":[4,20]}})",
                w_data + "1234"),
        "w/data_offsets: [4, 20] leaves a gap of 4 bytes after the start of the data");
    const std::string v20 = R"("v":{"dtype":"F32","shape":[1],"data_offsets":[20,24]})";
    check_refused(file_of("{" + v20 + "," + w_entry + "}", w_data + "12345678"),
                  "v/data_offsets: [20, 24] leaves a gap of 4 bytes after \"w\" [0, 16]");
    check_refused(file_of("{" + w_entry + "}", w_data + "1234"),
                  "4 bytes after the last tensor's data (the tensors cover 16 of 20)");
    // Empty tensors take no bytes and may sit anywhere in the tiling.
    const std::string e16 = R"("e":{"dtype":"I64","shape":[0],"data_offsets":[16,16]})";
    TempDir dir;
    io::write_file_atomically(dir.file("e.safetensors"),
                              file_of("{" + e16 + "," + w_entry + "}", w_data));
    CHECK(io::read_safetensors(io::read_file(dir.file("e.safetensors")), "f").tensors.size() ==
          2);
}

TEST_CASE(
    "a valid file that does not fit the module is refused as load_state_dict refuses it") {
    check_refused(
        file_of(R"({"w":{"dtype":"F32","shape":[4],"data_offsets":[0,16]}})", w_data),
        "Error(s) in loading state_dict for Single:\n\tsize mismatch for w: copying a "
        "param with shape (4) from checkpoint, the shape in current model is (2, 2).");
    check_refused(
        file_of(R"({"v":{"dtype":"F32","shape":[2,2],"data_offsets":[0,16]}})", w_data),
        "Error(s) in loading state_dict for Single:\n\tMissing key(s) in state_dict: "
        "\"w\".\n\tUnexpected key(s) in state_dict: \"v\".");
}

TEST_CASE("load names the missing file, save the unwritable path") {
    Single module;
    CHECK(error_of([&] { load(module, "/nonexistent/m.safetensors"); }) ==
          "load: read_file: cannot open \"/nonexistent/m.safetensors\": No such file or "
          "directory");
    CHECK(error_of([&] {
              save(module, "/nonexistent/m.safetensors");
          }).starts_with("save: write_file_atomically: cannot"));
}

}  // TEST_SUITE("io.safetensors")

TEST_SUITE("io.safetensors.converter") {
TEST_CASE("the converter's safetensors file holds the JSON golden's values bit for bit") {
    Example from_json, from_safetensors;
    load(from_json, converter_golden + ".json");
    load(from_safetensors, converter_golden + ".safetensors");
    const nn::StateDict expected = from_json.state_dict();
    const nn::StateDict actual = from_safetensors.state_dict();
    REQUIRE(actual.size() == expected.size());
    for (std::size_t i = 0; i < actual.size(); ++i) {
        INFO(actual[i].first);
        CHECK(actual[i].first == expected[i].first);
        CHECK(actual[i].second.dtype() == expected[i].second.dtype());
        CHECK(actual[i].second.shape() == expected[i].second.shape());
    }
    CHECK(snapshot(from_safetensors) == snapshot(from_json));  // every byte, NaN included
    CHECK(from_safetensors.head.bias.to_vector<float>()[0] == 0.22425204515457153f);
}

TEST_CASE("lucidpp writes the same bytes as the converter for the same state") {
    Example module;
    load(module, converter_golden + ".json");
    CHECK(io::safetensors_bytes(module.state_dict()) ==
          io::read_file(converter_golden + ".safetensors"));
}

}  // TEST_SUITE("io.safetensors.converter")
