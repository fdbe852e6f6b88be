#include "lucidpp/train/run_folder.hpp"

#include <fmt/chrono.h>
#include <fmt/format.h>

#include <chrono>
#include <filesystem>
#include <system_error>

#include "lucidpp/io/atomic_file.hpp"
#include "lucidpp/tensor/error.hpp"

namespace lucid::training {

namespace fs = std::filesystem;

RunFolder::RunFolder(std::string directory) : directory_(std::move(directory)) {
    std::error_code error;
    fs::create_directories(directory_, error);
    check(!error, "cannot create the run folder {}: {}", directory_, error.message());
}

std::string RunFolder::path(const std::string& file) const {
    return (fs::path(directory_) / file).string();
}

std::string RunFolder::checkpoint_path_in(const std::string& directory) {
    return (fs::path(directory) / "checkpoint.json").string();
}

void RunFolder::write(const std::string& file, const std::string& contents) const {
    io::write_file_atomically(path(file), contents);
}

std::string default_run_directory(const std::string& name) {
    const auto now = std::chrono::system_clock::to_time_t(std::chrono::system_clock::now());
    const std::string base = fmt::format("runs/{}-{:%Y%m%d-%H%M%S}", name, fmt::localtime(now));
    std::string directory = base;
    for (int n = 2; fs::exists(directory); ++n) directory = fmt::format("{}-{}", base, n);
    return directory;
}

}  // namespace lucid::training
