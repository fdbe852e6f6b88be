#include "lucidpp/train/metrics_log.hpp"

#include <fcntl.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <sstream>

#include "lucidpp/io/atomic_file.hpp"
#include "lucidpp/io/json_fields.hpp"
#include "lucidpp/tensor/error.hpp"

namespace lucid::training {

MetricsLog::MetricsLog(std::string path) : path_(std::move(path)) {}

void MetricsLog::append(const nlohmann::ordered_json& record) const {
    const std::string line = record.dump() + "\n";
    const int fd = ::open(path_.c_str(), O_WRONLY | O_CREAT | O_APPEND | O_CLOEXEC, 0666);
    check(fd >= 0, "MetricsLog: cannot open {}: {}", path_, std::strerror(errno));
    const ssize_t written = ::write(fd, line.data(), line.size());
    const int write_error = errno;
    ::close(fd);
    check(written == static_cast<ssize_t>(line.size()), "MetricsLog: cannot append to {}: {}",
          path_, written < 0 ? std::strerror(write_error) : "short write");
}

void MetricsLog::rewrite(const std::vector<nlohmann::ordered_json>& records) const {
    io::write_file_atomically(path_, metrics_jsonl(records));
}

std::vector<nlohmann::json> MetricsLog::read(const std::string& path) {
    std::istringstream lines(io::read_file(path));
    std::vector<nlohmann::json> records;
    std::string line;
    for (int number = 1; std::getline(lines, line); ++number) {
        if (line.empty()) continue;
        records.push_back(io::parse_json(line, fmt::format("{}: line {}", path, number)));
    }
    return records;
}

std::string metrics_jsonl(const std::vector<nlohmann::ordered_json>& records) {
    std::string lines;
    for (const nlohmann::ordered_json& record : records) lines += record.dump() + "\n";
    return lines;
}

}  // namespace lucid::training
