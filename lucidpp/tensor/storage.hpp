#pragma once
// Storage: one flat, aligned byte buffer shared by a tensor and all of its views, from the
// caching allocator (allocator.hpp).
#include <cstddef>
#include <cstdint>
#include <memory>

namespace lucid {

class Storage {
public:
    explicit Storage(std::size_t nbytes);

    std::byte* data() { return bytes_.get(); }
    const std::byte* data() const { return bytes_.get(); }
    std::size_t nbytes() const { return nbytes_; }

    // Bumped by every in-place write. Autograd remembers the version of each tensor it saves
    // and refuses to backpropagate if the storage changed since (views share the counter).
    std::uint64_t version() const { return version_; }
    void bump_version() { ++version_; }

private:
    struct Deallocate {
        std::size_t nbytes;
        void operator()(std::byte* bytes) const;
    };
    std::unique_ptr<std::byte[], Deallocate> bytes_;
    std::size_t nbytes_ = 0;
    std::uint64_t version_ = 0;
};

}  // namespace lucid
