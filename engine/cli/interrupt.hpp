#pragma once
// What Ctrl-C (SIGINT) and SIGTERM do. A signal handler needs process-wide state, so this is
// the one place that has it; commands see it only through the Interrupt they are given.
//
// Outside a cooperative section (loading, validating, parsing) nothing has been written, so
// the handler ends the process at once with 128 + the signal's number (130 for SIGINT, 143
// for SIGTERM, as shells report them). Inside one (a staging folder exists, the simulation
// polls the flag) the handler only raises the flag; the command stops at the next check,
// removes what it staged and exits with the same code. A second signal always ends at once.
#include <atomic>
#include <csignal>

namespace socinvest::cli {

struct Interrupt {
  std::atomic<bool> raised{false};  ///< polled by the simulation (RunOptions::cancel)
  std::atomic<int> signal{0};       ///< the signal that raised it
  std::atomic<bool> cooperative{false};

  /// 128 + the signal, the exit code of an interrupted command.
  [[nodiscard]] int exit_code() const { return 128 + (signal.load() ? signal.load() : SIGINT); }
};

/// Installs the handlers for SIGINT and SIGTERM on `interrupt` (which must live as long as
/// the process).
void install_signal_handlers(Interrupt& interrupt);

/// While alive, signals raise the flag instead of ending the process.
class CooperativeSection {
public:
  explicit CooperativeSection(Interrupt& i) : i_(i) { i_.cooperative.store(true); }
  ~CooperativeSection() { i_.cooperative.store(false); }
  CooperativeSection(const CooperativeSection&) = delete;
  CooperativeSection& operator=(const CooperativeSection&) = delete;

private:
  Interrupt& i_;
};

} // namespace socinvest::cli
