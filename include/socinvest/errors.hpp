#pragma once
// Errors the engine reports to its users, and the exit codes the command line returns for
// them. One root type; each kind names its exit code so `main` catches once.
#include <socinvest/bilingual.hpp>

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

/// what() is the English message; message(lang) the one to print in the run's language (a
/// message given as one plain string is the same in both).
class Error : public std::runtime_error {
public:
  Error(ExitCode code, const Bilingual& message) : std::runtime_error(message.en), code_(code), danish_(message.da) {}
  [[nodiscard]] ExitCode code() const noexcept { return code_; }
  [[nodiscard]] std::string message(Language lang) const { return lang == Language::da ? danish_ : std::string(what()); }

private:
  ExitCode code_;
  std::string danish_;
};

/// A file could not be read or written.
class IoError : public Error {
public:
  explicit IoError(const Bilingual& message) : Error(ExitCode::io, message) {}
};

/// "interrupted: no results were written", from the message catalogue (defined in
/// engine/report/messages.cpp; declared here so that this header, which every file
/// includes, does not depend on the catalogue's keys).
Bilingual nothing_written_message();

/// The run was cancelled (Ctrl-C or SIGTERM) before it finished. The message says what was
/// kept (by default: nothing).
class Cancelled : public Error {
public:
  Cancelled() : Error(ExitCode::interrupted, nothing_written_message()) {}
  explicit Cancelled(const Bilingual& message) : Error(ExitCode::interrupted, message) {}
};

} // namespace socinvest
