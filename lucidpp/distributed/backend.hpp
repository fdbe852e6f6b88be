#pragma once
// The transport under lucid::distributed: the few MPI calls the collectives need, on raw
// buffers. Two implementations, chosen when lucidpp is configured (-Ddistributed):
// mpi_backend.cpp over OpenMPI, and single_process_backend.cpp, a world of one, for builds
// without MPI. Only these files know which one it is; nothing here checks its arguments (the
// collectives do, on every rank, before they get here).
#include <cstdint>
#include <memory>
#include <string>

#include "lucidpp/tensor/dtype.hpp"

namespace lucid::distributed::backend {

enum class Op { sum, max, min };

// "MPI (Open MPI 4.1.4)" or "none (built without MPI)".
std::string name();
bool available();  // false in a build without MPI

// Starts MPI unless the program already did; true if this call started it.
bool init();
void finalize();
bool finalized();
int rank();
int world_size();

void all_reduce(void* data, std::int64_t count, Dtype dtype, Op op);
void broadcast(void* data, std::int64_t bytes, int src);
// Rank r's `bytes` land at out + r * bytes.
void all_gather(const void* in, void* out, std::int64_t bytes);
void barrier();
[[noreturn]] void abort(int exit_code);

// A reduction started now and finished by wait(); the buffer must stay alive until then.
class Request {
public:
    virtual ~Request() = default;
    virtual void wait() = 0;
};
std::unique_ptr<Request> all_reduce_async(void* data, std::int64_t count, Dtype dtype, Op op);
std::unique_ptr<Request> all_gather_async(const void* in, void* out, std::int64_t bytes);

}  // namespace lucid::distributed::backend
