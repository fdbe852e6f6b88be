// The layering of lucidpp/, kept by a test: a file may include its own layer and the layers
// below it, never one above (docs/architecture.md says what each layer holds and why the order
// is what it is). Files directly under lucidpp/ (lucid.hpp) sit on top and may include all.
// Also: no file under lucidpp/ is longer than 400 lines.
#include <doctest/doctest.h>
#include <fmt/format.h>
#include <fmt/ranges.h>
#include <unistd.h>

#include <algorithm>
#include <array>
#include <filesystem>
#include <fstream>
#include <optional>
#include <regex>
#include <string>
#include <string_view>
#include <vector>

namespace fs = std::filesystem;

namespace {

// The layers, bottom to top: the one place the order is written in code. data/ and
// distributed/ are reserved for the coming datasets-and-loaders and distributed-training rooms.
// clang-format off
constexpr std::array<std::string_view, 11> layers{
    "tensor", "kernels", "autograd", "ops", "nn", "optim", "io", "data", "distributed", "tasks",
    "train"};
// clang-format on
constexpr std::size_t max_lines = 400;

const fs::path source_root = LUCIDPP_SOURCE_DIR;

// The rank of a layer in `layers`, or nothing for a folder the order does not name.
std::optional<std::size_t> rank(std::string_view layer) {
    auto found = std::find(layers.begin(), layers.end(), layer);
    if (found == layers.end()) return std::nullopt;
    return static_cast<std::size_t>(found - layers.begin());
}

// The files under `library` (the lucidpp/ folder), in a stable order.
std::vector<fs::path> files_under(const fs::path& library) {
    std::vector<fs::path> files;
    for (const auto& entry : fs::recursive_directory_iterator(library)) {
        if (entry.is_regular_file()) files.push_back(entry.path());
    }
    std::sort(files.begin(), files.end());
    return files;
}

// The layer a file belongs to: the first folder of its path inside lucidpp/, or "" when it
// sits directly in lucidpp/.
std::string layer_of(const fs::path& relative) {
    return std::distance(relative.begin(), relative.end()) > 1 ? relative.begin()->string() : "";
}

// One message per include that runs upward, or names a folder the order does not know:
// "lucidpp/nn/gru.cpp:7: includes lucidpp/train/trainer.hpp, but nn may include only ...".
std::vector<std::string> include_violations(const fs::path& library) {
    static const std::regex include(R"(^\s*#\s*include\s*[<"]lucidpp/([^/">]+)/([^">]+)[">])");
    std::vector<std::string> violations;
    for (const fs::path& file : files_under(library)) {
        const fs::path relative = fs::relative(file, library);
        const std::string from = layer_of(relative);
        const std::string where = "lucidpp/" + relative.generic_string();
        const std::optional<std::size_t> from_rank = rank(from);
        if (!from.empty() && !from_rank) {
            violations.push_back(
                fmt::format("{}: its folder {}/ is not a layer; add it to the order in "
                            "tests/test_layering.cpp and docs/architecture.md",
                            where, from));
            continue;
        }
        std::ifstream in(file);
        std::string line;
        for (int number = 1; std::getline(in, line); ++number) {
            std::smatch match;
            if (!std::regex_search(line, match, include)) continue;
            const std::string to = match[1].str();
            const std::optional<std::size_t> to_rank = rank(to);
            if (to_rank && (from.empty() || *to_rank <= *from_rank)) continue;
            const std::string included = "lucidpp/" + to + "/" + match[2].str();
            violations.push_back(
                to_rank
                    ? fmt::format("{}:{}: includes {}, a layer above its own: {} may include "
                                  "only {}",
                                  where, number, included, from,
                                  fmt::join(layers.begin(), layers.begin() + *from_rank + 1, ", "))
                    : fmt::format("{}:{}: includes {}, from a folder that is not a layer", where,
                                  number, included));
        }
    }
    return violations;
}

// One message per file longer than max_lines.
std::vector<std::string> long_files(const fs::path& library) {
    std::vector<std::string> violations;
    for (const fs::path& file : files_under(library)) {
        std::ifstream in(file);
        std::size_t lines = 0;
        for (std::string line; std::getline(in, line);) ++lines;
        if (lines > max_lines) {
            violations.push_back(fmt::format("lucidpp/{}: {} lines, more than {}",
                                             fs::relative(file, library).generic_string(), lines,
                                             max_lines));
        }
    }
    return violations;
}

// A scratch lucidpp/ tree for the tests of the checks themselves; removed at the end.
struct ScratchTree {
    fs::path root = fs::temp_directory_path() / fmt::format("lucidpp-layering-{}", ::getpid());

    ScratchTree() { fs::create_directories(root); }
    ~ScratchTree() { fs::remove_all(root); }

    void write(const std::string& path, const std::string& text) const {
        fs::create_directories((root / path).parent_path());
        std::ofstream(root / path) << text;
    }
};

}  // namespace

TEST_SUITE("layering") {
    TEST_CASE("no file under lucidpp/ includes a layer above its own") {
        const fs::path library = source_root / "lucidpp";
        REQUIRE(fs::is_directory(library));
        // The whole library was read, not an empty folder.
        REQUIRE(files_under(library).size() > 100);
        for (const std::string& violation : include_violations(library)) FAIL_CHECK(violation);
    }

    TEST_CASE("no file under lucidpp/ is longer than 400 lines") {
        for (const std::string& violation : long_files(source_root / "lucidpp")) {
            FAIL_CHECK(violation);
        }
    }

    TEST_CASE("docs/architecture.md states the same order") {
        std::ifstream in(source_root / "docs" / "architecture.md");
        REQUIRE(in);
        const std::string text{std::istreambuf_iterator<char>(in), {}};
        const std::string order = fmt::format("{}", fmt::join(layers, " < "));
        INFO("docs/architecture.md should hold the line: ", order);
        CHECK(text.find(order) != std::string::npos);
    }

    TEST_CASE("the checks find an upward include, an unknown folder and a long file") {
        ScratchTree tree;
        tree.write("lucid.hpp", "#include \"lucidpp/train/trainer.hpp\"\n");
        tree.write("nn/gru.cpp",
                   "#include \"lucidpp/nn/gru.hpp\"\n#include <lucidpp/ops/view.hpp>\n"
                   "\n#include \"lucidpp/train/trainer.hpp\"\n");
        tree.write("tensor/tensor.hpp", "#include \"lucidpp/misc/helper.hpp\"\n");
        tree.write("misc/helper.hpp", "// a folder the order does not name\n");
        tree.write("ops/long.cpp", std::string(max_lines + 1, '\n'));
        tree.write("ops/short.cpp", std::string(max_lines, '\n'));

        const std::vector<std::string> includes = include_violations(tree.root);
        REQUIRE(includes.size() == 3);
        CHECK(includes[0] ==
              "lucidpp/misc/helper.hpp: its folder misc/ is not a layer; add it to the "
              "order in tests/test_layering.cpp and docs/architecture.md");
        CHECK(includes[1] ==
              "lucidpp/nn/gru.cpp:4: includes lucidpp/train/trainer.hpp, a layer above "
              "its own: nn may include only tensor, kernels, autograd, ops, nn");
        CHECK(includes[2] ==
              "lucidpp/tensor/tensor.hpp:1: includes lucidpp/misc/helper.hpp, from a "
              "folder that is not a layer");

        const std::vector<std::string> long_ones = long_files(tree.root);
        REQUIRE(long_ones.size() == 1);
        CHECK(long_ones[0] == "lucidpp/ops/long.cpp: 401 lines, more than 400");
    }

}  // TEST_SUITE("layering")
