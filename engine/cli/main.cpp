// The `socinvest` command: a thin shell over the engine library. It parses options, loads
// scenarios, calls the library and writes results; every computation lives in engine/.
// Each subcommand is one file, engine/cli/command_NAME.cpp (see cli/command.hpp).
#include "cli/command.hpp"
#include "cli/interrupt.hpp"
#include "cli/shared.hpp"

#include <socinvest/errors.hpp>
#include <socinvest/version.hpp>
#ifdef SOCINVEST_HAVE_MPI
#include <socinvest/distributed/mpi.hpp>
#endif

#include <CLI/CLI.hpp>

#include <iostream>
#include <memory>
#include <sstream>
#include <vector>

// The commands, in the order --help lists them. A new command is its file, defining
// add_NAME_command, and its name here.
#define SOCINVEST_COMMANDS(X) X(validate) X(explain) X(run) X(compare) X(sweep) X(power) X(panel) X(calibrate) X(batch) X(reproduce)

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

/// The commands that share their work over the ranks of an MPI job; the others run on
/// rank 0 alone (README, "Many machines: MPI").
bool shares_work(const std::string& command) {
  return command == "run" || command == "compare" || command == "batch" || command == "sweep";
}

/// A command on the ranks of an MPI job. Every rank runs it; a failure on any rank is agreed
/// on at the command's collective steps (distributed/ranks.hpp) and at its end, and reported
/// once, by rank 0; the other ranks exit with its code silently. A failure that cannot be
/// agreed on (rank 0 or another rank stopped outside a step) ends the whole job.
int run_on_ranks(const std::function<int()>& command, const socinvest::cli::Interrupt& interrupt,
                 socinvest::Ranks& ranks, socinvest::Language lang) {
  using namespace socinvest;
  std::exception_ptr failure;
  int code = 0;
  try {
    code = command();
  } catch (const RankFailure& e) {
    if (ranks.rank() != 0) return static_cast<int>(e.code());
    failure = std::current_exception();
  } catch (...) {
    failure = std::current_exception();
  }
  if (!ranks.failure_agreed()) {
    try {
      agree_on_failure(ranks, failure);
    } catch (const RankFailure& e) {
      if (ranks.rank() != 0) return static_cast<int>(e.code());
      failure = std::current_exception();
    } catch (...) {
      failure = std::current_exception();
    }
  }
  if (!failure) return code;
  return cli::run_reporting_errors([&]() -> int { std::rethrow_exception(failure); }, interrupt, lang);
}

} // namespace

int main(int argc, char** argv) {
  using namespace socinvest;
  cli::Interrupt interrupt;
#ifdef SOCINVEST_HAVE_MPI
  // Before anything reads argv, and before the signal handlers (whatever MPI installs,
  // SIGINT and SIGTERM stay ours): MPI may take its own arguments from it. Null unless an MPI
  // launcher started this process.
  const std::unique_ptr<MpiJob> job = MpiJob::start_if_launched(argc, argv);
  if (job) job->stop_waiting_when(&interrupt.raised);
  Ranks* ranks = job && job->size() > 1 ? job.get() : nullptr;
#else
  Ranks* ranks = nullptr;
#endif
  const bool job_rank_nonzero = ranks && ranks->rank() != 0;
  cli::install_signal_handlers(interrupt);
  // The language of --help and of the messages before a command reads its flags, known
  // before parsing: --lang in argv, else SOCINVEST_LANG.
  const Language lang = cli::language_of_command_line(argc, argv);
  CLI::App app;
  app.formatter(cli::help_formatter(lang)); // before the subcommands: they inherit it
  app.set_version_flag("--version", std::string(engine_version()) + " (" + engine_commit() + ")");
  app.require_subcommand(1);
  cli::Context context{interrupt, cli::command_line(argc, argv)};
  context.lang = lang;
#define SOCINVEST_ADD(name) cli::add_##name##_command(app, context),
  const std::vector<cli::Command> commands{SOCINVEST_COMMANDS(SOCINVEST_ADD)};
#undef SOCINVEST_ADD
  cli::localise_help(app, lang);
  // Under MPI every rank parses the same command line: only rank 0 says what is wrong.
  std::ostringstream silent;
  const bool speaks = !job_rank_nonzero;
  std::ostream& out = speaks ? std::cout : silent;
  std::ostream& err = speaks ? std::cerr : silent;
  if (const char* word = unknown_command(app, argc, argv)) {
    std::string known;
    for (const auto& c : commands) known += (known.empty() ? "" : ", ") + c.subcommand->get_name();
    err << format_message(lang, Msg::usage_unknown_command, {word, known}) << "\n";
    return static_cast<int>(ExitCode::usage);
  }
  try {
    app.parse(argc, argv);
  } catch (const CLI::ParseError& e) {
    int rc = app.exit(e, out, err);
    return rc == 0 ? 0 : static_cast<int>(ExitCode::usage);
  }
  for (const auto& c : commands) {
    if (!c.subcommand->parsed()) continue;
    if (!ranks) return cli::run_reporting_errors(c.run, interrupt, lang);
    if (shares_work(c.subcommand->get_name())) {
      context.ranks = ranks;
      return run_on_ranks(c.run, interrupt, *ranks, lang);
    }
    // The other commands do not share their work yet: rank 0 runs them alone.
    if (ranks->rank() != 0) return 0;
    std::cerr << format_message(lang, Msg::usage_mpi_rank0, {c.subcommand->get_name(), std::to_string(ranks->size() - 1)})
              << "\n";
    return cli::run_reporting_errors(c.run, interrupt, lang);
  }
  return static_cast<int>(ExitCode::usage);
}
