#include "lucidpp/io/atomic_file.hpp"
#include "lucidpp/io/json_fields.hpp"
#include "lucidpp/io/serialize.hpp"

#include <unistd.h>

#include <bit>
#include <cmath>
#include <cstring>
#include <filesystem>
#include <limits>

#include "io_helpers.hpp"

namespace {

using namespace lucid;
using nlohmann::ordered_json;
using namespace lucid::testing;

// One parameter and one buffer of each dtype, with hand-picked values.
struct Mixed : nn::Module {
    Tensor weight, bias, counts, scale;
    Mixed() {
        weight = register_parameter("weight", tensor({0.5, -1.25, 3, 0.1, -0.0, 1e-45}, {2, 3}));
        bias = register_parameter("bias", tensor({7, -8}, float64));
        counts = register_buffer("counts", tensor({3, -4, 5}, int64));
        scale = register_buffer("scale", scalar_tensor(2.5, float64));
    }
};

// state_dict -> text -> state_dict, as save and load do it.
nn::StateDict through_text(const nn::StateDict& dict) {
    std::string text = io::dump_state_dict_json(io::state_dict_to_json(dict));
    return io::state_dict_from_json(ordered_json::parse(text));
}

void write_text(const std::string& path, const std::string& text) {
    io::write_file_atomically(path, text);
}

// A valid one-tensor document for `Single`, to be broken by each error test.
std::string single_document(const std::string& entry) {
    return R"({"format": "lucidpp.state_dict", "version": 1, "tensors": {"w": )" + entry + "}}";
}

struct Single : nn::Module {
    Tensor w;
    Single() { w = register_parameter("w", tensor({1, 2, 3, 4}, {2, 2}, float32)); }
};

// Loading `text` into a Single fails with a message containing `expected` and the file name,
// and leaves the module as it was.
void check_load_fails(const std::string& text, const std::string& expected) {
    TempDir dir;
    std::string path = dir.file("bad.json");
    write_text(path, text);
    Single module;
    std::vector<std::string> before = snapshot(module);
    std::string message = error_of([&] { load(module, path); });
    INFO(message);
    CHECK(message.find(expected) != std::string::npos);
    CHECK(message.find(path) != std::string::npos);
    CHECK(snapshot(module) == before);
    check_bits<float>(module.w, {1, 2, 3, 4});
}

}  // namespace

