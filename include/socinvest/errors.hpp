#pragma once
// Errors the engine reports to its users, and the exit codes the command line returns for
// them. One root type; each kind names its exit code so `main` catches once.
#include <stdexcept>
#include <string>

namespace socinvest {

/// Documented exit codes of the `socinvest` command (also listed in the README).
enum class ExitCode : int {
  ok = 0,
  failure = 1,          ///< an unexpected internal error (a bug: please report it)
  usage = 2,            ///< the command line was wrong (unknown option, missing argument)
  invalid_scenario = 3, ///< a scenario, a population CSV or a batch manifest did not validate
  io = 4,               ///< a file could not be read or written, or an output folder exists
  too_large = 5,        ///< the run would not fit in memory or on disk (refused before it starts)
  interrupted = 130,    ///< stopped by a signal: 128 + its number (130 Ctrl-C, 143 SIGTERM)
};

class Error : public std::runtime_error {
public:
  Error(ExitCode code, const std::string& message) : std::runtime_error(message), code_(code) {}
  [[nodiscard]] ExitCode code() const noexcept { return code_; }

private:
  ExitCode code_;
};

/// A file could not be read or written.
class IoError : public Error {
public:
  explicit IoError(const std::string& message) : Error(ExitCode::io, message) {}
};

/// The run was cancelled (Ctrl-C or SIGTERM) before it finished. The message says what was
/// kept (by default: nothing).
class Cancelled : public Error {
public:
  Cancelled() : Error(ExitCode::interrupted, "interrupted: no results were written") {}
  explicit Cancelled(const std::string& message) : Error(ExitCode::interrupted, message) {}
};

} // namespace socinvest
