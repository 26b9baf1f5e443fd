#pragma once
// What a subcommand of `socinvest` is: one file, engine/cli/command_NAME.cpp, defines
//
//   Command add_NAME_command(CLI::App& app, const Context& context);
//
// which adds the subcommand and its options to `app` and returns what runs it; main.cpp
// lists the commands once (SOCINVEST_COMMANDS), in the order --help shows them. Options
// every run-like command shares (--threads, --kernel, --seed, ...) come from
// add_run_options (cli/options.hpp), so they are spelt, checked and passed on to the engine
// the same way everywhere; the helpers all commands need are in cli/shared.hpp.
#include "cli/interrupt.hpp"

#include <socinvest/distributed/ranks.hpp>
#include <socinvest/report/format.hpp>

#include <CLI/CLI.hpp>

#include <functional>
#include <string>

namespace socinvest::cli {

/// What the whole process shares with its commands.
struct Context {
  Interrupt& interrupt;
  std::string command_line; ///< shell-quoted, as the manifests record it
  /// The ranks of an MPI job, for the commands that share their work (run, compare; see
  /// main.cpp); null when this process runs alone.
  Ranks* ranks = nullptr;
  /// The language of --help, usage errors and error messages (language_of_command_line in
  /// cli/options.hpp); what a command writes follows its own flags (language()).
  Language lang = Language::en;
  /// Whether this process writes outputs and prints: not on ranks other than 0.
  [[nodiscard]] bool writes() const { return !ranks || ranks->rank() == 0; }
};

struct Command {
  CLI::App* subcommand = nullptr;
  /// Runs the command once the command line is parsed; returns the exit code. Errors are
  /// thrown (socinvest::Error and the rest) and mapped to exit codes in one place
  /// (run_reporting_errors in cli/shared.hpp).
  std::function<int()> run;
};

} // namespace socinvest::cli