TEST_SUITE("io") {

TEST_CASE("save then load restores every tensor bit for bit") {
    TempDir dir;
    Mixed source;
    save(source, dir.file("mixed.json"));

    Mixed target;
    {
        NoGradGuard no_grad;
        for (auto& [name, t] : target.state_dict()) t.zero_();
    }
    load(target, dir.file("mixed.json"));
    check_bits<float>(target.weight, {0.5f, -1.25f, 3.0f, 0.1f, -0.0f, 1e-45f});
    check_bits<double>(target.bias, {7.0, -8.0});
    check_bits<std::int64_t>(target.counts, {3, -4, 5});
    CHECK(target.scale.item<double>() == 2.5);
    CHECK(snapshot(target) == snapshot(source));
    // load copies into the existing parameters: handles stay valid and keep requires_grad.
    CHECK(target.weight.is_same(target.state_dict()[0].second));
    CHECK(target.weight.requires_grad());
}

TEST_CASE("state_dict_to_json writes format, version and tensors in registration order") {
    Mixed module;
    ordered_json json = io::state_dict_to_json(module.state_dict());
    CHECK(json["format"] == "lucidpp.state_dict");
    CHECK(json["version"] == 1);
    std::vector<std::string> names;
    for (const auto& [name, entry] : json["tensors"].items()) names.push_back(name);
    CHECK(names == std::vector<std::string>{"weight", "bias", "counts", "scale"});

    const ordered_json& weight = json["tensors"]["weight"];
    CHECK(weight["dtype"] == "float32");
    CHECK(weight["shape"] == ordered_json::array({2, 3}));
    CHECK(weight["data"][0] == 0.5);
    CHECK(weight["data"][1] == -1.25);
    CHECK(json["tensors"]["counts"].dump() ==
          R"({"dtype":"int64","shape":[3],"data":[3,-4,5]})");
    CHECK(json["tensors"]["scale"].dump() == R"({"dtype":"float64","shape":[],"data":[2.5]})");
}

TEST_CASE("the file has one tensor per line and ends with a newline") {
    TempDir dir;
    Mixed module;
    save(module, dir.file("m.json"));
    std::string text = io::read_file(dir.file("m.json"));
    CHECK(text ==
          "{\n"
          "  \"format\": \"lucidpp.state_dict\",\n"
          "  \"version\": 1,\n"
          "  \"tensors\": {\n"
          "    \"weight\": {\"dtype\":\"float32\",\"shape\":[2,3],\"data\":[0.5,-1.25,3.0,"
          "0.10000000149011612,-0.0,1.401298464324817e-45]},\n"
          "    \"bias\": {\"dtype\":\"float64\",\"shape\":[2],\"data\":[7.0,-8.0]},\n"
          "    \"counts\": {\"dtype\":\"int64\",\"shape\":[3],\"data\":[3,-4,5]},\n"
          "    \"scale\": {\"dtype\":\"float64\",\"shape\":[],\"data\":[2.5]}\n"
          "  }\n"
          "}\n");
}

TEST_CASE("float64 values round-trip exactly, in the shortest decimal") {
    const std::vector<double> values = {
        0.1, -0.0, 0.0, 1.0 / 3.0, 5e-324, 2.2250738585072014e-308, 2.225073858507201e-308,
        1.7976931348623157e308, 1e300, -1e-300, 3.141592653589793, 123456789012345678.0,
        9007199254740993.0, 0.30000000000000004};
    nn::StateDict dict{{"x", tensor(values, float64)}};
    check_bits<double>(through_text(dict)[0].second, values);

    ordered_json json = io::state_dict_to_json(dict);
    CHECK(json["tensors"]["x"]["data"][0].dump() == "0.1");
    CHECK(json["tensors"]["x"]["data"][1].dump() == "-0.0");
    CHECK(json["tensors"]["x"]["data"][4].dump() == "5e-324");
    CHECK(json["tensors"]["x"]["data"][13].dump() == "0.30000000000000004");
}

TEST_CASE("float32 values round-trip exactly, written as the double of the float") {
    const std::vector<float> values = {0.1f,
                                       -0.0f,
                                       1e-45f,  // the smallest denormal
                                       1.17549435e-38f,
                                       std::numeric_limits<float>::max(),
                                       -std::numeric_limits<float>::max(),
                                       16777216.0f,
                                       1.0f / 3.0f,
                                       std::nextafter(1.0f, 2.0f)};
    Tensor x = empty({static_cast<std::int64_t>(values.size())}, float32);
    std::copy(values.begin(), values.end(), x.data_ptr<float>());
    nn::StateDict dict{{"x", x}};
    check_bits<float>(through_text(dict)[0].second, values);

    ordered_json json = io::state_dict_to_json(dict);
    const ordered_json& data = json["tensors"]["x"]["data"];
    CHECK(data[0].dump() == "0.10000000149011612");
    CHECK(data[2].dump() == "1.401298464324817e-45");
    CHECK(data[4].dump() == "3.4028234663852886e+38");
}

TEST_CASE("NaN and infinities are the strings nan, inf and -inf") {
    const double nan = std::numeric_limits<double>::quiet_NaN();
    const double inf = std::numeric_limits<double>::infinity();
    for (Dtype dtype : {float32, float64}) {
        INFO(dtype);
        nn::StateDict dict{{"x", tensor({nan, inf, -inf, -nan, 1.5}, dtype)}};
        ordered_json json = io::state_dict_to_json(dict);
        CHECK(json["tensors"]["x"]["data"].dump() == R"(["nan","inf","-inf","nan",1.5])");
        std::vector<double> back = through_text(dict)[0].second.to_vector<double>();
        CHECK(std::isnan(back[0]));
        CHECK(back[1] == inf);
        CHECK(back[2] == -inf);
        CHECK(std::isnan(back[3]));
        CHECK(back[4] == 1.5);
    }
}

TEST_CASE("int64 extremes, 0-d, empty and non-contiguous tensors round-trip") {
    const std::int64_t min = std::numeric_limits<std::int64_t>::min();
    const std::int64_t max = std::numeric_limits<std::int64_t>::max();
    Tensor extremes = empty({3}, int64);
    extremes.data_ptr<std::int64_t>()[0] = min;
    extremes.data_ptr<std::int64_t>()[1] = max;
    extremes.data_ptr<std::int64_t>()[2] = 0;
    Tensor transposed = tensor({1, 2, 3, 4, 5, 6}, {2, 3}, float64).t();  // rows (1, 4), ...
    nn::StateDict back = through_text({{"extremes", extremes},
                                       {"zero_d", scalar_tensor(-3.5)},
                                       {"empty", zeros({0, 3}, float64)},
                                       {"transposed", transposed}});
    REQUIRE(back.size() == 4);
    check_bits<std::int64_t>(back[0].second, {min, max, 0});
    CHECK(back[1].second.shape() == Shape{});
    CHECK(back[1].second.dtype() == float32);
    CHECK(back[1].second.item<float>() == -3.5f);
    CHECK(back[2].second.shape() == Shape{0, 3});
    CHECK(back[3].second.shape() == Shape{3, 2});
    check_bits<double>(back[3].second, {1, 4, 2, 5, 3, 6});
}

TEST_CASE("state_dict_from_json takes plain nlohmann::json and gives independent tensors") {
    nlohmann::json json = nlohmann::json::parse(
        R"({"format": "lucidpp.state_dict", "version": 1, "tensors": {
            "b": {"dtype": "float64", "shape": [2], "data": [1, 2.5]},
            "a": {"dtype": "int64", "shape": [1, 1], "data": [42]}}})");
    nn::StateDict dict = io::state_dict_from_json(json);
    REQUIRE(dict.size() == 2);
    CHECK(dict[0].first == "a");  // std::map order: sorted by name
    check_bits<std::int64_t>(dict[0].second, {42});
    CHECK(dict[1].second.dtype() == float64);
    check_bits<double>(dict[1].second, {1.0, 2.5});
    CHECK_FALSE(dict[1].second.requires_grad());

    std::string message = error_of([&] { io::state_dict_from_json(nlohmann::json::array()); });
    CHECK(message == "state_dict_from_json: expected a JSON object with \"format\": "
                     "\"lucidpp.state_dict\", got array");
}

