// The `socinvest` command: a thin shell over the engine library. It parses options, loads
// scenarios, calls the library and writes results; every computation lives in engine/.
#include "cli/commands.hpp"

#include <socinvest/errors.hpp>
#include <socinvest/version.hpp>

#include <CLI/CLI.hpp>

#include <csignal>
#include <exception>
#include <iostream>

namespace {
// Set by Ctrl-C; the only process-wide state, as a signal handler needs one.
std::atomic<bool> interrupted{false};
extern "C" void on_interrupt(int) { interrupted.store(true); }
} // namespace

int main(int argc, char** argv) {
  using namespace socinvest;
  CLI::App app{"socinvest: what a social investment costs, what it saves, and which department the savings land in"};
  app.set_version_flag("--version", std::string(engine_version()) + " (" + engine_commit() + ")");
  app.require_subcommand(1);
  app.footer("Exit codes: 0 ok, 1 internal error, 2 usage, 3 invalid scenario or CSV, 4 file error, 130 interrupted.");
  cli::Commands commands(app, interrupted, argc, argv);
  std::signal(SIGINT, on_interrupt);
  std::signal(SIGTERM, on_interrupt);
  try {
    app.parse(argc, argv);
  } catch (const CLI::ParseError& e) {
    int rc = app.exit(e);
    return rc == 0 ? 0 : static_cast<int>(ExitCode::usage);
  }
  try {
    return commands.execute();
  } catch (const Error& e) {
    std::string msg = e.what();
    if (!msg.empty() && msg.back() != '\n') msg += '\n';
    std::cerr << (e.code() == ExitCode::io ? "error: " : "") << msg;
    return static_cast<int>(e.code());
  } catch (const std::exception& e) {
    std::cerr << "internal error: " << e.what() << "\n(this is a bug in socinvest; please report it with the scenario)\n";
    return static_cast<int>(ExitCode::failure);
  }
}
