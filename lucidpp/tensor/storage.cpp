#include "lucidpp/tensor/storage.hpp"

#include "lucidpp/tensor/allocator.hpp"

namespace lucid {

Storage::Storage(std::size_t nbytes)
    : bytes_(static_cast<std::byte*>(detail::allocate(nbytes)), Deallocate{nbytes}),
      nbytes_(nbytes) {}

void Storage::Deallocate::operator()(std::byte* bytes) const { detail::deallocate(bytes, nbytes); }

}  // namespace lucid
