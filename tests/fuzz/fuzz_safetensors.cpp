// libFuzzer target: a safetensors file through io::load_safetensors (what lucid::load does for
// a ".safetensors" path) into a small model, and through io::read_safetensors alone. A load either
// succeeds or throws lucid::Error and leaves every parameter byte as it was; a file the reader
// accepts is written again by safetensors_bytes, which must read back to the same tensors and
// metadata and be written again to the same bytes.
#include <algorithm>

#include "fuzz_support.hpp"
#include "lucidpp/io/safetensors.hpp"

using namespace lucid;

namespace {

// Names, dtypes, shapes and bytes of the tensors, by name (a file's data may be in any order;
// what the writer writes is in its own), and the metadata in order.
std::string contents_state(const io::SafetensorsContents& contents) {
    nn::StateDict sorted = contents.tensors;
    std::sort(sorted.begin(), sorted.end(),
              [](const auto& a, const auto& b) { return a.first < b.first; });
    std::string out = fuzz::snapshot(sorted);
    for (const auto& [key, value] : contents.metadata) out += key + '=' + value + '\n';
    return out;
}

void check_rewrite(std::string_view input) {
    io::SafetensorsContents contents;
    if (!fuzz::loads("read_safetensors", [&] { contents = io::read_safetensors(input, "input"); }))
        return;
    std::string written;
    io::SafetensorsContents again;
    if (!fuzz::loads("safetensors_bytes", [&] {
            written = io::safetensors_bytes(contents.tensors, contents.metadata);
        })) {
        return;  // the writer refuses what it cannot hold (a name or key that is not UTF-8)
    }
    if (!fuzz::loads("read_safetensors", [&] { again = io::read_safetensors(written, "again"); }))
        fuzz::fail("safetensors", "a file safetensors_bytes wrote does not read back");
    if (contents_state(again) != contents_state(contents)) {
        fuzz::fail("safetensors", "a file read, written and read again changed its tensors");
    }
    if (io::safetensors_bytes(again.tensors, again.metadata) != written) {
        fuzz::fail("safetensors", "writing the same tensors twice gave different bytes");
    }
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    static fuzz::ModelBaseline baseline;
    nn::Module& model = baseline.model;
    fuzz::check_all_or_nothing(
        "io::load_safetensors", baseline.bytes,
        [&] { io::load_safetensors(model, fuzz::input_file(data, size)); },
        [&] { baseline.reset(); }, [&] { return fuzz::snapshot(model); });
    check_rewrite(std::string_view(reinterpret_cast<const char*>(data), size));
    return 0;
}