TEST_CASE("write_file_atomically creates and replaces files without leaving temp files") {
    TempDir dir;
    std::string path = dir.file("out.txt");
    io::write_file_atomically(path, "first");
    CHECK(io::read_file(path) == "first");
    io::write_file_atomically(path, std::string("second\0with nul", 15));
    CHECK(io::read_file(path) == std::string("second\0with nul", 15));
    io::write_file_atomically(path, "");
    CHECK(io::read_file(path).empty());
    CHECK(dir.entries() == 1);
    // Permissions follow the umask, as any new file's (not mkstemp's 0600).
    auto permissions = fs::status(path).permissions();
    CHECK((permissions & fs::perms::owner_read) != fs::perms::none);
    CHECK((permissions & fs::perms::owner_write) != fs::perms::none);
}

TEST_CASE("write_file_atomically reports the path and reason and keeps the old file") {
    TempDir dir;
    std::string missing = dir.file("no_such_dir/out.json");
    std::string message = error_of([&] { io::write_file_atomically(missing, "x"); });
    CHECK(message.find("write_file_atomically: cannot create a temp file next to \"" + missing +
                       "\": No such file or directory") != std::string::npos);

    // Renaming over a directory fails after the temp file exists: it must be removed.
    fs::create_directory(dir.file("taken"));
    fs::create_directory(dir.file("taken/inside"));
    message = error_of([&] { io::write_file_atomically(dir.file("taken"), "x"); });
    CHECK(message.find("write_file_atomically: cannot write \"" + dir.file("taken") + "\": ") !=
          std::string::npos);
    CHECK(dir.entries() == 1);
    CHECK(fs::is_directory(dir.file("taken/inside")));
}

