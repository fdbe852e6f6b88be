#include "fuzz_support.hpp"

#include <sys/mman.h>
#include <unistd.h>

#include <fmt/format.h>

namespace lucid::fuzz {

namespace {

template <class T>
void append_bytes(std::string& out, const Tensor& tensor) {
    const std::vector<T> values = tensor.to_vector<T>();
    out.append(reinterpret_cast<const char*>(values.data()), values.size() * sizeof(T));
}

}  // namespace

std::string snapshot(const nn::Module& module) {
    return snapshot(module.state_dict());
}

std::string snapshot(const nn::StateDict& dict) {
    std::string out;
    for (const auto& [name, tensor] : dict) {
        out += fmt::format("{} {} {}:", name, tensor.dtype(), fmt::join(tensor.shape(), ","));
        switch (tensor.dtype()) {
            case Dtype::float32:
                append_bytes<float>(out, tensor);
                break;
            case Dtype::float64:
                append_bytes<double>(out, tensor);
                break;
            case Dtype::int64:
                append_bytes<std::int64_t>(out, tensor);
                break;
        }
        out += '\n';
    }
    return out;
}

const std::string& input_file(const std::uint8_t* data, std::size_t size) {
    static const int fd = memfd_create("lucidpp-fuzz-input", 0);
    static const std::string path = fmt::format("/proc/self/fd/{}", fd);
    if (fd < 0 || ftruncate(fd, 0) != 0) fail("input_file", "cannot make the in-memory file");
    std::size_t done = 0;
    while (done < size) {
        const ssize_t n = pwrite(fd, data + done, size - done, static_cast<off_t>(done));
        if (n <= 0) fail("input_file", "cannot write the in-memory file");
        done += static_cast<std::size_t>(n);
    }
    return path;
}

void fail(const char* target, const std::string& what) {
    std::fprintf(stderr, "\n%s: %s\n", target, what.c_str());
    std::abort();
}

}  // namespace lucid::fuzz
