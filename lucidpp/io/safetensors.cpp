#include "lucidpp/io/safetensors.hpp"

#include <algorithm>
#include <array>
#include <bit>
#include <cstring>
#include <optional>
#include <set>

#include "lucidpp/io/atomic_file.hpp"
#include "lucidpp/io/json_fields.hpp"
#include "lucidpp/tensor/tensor.hpp"

namespace lucid::io {

// safetensors' data is little-endian, and tensors are copied to and from it byte for byte. A
// big-endian machine would need a byte swap per element in append_data and read_tensor.
static_assert(std::endian::native == std::endian::little,
              "safetensors data is little-endian; this reader and writer copy it unswapped");

namespace {

using nlohmann::ordered_json;

constexpr std::size_t length_bytes = 8;  // the header length before the header
constexpr const char* metadata_key = "__metadata__";

// lucidpp's dtypes as safetensors names them. `rank` is the reference implementation's order of
// its dtypes, which rises with their alignment; it writes the highest first (I64, F64, F32).
struct DtypeName {
    Dtype dtype;
    std::string_view name;
    int rank;
};
constexpr std::array<DtypeName, 3> dtype_names = {
    {{float32, "F32", 0}, {float64, "F64", 1}, {int64, "I64", 2}}};

const DtypeName& named(Dtype dtype) {
    for (const DtypeName& entry : dtype_names) {
        if (entry.dtype == dtype) return entry;
    }
    throw Error("safetensors: unknown dtype");
}

std::string_view safetensors_dtype(Dtype dtype) {
    return named(dtype).name;
}

// ---- writing ------------------------------------------------------------------------------

using Named = std::pair<std::string, Tensor>;

// The reference's order: by dtype, largest alignment first, then by name (byte order, which is
// also Python's order of the strings).
std::vector<const Named*> writing_order(const nn::StateDict& dict) {
    std::vector<const Named*> order;
    for (const Named& entry : dict) order.push_back(&entry);
    std::stable_sort(order.begin(), order.end(), [](const Named* a, const Named* b) {
        const int rank_a = named(a->second.dtype()).rank;
        const int rank_b = named(b->second.dtype()).rank;
        return rank_a != rank_b ? rank_a > rank_b : a->first < b->first;
    });
    return order;
}

std::uint64_t byte_size(const Tensor& tensor) {
    return static_cast<std::uint64_t>(tensor.numel()) * element_size(tensor.dtype());
}

ordered_json header_of(const std::vector<const Named*>& order,
                       const SafetensorsMetadata& metadata) {
    ordered_json header = ordered_json::object();
    if (!metadata.empty()) {
        ordered_json strings = ordered_json::object();
        for (const auto& [key, value] : metadata) {
            check(!strings.contains(key), "safetensors_bytes: metadata key \"{}\" appears twice",
                  key);
            strings[key] = value;
        }
        header[metadata_key] = std::move(strings);
    }
    std::uint64_t offset = 0;
    for (const Named* entry : order) {
        const auto& [name, tensor] = *entry;
        check(name != metadata_key && !header.contains(name),
              "safetensors_bytes: the name \"{}\" is {}", name,
              name == metadata_key ? "reserved for the metadata" : "given to two tensors");
        const std::uint64_t end = offset + byte_size(tensor);
        header[name] = {{"dtype", std::string(safetensors_dtype(tensor.dtype()))},
                        {"shape", std::vector<std::int64_t>(tensor.shape())},
                        {"data_offsets", {offset, end}}};
        offset = end;
    }
    return header;
}

std::string header_text(const ordered_json& header) {
    std::string text;
    try {
        text = header.dump();  // compact, as the reference's serde_json writes it
    } catch (const nlohmann::json::exception& error) {
        throw Error(fmt::format("safetensors_bytes: {}", error.what()));  // e.g. bad UTF-8
    }
    // Spaces up to a multiple of 8 bytes, so the data starts 8-byte aligned, as in the reference.
    text.append((length_bytes - text.size() % length_bytes) % length_bytes, ' ');
    return text;
}

void append_u64_le(std::string& out, std::uint64_t value) {
    for (std::size_t i = 0; i < length_bytes; ++i) {
        out.push_back(static_cast<char>((value >> (8 * i)) & 0xff));
    }
}

void append_data(std::string& out, const Tensor& tensor) {
    if (tensor.numel() == 0) return;
    const Tensor flat = tensor.detach().contiguous();
    dispatch(flat.dtype(), [&]<class T>() {
        out.append(reinterpret_cast<const char*>(flat.data_ptr<T>()), byte_size(flat));
    });
}

// ---- reading: the header ------------------------------------------------------------------

std::uint64_t read_u64_le(std::string_view bytes) {
    std::uint64_t value = 0;
    for (std::size_t i = 0; i < length_bytes; ++i) {
        value |= static_cast<std::uint64_t>(static_cast<unsigned char>(bytes[i])) << (8 * i);
    }
    return value;
}

// nlohmann keeps one of two equal keys and drops the other silently. A header that names a
// tensor twice, or gives one tensor two shapes, is refused rather than read one way here and
// another way by another reader.
void reject_duplicate_keys(const std::string& text, const std::string& file) {
    struct Open {
        std::set<std::string> keys;
        std::string current;
    };
    std::vector<Open> objects;
    using Event = ordered_json::parse_event_t;
    auto on_event = [&](int, Event event, ordered_json& value) {
        if (event == Event::object_start) objects.emplace_back();
        if (event == Event::object_end) objects.pop_back();
        if (event == Event::key) {
            Open& object = objects.back();
            object.current = value.get<std::string>();
            if (!object.keys.insert(object.current).second) {
                std::string path;
                for (const Open& open : objects) path += (path.empty() ? "" : "/") + open.current;
                throw Error(where(file, path, "appears twice in the header"));
            }
        }
        return true;
    };
    // The text parsed once already (parse_ordered_json), so only on_event can throw here.
    const ordered_json again = ordered_json::parse(text, on_event);
    (void)again;
}

// What the header says of one tensor, checked.
struct Entry {
    std::string name;
    Dtype dtype;
    Shape shape;
    std::uint64_t begin, end;  // in the data, which starts after the header
};

Dtype read_dtype(const OrderedJsonField& field) {
    const std::string name = field.string();
    for (const DtypeName& entry : dtype_names) {
        if (entry.name == name) return entry.dtype;
    }
    field.fail(fmt::format("dtype \"{}\" is not supported (lucidpp reads F32, F64 and I64)", name));
}

// The tensor's size in bytes. Every product that empty() will form (the element count, the
// strides) must fit int64 as well as the byte count: checked here, before any allocation.
std::uint64_t byte_length(const Entry& entry, const OrderedJsonField& shape) {
    std::optional<std::int64_t> bytes;
    try {
        (void)contiguous_strides(entry.shape);
        bytes = try_mul(numel(entry.shape), static_cast<std::int64_t>(element_size(entry.dtype)));
    } catch (const Error&) {
    }
    if (!bytes) {
        shape.fail(fmt::format("{} of {} is too large: its size overflows int64", entry.shape,
                               safetensors_dtype(entry.dtype)));
    }
    return static_cast<std::uint64_t>(*bytes);
}

Entry read_entry(const std::string& name, const OrderedJsonField& field, std::uint64_t data_size) {
    field.expect(field.json().is_object(),
                 "an object with \"dtype\", \"shape\" and \"data_offsets\"");
    Entry entry{
        .name = name, .dtype = read_dtype(field["dtype"]), .shape = {}, .begin = 0, .end = 0};
    const OrderedJsonField shape = field["shape"];
    for (const OrderedJsonField& size : shape.elements()) entry.shape.push_back(size.integer(0));

    const OrderedJsonField offsets = field["data_offsets"];
    const std::vector<OrderedJsonField> pair = offsets.elements();
    offsets.expect(pair.size() == 2, "[begin, end]");
    entry.begin = pair[0].unsigned_integer();
    entry.end = pair[1].unsigned_integer();
    if (entry.begin > entry.end) {
        offsets.fail(fmt::format("begin {} is after end {}", entry.begin, entry.end));
    }
    if (entry.end > data_size) {
        offsets.fail(fmt::format("[{}, {}] runs past the end of the data ({} bytes)", entry.begin,
                                 entry.end, data_size));
    }
    const std::uint64_t bytes = byte_length(entry, shape);
    if (entry.end - entry.begin != bytes) {
        field.fail(fmt::format("shape {} of {} needs {} bytes, but data_offsets [{}, {}] hold {}",
                               entry.shape, safetensors_dtype(entry.dtype), bytes, entry.begin,
                               entry.end, entry.end - entry.begin));
    }
    return entry;
}

SafetensorsMetadata read_metadata(const OrderedJsonField& field) {
    SafetensorsMetadata metadata;
    for (const auto& [key, value] : field.members()) metadata.emplace_back(key, value.string());
    return metadata;
}

// The tensors' bytes must tile the data exactly: in offset order, each one starts where the
// one before ends, and the last ends at the end of the file.
void check_tiling(std::vector<Entry>& entries, std::uint64_t data_size,
                  const OrderedJsonField& root) {
    std::sort(entries.begin(), entries.end(), [](const Entry& a, const Entry& b) {
        return std::pair(a.begin, a.end) < std::pair(b.begin, b.end);
    });
    std::uint64_t covered = 0;
    const Entry* before = nullptr;
    for (const Entry& entry : entries) {
        const std::string after =
            before ? fmt::format("\"{}\" [{}, {}]", before->name, before->begin, before->end)
                   : std::string("the start of the data");
        if (entry.begin < covered) {
            root[entry.name]["data_offsets"].fail(
                fmt::format("[{}, {}] overlaps {}", entry.begin, entry.end, after));
        }
        if (entry.begin > covered) {
            root[entry.name]["data_offsets"].fail(
                fmt::format("[{}, {}] leaves a gap of {} bytes after {}", entry.begin, entry.end,
                            entry.begin - covered, after));
        }
        covered = entry.end;
        before = &entry;
    }
    if (covered != data_size) {
        root.fail(fmt::format("{} bytes after the last tensor's data (the tensors cover {} of {})",
                              data_size - covered, covered, data_size));
    }
}

// ---- reading: the tensors -----------------------------------------------------------------

Tensor read_tensor(const Entry& entry, const char* data) {
    Tensor tensor = empty(entry.shape, entry.dtype, "read_safetensors");
    if (entry.end > entry.begin) {
        dispatch(entry.dtype, [&]<class T>() {
            std::memcpy(tensor.data_ptr<T>(), data + entry.begin, entry.end - entry.begin);
        });
    }
    return tensor;
}

}  // namespace

std::string safetensors_bytes(const nn::StateDict& dict, const SafetensorsMetadata& metadata) {
    const std::vector<const Named*> order = writing_order(dict);
    const std::string header = header_text(header_of(order, metadata));
    std::uint64_t data_size = 0;
    for (const Named* entry : order) data_size += byte_size(entry->second);

    std::string out;
    out.reserve(length_bytes + header.size() + data_size);
    append_u64_le(out, header.size());
    out += header;
    for (const Named* entry : order) append_data(out, entry->second);
    return out;
}

SafetensorsContents read_safetensors(std::string_view bytes, const std::string& file) {
    check(bytes.size() >= length_bytes,
          "{}: the file is {} bytes, too short for the 8-byte header length of a safetensors file",
          file, bytes.size());
    const std::uint64_t header_size = read_u64_le(bytes);
    check(header_size <= safetensors_max_header,
          "{}: the header length is {} bytes, more than the limit of {}", file, header_size,
          safetensors_max_header);
    const std::uint64_t after_length = bytes.size() - length_bytes;
    check(header_size <= after_length,
          "{}: the header length is {} bytes, but only {} bytes follow it", file, header_size,
          after_length);

    const std::string text(bytes.substr(length_bytes, header_size));
    const ordered_json header = parse_ordered_json(text, file + ": the header");
    reject_duplicate_keys(text, file);
    const OrderedJsonField root(header, file);
    root.expect(header.is_object(), "a JSON object as the header");

    const std::uint64_t data_size = after_length - header_size;
    SafetensorsContents contents;
    std::vector<Entry> entries;
    for (const auto& [name, field] : root.members()) {
        if (name == metadata_key) {
            contents.metadata = read_metadata(field);
        } else {
            entries.push_back(read_entry(name, field, data_size));
        }
    }
    check_tiling(entries, data_size, root);

    const char* data = bytes.data() + length_bytes + header_size;
    for (const Entry& entry : entries) {
        contents.tensors.emplace_back(entry.name, read_tensor(entry, data));
    }
    return contents;
}

void save_safetensors(const nn::Module& module, const std::string& path) {
    const std::string bytes = safetensors_bytes(module.state_dict());
    try {
        write_file_atomically(path, bytes);
    } catch (const Error& error) {
        throw Error(fmt::format("save: {}", error.what()));
    }
}

void load_safetensors(nn::Module& module, const std::string& path) {
    std::string bytes;
    try {
        bytes = read_file(path);
    } catch (const Error& error) {
        throw Error(fmt::format("load: {}", error.what()));
    }
    const std::string file = fmt::format("load: \"{}\"", path);
    const nn::StateDict dict = read_safetensors(bytes, file).tensors;
    try {
        module.load_state_dict(dict, /*strict=*/true);
    } catch (const Error& error) {
        throw Error(where(file, "", error.what()));
    }
}

}  // namespace lucid::io