TEST_CASE("read_file names the path and the reason") {
    TempDir dir;
    CHECK(error_of([&] { io::read_file(dir.file("nope.json")); }) ==
          "read_file: cannot open \"" + dir.file("nope.json") + "\": No such file or directory");
    CHECK(error_of([&] { io::read_file(dir.path.string()); }) ==
          "read_file: cannot read \"" + dir.path.string() + "\": Is a directory");
}

TEST_CASE("save reports an unwritable path") {
    Mixed module;
    std::string message = error_of([&] { save(module, "/nonexistent_dir_lucidpp/m.json"); });
    CHECK(message.find("save: write_file_atomically: cannot create a temp file next to "
                       "\"/nonexistent_dir_lucidpp/m.json\": No such file or directory") !=
          std::string::npos);
}

TEST_CASE("load of a missing file fails and changes nothing") {
    TempDir dir;
    Single module;
    std::string message = error_of([&] { load(module, dir.file("missing.json")); });
    CHECK(message == "load: read_file: cannot open \"" + dir.file("missing.json") +
                         "\": No such file or directory");
    check_bits<float>(module.w, {1, 2, 3, 4});
}

TEST_CASE("load of truncated or malformed JSON fails and changes nothing") {
    TempDir dir;
    Single source;
    {
        NoGradGuard no_grad;
        source.w.fill_(9);
    }
    save(source, dir.file("good.json"));
    std::string good = io::read_file(dir.file("good.json"));
    check_load_fails(good.substr(0, good.size() / 2), "is truncated or not valid JSON");
    check_load_fails(good.substr(0, good.size() / 2), "unexpected end of input");
    check_load_fails("", "is truncated or not valid JSON");
    check_load_fails("{\"format\": lucidpp}", "syntax error");
}

TEST_CASE("load rejects a wrong format or version") {
    check_load_fails(R"({"format": "lucidpp.golden.recurrent", "version": 1, "tensors": {}})",
                     R"("format" is "lucidpp.golden.recurrent", expected "lucidpp.state_dict")");
    check_load_fails(R"({"version": 1, "tensors": {}})", R"(the document has no "format" field)");
    check_load_fails(R"({"format": "lucidpp.state_dict", "version": 2, "tensors": {}})",
                     R"(unsupported "version" 2 (this lucidpp reads version 1))");
    check_load_fails(R"({"format": "lucidpp.state_dict", "version": "1", "tensors": {}})",
                     R"(unsupported "version" "1")");
    check_load_fails(R"({"format": "lucidpp.state_dict", "version": 1, "tensors": []})",
                     R"("tensors" must be an object, got array)");
    check_load_fails("[1, 2]", "expected a JSON object");
}

TEST_CASE("load rejects a data length that does not match the shape") {
    check_load_fails(single_document(R"({"dtype": "float32", "shape": [2, 2], "data": [1, 2, 3]})"),
                     R"(tensor "w": "data" has 3 values, but shape (2, 2) needs 4)");
    check_load_fails(single_document(
                         R"({"dtype": "float32", "shape": [4294967296, 4294967296, 4], "data": []})"),
                     R"(tensor "w": shape (4294967296, 4294967296, 4) has too many elements)");
    check_load_fails(single_document(R"({"dtype": "float32", "shape": [2, -2], "data": []})"),
                     R"(tensor "w": "shape" must hold non-negative integers, got [2,-2])");
}

