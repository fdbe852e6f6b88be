#include "interrupt.hpp"

#include <csignal>

namespace lucid::cli {

namespace {

// Only a lock-free atomic or a volatile sig_atomic_t may be written from a signal handler.
volatile std::sig_atomic_t received = 0;

struct sigaction previous_int {};
struct sigaction previous_term {};

extern "C" void on_signal(int signal) {
    received = signal;
}

}  // namespace

InterruptGuard::InterruptGuard() {
    received = 0;
    struct sigaction action {};
    action.sa_handler = on_signal;
    sigemptyset(&action.sa_mask);
    action.sa_flags = SA_RESETHAND;  // the second signal gets the default action: exit now
    sigaction(SIGINT, &action, &previous_int);
    sigaction(SIGTERM, &action, &previous_term);
}

InterruptGuard::~InterruptGuard() {
    sigaction(SIGINT, &previous_int, nullptr);
    sigaction(SIGTERM, &previous_term, nullptr);
}

int interrupt_signal() {
    return received;
}

}  // namespace lucid::cli
