#pragma once
// What the commands share besides their options (cli/options.hpp): loading, thread limits,
// result folders written whole under a cooperative section, what a run writes, the
// mapping of errors to exit codes and the look of --help. Each rule lives here once.
#include "cli/interrupt.hpp"
#include "cli/options.hpp"

#include <socinvest/errors.hpp>
#include <socinvest/ledger/results.hpp>
#include <socinvest/report/messages.hpp>
#include <socinvest/report/output_folder.hpp>
#include <socinvest/report/outputs.hpp>
#include <socinvest/report/tables.hpp>
#include <socinvest/scenario/scenario.hpp>

#include <CLI/CLI.hpp>
#include <tbb/global_control.h>

#include <functional>
#include <memory>
#include <string>
#include <vector>

namespace socinvest::cli {

/// The command line, each argument as a POSIX shell reads it back: a manifest's
/// command_line can be pasted.
std::string command_line(int argc, char** argv);

/// Now, UTC, ISO 8601.
std::string utc_now();

/// The scenario, and its population CSV read once to validate it too.
Scenario load_with_population(const std::string& file);

/// The index of variant `name`, or a usage Error listing the variants of `file`.
int variant_or_usage(const Scenario& scenario, const std::string& name, const std::string& file);

/// --threads means threads, even above the number of cores (oneTBB caps at the cores
/// otherwise); 0: no limit. The limit holds while the result lives.
std::unique_ptr<tbb::global_control> limit_threads(int threads);

/// A result folder being written (report/output_folder.hpp): staged, then committed whole.
/// The cooperative section starts before the staging folder exists and ends after it is
/// gone, so a signal at any moment after it is made removes it instead of ending the
/// process with debris.
class StagedFolder {
public:
  /// `default_path` unless --out gave one; an existing folder is replaced only with --force.
  StagedFolder(Interrupt& interrupt, const RunFlags& flags, const std::string& default_path);

  OutputFolder& operator*() { return folder_; }
  OutputFolder* operator->() { return &folder_; }
  /// Moves the folder into place, unless a signal came while it was written: then throws
  /// Cancelled and the staging folder is removed.
  void commit();

private:
  Interrupt& interrupt_;
  CooperativeSection cooperative_; // declared first: ends after the folder is destroyed
  OutputFolder folder_;
};

/// Below this many iterations intervals and probabilities are too rough to read.
inline constexpr int few_iterations = 100;
/// Says so on stderr (unless quiet).
void warn_if_few_iterations(int iterations, bool quiet, Language lang = Language::en);
/// The loader's warnings (Scenario::warnings: overrides that drop list items, ...) on
/// stderr, one a line as `file:line:column: warning: ...` in `lang`; nothing when quiet.
/// Every command that loads a scenario prints them through this.
void print_load_warnings(const Scenario& s, bool quiet, Language lang);

/// An Error's message in `lang`, ending in a newline.
std::string message_line(const Error& error, Language lang);

/// Runs `command` and turns what it throws into the message on stderr (in `lang`) and the
/// documented exit code (README, "Exit codes"): the one place that maps errors to exit codes.
int run_reporting_errors(const std::function<int()>& command, const Interrupt& interrupt, Language lang);

/// --help for an 80-column terminal in `lang`: descriptions wrapped beside the option names.
std::shared_ptr<CLI::Formatter> help_formatter(Language lang);

/// CLI11's usage error in `lang`, with the hint to --help (App::failure_message).
std::string usage_error_text(const CLI::App* app, const CLI::Error& error, Language lang);

/// --help, the version flag, the footer and the groups of `app` and its commands in `lang`
/// (after every command is added).
void localise_help(CLI::App& app, Language lang);

} // namespace socinvest::cli
