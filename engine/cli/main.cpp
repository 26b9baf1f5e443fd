// The `socinvest` command: a thin shell over the engine library. It parses options, loads
// scenarios, calls the library and writes results; every computation lives in engine/.
#include "cli/commands.hpp"
#include "cli/interrupt.hpp"

#include <socinvest/errors.hpp>
#include <socinvest/version.hpp>

#include <CLI/CLI.hpp>

#include <exception>
#include <iostream>
#include <new>
#include <string_view>

namespace {

/// `socinvest calibrate --help` must not print the main help and succeed: CLI11 reads an
/// unknown word before --help as an extra argument and answers --help first.
const char* unknown_command(CLI::App& app, int argc, char** argv) {
  if (argc < 2 || argv[1][0] == '-') return nullptr;
  for (const CLI::App* sub : app.get_subcommands([](const CLI::App*) { return true; }))
    if (sub->check_name(argv[1])) return nullptr;
  return argv[1];
}

} // namespace

int main(int argc, char** argv) {
  using namespace socinvest;
  cli::Interrupt interrupt;
  cli::install_signal_handlers(interrupt);
  CLI::App app{"socinvest: what a social investment costs, what it saves, and which department the savings land in"};
  app.set_version_flag("--version", std::string(engine_version()) + " (" + engine_commit() + ")");
  app.require_subcommand(1);
  app.footer("Exit codes: 0 ok, 1 internal error, 2 usage, 3 invalid scenario or CSV, 4 file error, "
             "5 too large for the memory, 130 interrupted (Ctrl-C), 143 terminated (SIGTERM).");
  cli::Commands commands(app, interrupt, argc, argv);
  if (const char* word = unknown_command(app, argc, argv)) {
    std::string known;
    for (const CLI::App* sub : app.get_subcommands([](const CLI::App*) { return true; }))
      known += (known.empty() ? "" : ", ") + sub->get_name();
    std::cerr << "unknown command '" << word << "' (commands: " << known << "; see socinvest --help)\n";
    return static_cast<int>(ExitCode::usage);
  }
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
    // Interrupted: 128 + the signal, whichever raised it (130 SIGINT, 143 SIGTERM).
    return e.code() == ExitCode::interrupted ? interrupt.exit_code() : static_cast<int>(e.code());
  } catch (const std::bad_alloc&) {
    std::cerr << "error: out of memory: the run needs more memory than this machine has; use fewer iterations, "
                 "households, years, variants or --trace households (nothing was written)\n";
    return static_cast<int>(ExitCode::too_large);
  } catch (const std::exception& e) {
    std::cerr << "internal error: " << e.what() << "\n(this is a bug in socinvest; please report it with the scenario)\n";
    return static_cast<int>(ExitCode::failure);
  }
}
