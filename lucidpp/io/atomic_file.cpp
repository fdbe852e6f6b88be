#include "lucidpp/io/atomic_file.hpp"

#include <fcntl.h>
#include <unistd.h>

#include <atomic>
#include <cerrno>
#include <filesystem>
#include <system_error>
#include <utility>

#include "lucidpp/tensor/error.hpp"

namespace lucid::io {

namespace {

std::string errno_text(int error) {
    return std::generic_category().message(error);
}

// Closes a file descriptor when it goes out of scope, unless already closed.
struct FileDescriptor {
    int fd = -1;
    FileDescriptor(const FileDescriptor&) = delete;
    FileDescriptor& operator=(const FileDescriptor&) = delete;
    explicit FileDescriptor(int fd) : fd(fd) {}
    ~FileDescriptor() {
        if (fd >= 0) ::close(fd);
    }
    int release() { return std::exchange(fd, -1); }
};

// Returns 0, or the errno of the first failing call.
int write_all(int fd, const std::string& contents) {
    const char* data = contents.data();
    std::size_t left = contents.size();
    while (left > 0) {
        ssize_t written = ::write(fd, data, left);
        if (written < 0) {
            if (errno == EINTR) continue;
            return errno;
        }
        data += written;
        left -= static_cast<std::size_t>(written);
    }
    return 0;
}

std::string directory_of(const std::string& path) {
    std::string parent = std::filesystem::path(path).parent_path().string();
    return parent.empty() ? "." : parent;
}

// "<path>.tmp.<pid>.<counter>": unique among processes (pid) and threads (counter);
// O_EXCL below guards against a stale file of the same name.
std::string temp_name(const std::string& path) {
    static std::atomic<unsigned> counter{0};
    return fmt::format("{}.tmp.{}.{}", path, ::getpid(), counter++);
}

int open_temp(const std::string& path, std::string& temp) {
    for (int attempt = 0; attempt < 100; ++attempt) {
        temp = temp_name(path);
        int fd = ::open(temp.c_str(), O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0666);
        if (fd >= 0 || errno != EEXIST) return fd;
    }
    return -1;
}

// Writes, flushes and closes the temp file; returns 0 or the errno of the failing step.
int fill_temp(int fd, const std::string& contents) {
    FileDescriptor file(fd);
    if (int error = write_all(fd, contents)) return error;
    if (::fsync(fd) != 0) return errno;
    if (::close(file.release()) != 0) return errno;  // NFS may report write errors only here
    return 0;
}

// Some file systems cannot fsync a directory (EINVAL); the rename has happened anyway.
int sync_directory(const std::string& directory) {
    FileDescriptor dir(::open(directory.c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC));
    if (dir.fd < 0) return errno;
    if (::fsync(dir.fd) != 0 && errno != EINVAL) return errno;
    return 0;
}

}  // namespace

void write_file_atomically(const std::string& path, const std::string& contents) {
    std::string temp;
    int fd = open_temp(path, temp);
    check(fd >= 0, "write_file_atomically: cannot create a temp file next to \"{}\": {}", path,
          errno_text(errno));

    int error = fill_temp(fd, contents);
    if (error == 0 && ::rename(temp.c_str(), path.c_str()) != 0) error = errno;
    if (error != 0) {
        ::unlink(temp.c_str());
        throw Error(
            fmt::format("write_file_atomically: cannot write \"{}\": {}", path, errno_text(error)));
    }
    error = sync_directory(directory_of(path));
    check(error == 0, "write_file_atomically: wrote \"{}\" but cannot sync its directory: {}", path,
          errno_text(error));
}

std::string read_file(const std::string& path) {
    FileDescriptor file(::open(path.c_str(), O_RDONLY | O_CLOEXEC));
    check(file.fd >= 0, "read_file: cannot open \"{}\": {}", path, errno_text(errno));
    std::string contents;
    char buffer[1 << 16];
    while (true) {
        ssize_t count = ::read(file.fd, buffer, sizeof buffer);
        if (count == 0) break;
        if (count < 0 && errno == EINTR) continue;
        if (count < 0) {
            throw Error(fmt::format("read_file: cannot read \"{}\": {}", path, errno_text(errno)));
        }
        contents.append(buffer, static_cast<std::size_t>(count));
    }
    return contents;
}

}  // namespace lucid::io
