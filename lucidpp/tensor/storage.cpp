#include "lucidpp/tensor/storage.hpp"

#include <new>

namespace lucid {

namespace {
// 64 bytes: a cache line, and enough for any vector width the compiler targets.
constexpr std::align_val_t storage_alignment{64};
}  // namespace

Storage::Storage(std::size_t nbytes)
    : bytes_(static_cast<std::byte*>(::operator new(nbytes == 0 ? 1 : nbytes, storage_alignment))),
      nbytes_(nbytes) {}

void Storage::AlignedDelete::operator()(std::byte* bytes) const {
    ::operator delete(bytes, storage_alignment);
}

}  // namespace lucid