TEST_CASE("load rejects unknown dtypes, missing fields and bad values") {
    check_load_fails(single_document(R"({"dtype": "float16", "shape": [2, 2], "data": [1, 2, 3, 4]})"),
                     R"(tensor "w": unknown dtype "float16" (expected float32, float64 or int64))");
    check_load_fails(single_document(R"({"dtype": "float32", "data": [1, 2, 3, 4]})"),
                     R"(tensor "w" has no "shape" field)");
    check_load_fails(single_document(R"([1, 2, 3, 4])"),
                     R"(tensor "w" must be an object with "dtype", "shape" and "data", got array)");
    check_load_fails(single_document(R"({"dtype": "float32", "shape": [2, 2], "data": [1, "x", 3, 4]})"),
                     R"(tensor "w": data[1] is "x", expected a number or "nan", "inf", "-inf")");
    check_load_fails(single_document(R"({"dtype": "float32", "shape": [2, 2], "data": [1, 2, 3, 1e39]})"),
                     R"(tensor "w": data[3] is 1e+39, expected a value in float32's range)");
    check_load_fails(single_document(R"({"dtype": "int64", "shape": [1], "data": [1.5]})"),
                     R"(tensor "w": data[0] is 1.5, expected an int64 integer)");
    check_load_fails(single_document(R"({"dtype": "int64", "shape": [1], "data": [9223372036854775808]})"),
                     R"(data[0] is 9223372036854775808, expected an int64 integer)");
}

TEST_CASE("load rejects a shape or dtype that does not fit the module") {
    const std::string reshaped =
        single_document(R"({"dtype": "float32", "shape": [4], "data": [5, 6, 7, 8]})");
    check_load_fails(reshaped, "Error(s) in loading state_dict for Single:");
    check_load_fails(reshaped, "size mismatch for w: copying a param with shape (4)");
    const std::string retyped =
        single_document(R"({"dtype": "float64", "shape": [2, 2], "data": [5, 6, 7, 8]})");
    check_load_fails(retyped, "mismatch for w: copying a param with ");
    check_load_fails(retyped, "float64");
}

TEST_CASE("load rejects missing and unexpected keys, all or nothing") {
    check_load_fails(R"({"format": "lucidpp.state_dict", "version": 1, "tensors": {}})",
                     R"(Missing key(s) in state_dict: "w".)");
    check_load_fails(R"({"format": "lucidpp.state_dict", "version": 1, "tensors": {
                         "w": {"dtype": "float32", "shape": [2, 2], "data": [5, 6, 7, 8]},
                         "extra": {"dtype": "float32", "shape": [1], "data": [0]}}})",
                     R"(Unexpected key(s) in state_dict: "extra".)");

    // A module with two tensors: the good one is not copied when the other one is wrong.
    TempDir dir;
    Mixed module;
    std::vector<std::string> before = snapshot(module);
    ordered_json json = io::state_dict_to_json(module.state_dict());
    json["tensors"]["weight"]["data"][0] = 100.0;
    json["tensors"]["scale"]["dtype"] = "float32";
    write_text(dir.file("half.json"), json.dump());
    CHECK(error_of([&] { load(module, dir.file("half.json")); }).find("mismatch for scale") !=
          std::string::npos);
    CHECK(snapshot(module) == before);
}

}  // TEST_SUITE("io")

// ---- the PyTorch converter's golden file ----------------------------------------------------

namespace {

Tensor find(const nn::StateDict& dict, const std::string& name) {
    for (const auto& [key, t] : dict) {
        if (key == name) return t;
    }
    FAIL("no tensor ", name);
    return {};
}

const std::string golden_path = converter_golden + ".json";

}  // namespace

