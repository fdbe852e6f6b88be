#pragma once
// The process group: every process (rank) of one training job, as torch.distributed's default
// group. `mpirun -np 4 ./train` starts 4 ranks; a program started without mpirun is a world of
// one, where every call below works and every collective leaves its tensor as it is.
//
//   lucid::distributed::ProcessGroupGuard group;  // init_process_group() ... destroy
//   if (lucid::distributed::rank() == 0) fmt::print("{} ranks\n",
//   lucid::distributed::world_size());
#include <string>

namespace lucid::distributed {

// Starts MPI (unless the program already did) and the default group. Calling it again while
// initialized is an error, as in PyTorch.
void init_process_group();
// Ends the group, and MPI if init_process_group started it. MPI cannot start again in the same
// process afterwards.
void destroy_process_group();
bool is_initialized();

// This process's rank in [0, world_size()), and the number of ranks. Errors before
// init_process_group().
int rank();
int world_size();

// True when an MPI launcher started this process (mpirun of Open MPI, MPICH's Hydra, PMIx):
// a program can start the process group only then, and skip MPI's start-up (about 0.4 s for a
// world of one) in a plain run.
bool launched_by_mpirun();

// True when lucidpp was built with MPI (-Ddistributed); without it, the world is always one.
bool is_mpi_available();
std::string backend_name();

// Ends every rank of the job at once with `exit_code` (MPI_Abort): what a rank does when it
// cannot go on, so that no other rank waits for it forever.
[[noreturn]] void abort(int exit_code);

// init_process_group() for its lifetime. Left by an exception while other ranks exist, it
// aborts the job instead of finalizing: the other ranks may be waiting in a collective for
// this one, and MPI_Finalize would wait for them in turn.
class ProcessGroupGuard {
public:
    ProcessGroupGuard();
    ~ProcessGroupGuard();
    ProcessGroupGuard(const ProcessGroupGuard&) = delete;
    ProcessGroupGuard& operator=(const ProcessGroupGuard&) = delete;

private:
    int uncaught_at_start_;
};

}  // namespace lucid::distributed
