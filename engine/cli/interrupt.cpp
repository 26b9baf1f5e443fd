#include "cli/interrupt.hpp"

#include <unistd.h>

namespace socinvest::cli {

namespace {
Interrupt* installed = nullptr; // the handler's only way to reach the flag

extern "C" void on_signal(int sig) {
  Interrupt* i = installed;
  if (!i) _exit(128 + sig);
  // Only async-signal-safe work here: atomics and _exit.
  const bool again = i->raised.exchange(true);
  if (!again) i->signal.store(sig);
  if (again || !i->cooperative.load()) _exit(128 + sig);
}
} // namespace

void install_signal_handlers(Interrupt& interrupt) {
  installed = &interrupt;
  struct sigaction sa {};
  sa.sa_handler = on_signal;
  sigemptyset(&sa.sa_mask);
  sa.sa_flags = 0; // no SA_RESTART: a blocking read returns EINTR
  sigaction(SIGINT, &sa, nullptr);
  sigaction(SIGTERM, &sa, nullptr);
}

} // namespace socinvest::cli