TEST_SUITE("io.converter") {

TEST_CASE("a state_dict converted from PyTorch loads with its values") {
    Example module;
    load(module, golden_path);
    nn::StateDict dict = module.state_dict();
    // Numbers copied from tests/data/converter_gru.json.
    Tensor weight_ih_l0 = find(dict, "gru.weight_ih_l0");
    CHECK(weight_ih_l0.dtype() == float32);
    CHECK(weight_ih_l0.to_vector<float>()[0] == static_cast<float>(-0.003743410110473633));
    CHECK(weight_ih_l0.to_vector<float>()[35] == static_cast<float>(-0.46828049421310425));
    CHECK(find(dict, "gru.bias_hh_l1").to_vector<float>()[11] ==
          static_cast<float>(-0.14193212985992432));
    check_bits<float>(module.head.bias, {0.22425204515457153f, -0.3534480333328247f});
    CHECK(find(dict, "stats.step").item<std::int64_t>() == 7);
    check_bits<std::int64_t>(find(dict, "stats.limits"),
                             {std::numeric_limits<std::int64_t>::min(),
                              std::numeric_limits<std::int64_t>::max(), 0});

    std::vector<float> special = find(dict, "stats.special").to_vector<float>();
    CHECK(std::isnan(special[0]));
    CHECK(special[1] == std::numeric_limits<float>::infinity());
    CHECK(special[2] == -std::numeric_limits<float>::infinity());
    CHECK(same_bits(special[3], -0.0f));
    CHECK(same_bits(special[4], 1e-45f));
    CHECK(same_bits(special[5], 0.1f));
    CHECK(special[6] == std::numeric_limits<float>::max());
    CHECK(special[7] == std::numeric_limits<float>::min());
    check_bits<double>(find(dict, "stats.scale"),
                       {0.1, -0.0, 5e-324, 1.7976931348623157e308, 1.0 / 3.0});
}

TEST_CASE("saving the loaded PyTorch state_dict gives the same document") {
    Example module;
    load(module, golden_path);
    TempDir dir;
    save(module, dir.file("again.json"));
    ordered_json original = ordered_json::parse(io::read_file(golden_path));
    ordered_json again = ordered_json::parse(io::read_file(dir.file("again.json")));
    CHECK(again == original);  // same names in the same order, same values
    std::vector<std::string> names;
    for (const auto& [name, entry] : again["tensors"].items()) names.push_back(name);
    CHECK(names.front() == "gru.weight_ih_l0");
    CHECK(names.back() == "stats.scale");
}

}  // TEST_SUITE("io.converter")

