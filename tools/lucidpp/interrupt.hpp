#pragma once
// Ctrl-C during training: the first SIGINT (or SIGTERM) only sets a flag, so the training loop
// can finish the step it is in, save the checkpoint and exit with 128 + the signal number (130
// for Ctrl-C). The handler resets itself (SA_RESETHAND), so a second Ctrl-C ends the program
// at once, the usual way.
namespace lucid::cli {

// Installs the handlers for its lifetime and restores the previous ones afterwards.
class InterruptGuard {
public:
    InterruptGuard();
    ~InterruptGuard();
    InterruptGuard(const InterruptGuard&) = delete;
    InterruptGuard& operator=(const InterruptGuard&) = delete;
};

// The signal received since the guard was installed, or 0.
int interrupt_signal();

}  // namespace lucid::cli
