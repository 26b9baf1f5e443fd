// The `socinvest` command: a thin shell over the engine library. It parses options, loads
// scenarios, calls the library and writes results; every computation lives in engine/.
// Each subcommand is one file, engine/cli/command_NAME.cpp (see cli/command.hpp).
#include "cli/command.hpp"
#include "cli/interrupt.hpp"
#include "cli/shared.hpp"

#include <socinvest/errors.hpp>
#include <socinvest/version.hpp>

#include <CLI/CLI.hpp>

#include <iostream>
#include <vector>

// The commands, in the order --help lists them. A new command is its file, defining
// add_NAME_command, and its name here.
#define SOCINVEST_COMMANDS(X) X(validate) X(run) X(compare) X(sweep) X(power) X(batch) X(reproduce)

namespace socinvest::cli {
#define SOCINVEST_DECLARE(name) Command add_##name##_command(CLI::App& app, const Context& context);
SOCINVEST_COMMANDS(SOCINVEST_DECLARE)
#undef SOCINVEST_DECLARE
} // namespace socinvest::cli

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
  app.formatter(cli::help_formatter()); // before the subcommands: they inherit it
  app.set_version_flag("--version", std::string(engine_version()) + " (" + engine_commit() + ")");
  app.require_subcommand(1);
  app.footer("Exit codes: 0 ok, 1 internal error, 2 usage, 3 invalid scenario or CSV, 4 file error, "
             "5 too large for the memory, 130 interrupted (Ctrl-C), 143 terminated (SIGTERM).");
  const cli::Context context{interrupt, cli::command_line(argc, argv)};
#define SOCINVEST_ADD(name) cli::add_##name##_command(app, context),
  const std::vector<cli::Command> commands{SOCINVEST_COMMANDS(SOCINVEST_ADD)};
#undef SOCINVEST_ADD
  if (const char* word = unknown_command(app, argc, argv)) {
    std::string known;
    for (const auto& c : commands) known += (known.empty() ? "" : ", ") + c.subcommand->get_name();
    std::cerr << "unknown command '" << word << "' (commands: " << known << "; see socinvest --help)\n";
    return static_cast<int>(ExitCode::usage);
  }
  try {
    app.parse(argc, argv);
  } catch (const CLI::ParseError& e) {
    int rc = app.exit(e);
    return rc == 0 ? 0 : static_cast<int>(ExitCode::usage);
  }
  for (const auto& c : commands)
    if (c.subcommand->parsed()) return cli::run_reporting_errors(c.run, interrupt);
  return static_cast<int>(ExitCode::usage);
}