TEST_SUITE("io.json_fields") {

TEST_CASE("parse_json: trailing bytes, NUL bytes and huge numbers are errors naming the file") {
    CHECK(io::parse_json(R"({"hidden": 4} )", "c.json")["hidden"] == 4);
    CHECK(error_of([] { io::parse_json(std::string("{\"hidden\":4}\0garbage", 20), "c.json"); }) ==
          "c.json is truncated or not valid JSON: a NUL byte at offset 12 (trailing bytes?)");
    CHECK(error_of([] { io::parse_json("{\"hidden\":4} x", "c.json"); })
              .find("c.json is truncated or not valid JSON: ") == 0);
    // nlohmann reports 1e400 as out_of_range, not as a parse_error.
    CHECK(error_of([] { io::parse_json(R"({"lr": 1e400})", "c.json"); })
              .find("c.json holds a number out of range: ") == 0);
    CHECK(error_of([] { io::parse_ordered_json("[1e400]", "c.json"); })
              .find("c.json holds a number out of range") == 0);
}

TEST_CASE("parse_json: nesting deeper than 128 is an error, not a stack overflow") {
    auto nested = [](std::size_t depth) {
        return std::string(depth, '[') + std::string(depth, ']');
    };
    CHECK(io::parse_json(nested(128), "c.json").is_array());
    CHECK(error_of([&] { io::parse_json(nested(129), "c.json"); }) ==
          "c.json nests arrays and objects more than 128 deep (offset 128)");
    // Brackets inside strings, escaped quotes included, do not count.
    const std::string text = R"({"a": "[[[\"[[[", "b": )" + nested(127) + "}";
    CHECK(io::parse_json(text, "c.json")["a"] == "[[[\"[[[");
    // A million levels: once enough to overflow the stack in the parser.
    const std::string deep = "{\"format\": " + nested(1'000'000) + "}";
    CHECK(error_of([&] { io::parse_ordered_json(deep, "s.json"); })
              .starts_with("s.json nests arrays and objects more than 128 deep"));
}

TEST_CASE("JsonField: every wrong type or range is an error naming the file and the key path") {
    const nlohmann::json doc = nlohmann::json::parse(
        R"({"a": {"b": [1, 2.5, -3, 18446744073709551615, 1e30, "x", "nan", true]}})");
    const io::JsonField root(doc, "f.json");
    const io::JsonField b = root["a"]["b"];
    CHECK(b.elements()[0].integer(0, 1) == 1);
    CHECK(error_of([&] { b.elements()[0].integer(2, 3); }) ==
          "f.json: a/b/0: must be an integer in [2, 3], got 1");
    CHECK(error_of([&] { b.elements()[1].integer(); }) ==
          "f.json: a/b/1: expected an integer, got 2.5");
    CHECK(error_of([&] { b.elements()[2].unsigned_integer(); }) ==
          "f.json: a/b/2: must not be negative, got -3");
    CHECK(b.elements()[3].unsigned_integer() == 18446744073709551615ULL);
    CHECK(error_of([&] { b.elements()[3].integer(); }).find("f.json: a/b/3: must be an integer") ==
          0);
    CHECK(error_of([&] { b.elements()[4].integer(); }).find("f.json: a/b/4: must be an integer") ==
          0);
    CHECK(error_of([&] { b.elements()[5].number(); }) ==
          R"(f.json: a/b/5: expected a number (or "nan", "inf", "-inf"), got "x")");
    CHECK(std::isnan(b.elements()[6].number()));
    CHECK(error_of([&] { b.elements()[6].finite_number(); }) ==
          R"(f.json: a/b/6: expected a number, got "nan")");
    CHECK(error_of([&] { b.elements()[7].string(); }) ==
          "f.json: a/b/7: expected a string, got true");
    CHECK(error_of([&] { root["a"]["c"]; }) == "f.json: a/c: missing or malformed: no such key");
    CHECK(error_of([&] { b["c"]; }).find("f.json: a/b: expected an object, got [1,2.5") == 0);
    CHECK(error_of([&] { root["a"].elements(); }) ==
          R"(f.json: a: expected a list, got {"b":[1,2.5,-3,18446744073709551615,1e+30,"x","nan",true]})");
}

TEST_CASE("load: bad UTF-8 or a non-string format is an error, not a raw nlohmann exception") {
    TempDir dir;
    Single module;
    const std::string path = dir.file("bad.json");
    write_text(path, "{\"format\": \"\xff\", \"version\": 1, \"tensors\": {}}");
    CHECK_THROWS_AS(load(module, path), Error);
    write_text(path, R"({"format": 7, "version": 1, "tensors": {}})");
    CHECK(error_of([&] { load(module, path); }).find(R"("format" is 7)") != std::string::npos);
    write_text(path, R"({"format": "lucidpp.state_dict", "version": 1, "tensors": {"w": 1e400}})");
    CHECK(error_of([&] { load(module, path); }).find("holds a number out of range") !=
          std::string::npos);
}

}  // TEST_SUITE("io.json_fields")

TEST_SUITE("io.golden_readers") {

TEST_CASE("the golden-file readers report <file>: <key>: <problem>, never a raw nlohmann error") {
    TempDir dir;
    const std::string path = dir.file("golden.json");
    write_text(path, std::string("{\"cases\": []}\0x", 15));
    CHECK(error_of([&] { lucid::testing::read_json_file(path); }).find(path + " is truncated") ==
          0);
    const nlohmann::ordered_json golden = nlohmann::ordered_json::parse(R"({"cases": [{"h0": 1}]})");
    const std::string message = error_of([&] {
        lucid::testing::reading_golden("g.json", "cases/0", [&] {
            (void)golden.at("cases")[0].at("output");
        });
    });
    CHECK(message.find("g.json: cases/0: [json.exception.out_of_range.403] key 'output' not found") ==
          0);
}

}  // TEST_SUITE("io.golden_readers")
