#include <mpi.h>

#include <algorithm>
#include <climits>
#include <vector>

#include "lucidpp/distributed/backend.hpp"

namespace lucid::distributed::backend {

namespace {

// MPI counts are ints: longer buffers go in pieces of at most this many elements.
constexpr std::int64_t max_count = INT_MAX;

MPI_Datatype mpi_type(Dtype dtype) {
    switch (dtype) {
        case Dtype::float32:
            return MPI_FLOAT;
        case Dtype::float64:
            return MPI_DOUBLE;
        case Dtype::int64:
            return MPI_INT64_T;
    }
    throw Error("distributed: unknown dtype");
}

MPI_Op mpi_op(Op op) {
    switch (op) {
        case Op::sum:
            return MPI_SUM;
        case Op::max:
            return MPI_MAX;
        case Op::min:
            return MPI_MIN;
    }
    throw Error("distributed: unknown reduce op");
}

// Calls fn(offset, count) over [0, total) in pieces MPI can count.
template <class Fn>
void in_pieces(std::int64_t total, Fn&& fn) {
    for (std::int64_t offset = 0; offset < total; offset += max_count) {
        fn(offset, static_cast<int>(std::min(max_count, total - offset)));
    }
}

class MpiRequest final : public Request {
public:
    explicit MpiRequest(std::vector<MPI_Request> requests) : requests_(std::move(requests)) {}
    ~MpiRequest() override {
        // An unfinished reduction still writes into its buffer: finish it before that goes.
        if (!requests_.empty() && !finalized()) wait();
    }
    void wait() override {
        MPI_Waitall(static_cast<int>(requests_.size()), requests_.data(), MPI_STATUSES_IGNORE);
        requests_.clear();
    }

private:
    std::vector<MPI_Request> requests_;
};

}  // namespace

std::string name() {
    char version[MPI_MAX_LIBRARY_VERSION_STRING];
    int length = 0;
    MPI_Get_library_version(version, &length);
    std::string text(version, static_cast<std::size_t>(length));
    return "MPI (" + text.substr(0, text.find_first_of(",\n")) + ")";
}

bool available() {
    return true;
}

bool init() {
    int started = 0;
    MPI_Initialized(&started);
    if (started) return false;
    // One thread at a time talks to MPI (the one running backward, whose hooks start the
    // reductions; OpenBLAS's threads never do), not always the one that called init.
    int provided = 0;
    MPI_Init_thread(nullptr, nullptr, MPI_THREAD_SERIALIZED, &provided);
    return true;
}

void finalize() {
    MPI_Finalize();
}

bool finalized() {
    int done = 0;
    MPI_Finalized(&done);
    return done != 0;
}

int rank() {
    int rank = 0;
    MPI_Comm_rank(MPI_COMM_WORLD, &rank);
    return rank;
}

int world_size() {
    int size = 1;
    MPI_Comm_size(MPI_COMM_WORLD, &size);
    return size;
}

void all_reduce(void* data, std::int64_t count, Dtype dtype, Op op) {
    auto* bytes = static_cast<char*>(data);
    const auto size = static_cast<std::int64_t>(element_size(dtype));
    in_pieces(count, [&](std::int64_t offset, int n) {
        MPI_Allreduce(MPI_IN_PLACE, bytes + offset * size, n, mpi_type(dtype), mpi_op(op),
                      MPI_COMM_WORLD);
    });
}

std::unique_ptr<Request> all_reduce_async(void* data, std::int64_t count, Dtype dtype, Op op) {
    auto* bytes = static_cast<char*>(data);
    const auto size = static_cast<std::int64_t>(element_size(dtype));
    std::vector<MPI_Request> requests;
    in_pieces(count, [&](std::int64_t offset, int n) {
        MPI_Request& request = requests.emplace_back();
        MPI_Iallreduce(MPI_IN_PLACE, bytes + offset * size, n, mpi_type(dtype), mpi_op(op),
                       MPI_COMM_WORLD, &request);
    });
    return std::make_unique<MpiRequest>(std::move(requests));
}

void broadcast(void* data, std::int64_t bytes, int src) {
    auto* base = static_cast<char*>(data);
    in_pieces(bytes, [&](std::int64_t offset, int n) {
        MPI_Bcast(base + offset, n, MPI_BYTE, src, MPI_COMM_WORLD);
    });
}

namespace {
void check_gather_size(std::int64_t bytes) {
    check(bytes <= max_count,
          "all_gather: {} bytes per rank is over MPI's limit of {} bytes in one call; gather "
          "the tensor in parts",
          bytes, max_count);
}
}  // namespace

std::unique_ptr<Request> all_gather_async(const void* in, void* out, std::int64_t bytes) {
    check_gather_size(bytes);
    std::vector<MPI_Request> requests(1);
    MPI_Iallgather(in, static_cast<int>(bytes), MPI_BYTE, out, static_cast<int>(bytes), MPI_BYTE,
                   MPI_COMM_WORLD, requests.data());
    return std::make_unique<MpiRequest>(std::move(requests));
}

void all_gather(const void* in, void* out, std::int64_t bytes) {
    check_gather_size(bytes);
    MPI_Allgather(in, static_cast<int>(bytes), MPI_BYTE, out, static_cast<int>(bytes), MPI_BYTE,
                  MPI_COMM_WORLD);
}

void barrier() {
    MPI_Barrier(MPI_COMM_WORLD);
}

void abort(int exit_code) {
    MPI_Abort(MPI_COMM_WORLD, exit_code);
    std::abort();  // MPI_Abort does not return; this tells the compiler so
}

}  // namespace lucid::distributed::backend
