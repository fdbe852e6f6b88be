#include "lucidpp/distributed/process_group.hpp"

#include <cstdlib>
#include <exception>

#include <fmt/format.h>

#include "lucidpp/distributed/backend.hpp"
#include "lucidpp/tensor/error.hpp"

namespace lucid::distributed {

namespace {

struct GroupState {
    bool initialized = false;
    bool started_mpi = false;  // finalize MPI on destroy only if we started it
};
GroupState group;

void check_initialized(const char* function) {
    check(group.initialized,
          "distributed.{}: Default process group has not been initialized, please make sure to "
          "call init_process_group()",
          function);
}

}  // namespace

void init_process_group() {
    check(!group.initialized,
          "distributed.init_process_group: trying to initialize the default process group twice");
    check(!backend::finalized(),
          "distributed.init_process_group: MPI was finalized by destroy_process_group() and "
          "cannot start again in the same process");
    group.started_mpi = backend::init();
    group.initialized = true;
}

void destroy_process_group() {
    check_initialized("destroy_process_group");
    group.initialized = false;
    if (group.started_mpi) backend::finalize();
    group.started_mpi = false;
}

bool is_initialized() {
    return group.initialized;
}

int rank() {
    check_initialized("rank");
    return backend::rank();
}

int world_size() {
    check_initialized("world_size");
    return backend::world_size();
}

bool launched_by_mpirun() {
    for (const char* variable : {"OMPI_COMM_WORLD_SIZE", "PMI_SIZE", "PMIX_RANK"}) {
        if (std::getenv(variable) != nullptr) return true;
    }
    return false;
}

bool is_mpi_available() {
    return backend::available();
}
std::string backend_name() {
    return backend::name();
}

void abort(int exit_code) {
    backend::abort(exit_code);
}

ProcessGroupGuard::ProcessGroupGuard() : uncaught_at_start_(std::uncaught_exceptions()) {
    init_process_group();
}

ProcessGroupGuard::~ProcessGroupGuard() {
    if (!group.initialized) return;
    if (std::uncaught_exceptions() > uncaught_at_start_ && backend::world_size() > 1) {
        fmt::print(stderr,
                   "lucid::distributed: rank {} is leaving by an exception; aborting the "
                   "job so that no rank waits for it\n",
                   backend::rank());
        backend::abort(1);
    }
    destroy_process_group();
}

}  // namespace lucid::distributed
