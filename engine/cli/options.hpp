#pragma once
// The options that several commands share, declared once: their names, help, checks and
// defaults, and how they become the engine's RunOptions. A command picks the ones that make
// sense for it; every command that simulates then gets the same --threads, --kernel and
// --seed, and none can drift from the others.
#include "cli/interrupt.hpp"

#include <socinvest/montecarlo/runner.hpp>
#include <socinvest/report/format.hpp>
#include <socinvest/report/outputs.hpp>
#include <socinvest/scenario/scenario.hpp>

#include <CLI/CLI.hpp>

#include <optional>
#include <string>
#include <vector>

namespace socinvest::cli {

struct RunFlags {
  int iterations = 0;           ///< 0: the scenario's
  std::string seed;             ///< decimal, 0 to 2^64 - 1; empty: the scenario's
  int threads = 0;              ///< 0: all cores
  std::string kernel = "events";
  bool central = false;
  std::string out;              ///< empty: the command's default folder
  bool force = false;
  std::string formats = output_formats_text(every_output_format());
  std::string lang;             ///< "en" | "da"; empty: $SOCINVEST_LANG, else en (language())
  bool quiet = false;
  int budget_year = 0;          ///< 0: the scenario's run.budget_year, else the year after the start
  std::string budget_prices = "fixed"; ///< the budget-period table's price level in the reports
  bool neutralise_transfers = false; ///< also on when the scenario's run.neutralise_transfers is
  std::string csv = "international"; ///< the CSV files' dialect (CsvDialect)
};

/// Whole numbers on the command line are decimal, as in the YAML: "010" is ten, not eight
/// (CLI11 would read it as octal, and 0x10 as hex). For every whole-number option.
extern const CLI::Validator decimal;

/// The shared options, as bits of a set.
enum class RunOption : unsigned {
  iterations = 1u << 0,
  seed = 1u << 1,
  threads = 1u << 2,
  kernel = 1u << 3,
  central = 1u << 4,
  out = 1u << 5,
  force = 1u << 6,
  format = 1u << 7,
  lang = 1u << 8,
  quiet = 1u << 9,
  budget_year = 1u << 10,
  neutralise_transfers = 1u << 11,
  budget_prices = 1u << 12,
  csv = 1u << 13,
};

class RunOptionSet {
public:
  constexpr RunOptionSet(RunOption o) : bits_(static_cast<unsigned>(o)) {} // NOLINT: a set of one
  [[nodiscard]] constexpr bool has(RunOption o) const { return (bits_ & static_cast<unsigned>(o)) != 0; }
  friend constexpr RunOptionSet operator|(RunOptionSet a, RunOptionSet b) { return RunOptionSet(a.bits_ | b.bits_); }

private:
  constexpr explicit RunOptionSet(unsigned bits) : bits_(bits) {}
  unsigned bits_;
};

constexpr RunOptionSet operator|(RunOption a, RunOption b) { return RunOptionSet(a) | RunOptionSet(b); }

/// Adds the options of `which` to `sub`, bound to `flags`, always in the same order (so
/// --help lists them alike in every command); a command adds its own options after them.
/// `out_default` says where the command writes without --out; `lang` is the language of
/// --help (Context::lang).
void add_run_options(CLI::App& sub, RunFlags& flags, RunOptionSet which, Language lang,
                     const std::string& out_default = {});

/// The engine's options from the flags: iterations, seed, threads, kernel, central, and the
/// interrupt flag the simulation polls. The one place they are translated, so a command
/// cannot forget one. Throws a usage Error for a seed above 2^64 - 1.
RunOptions run_options(const RunFlags& flags, const Interrupt& interrupt);

/// The language of what a command writes and says: --lang, else the environment variable
/// SOCINVEST_LANG (en or da), else the scenario's run.lang (a municipality sets it once),
/// else English: resolve_language (scenario/text.hpp), the one rule. Without a scenario's
/// language (before one is read, or a command that reads none) that step is skipped.
/// Throws a usage Error for another SOCINVEST_LANG.
[[nodiscard]] Language language(const RunFlags& flags, std::optional<Language> scenario_default = std::nullopt);
[[nodiscard]] inline Language language(const RunFlags& flags, const Scenario& scenario) {
  return language(flags, scenario.run.lang);
}
/// The language of --help, of usage errors and of the messages printed before a command's
/// own flags are read (validation errors): --lang in `argv` (before any "--"), else
/// SOCINVEST_LANG, else English. Never throws: a bad value is reported by the parser or by
/// language().
[[nodiscard]] Language language_of_command_line(int argc, char** argv);
/// "en" | "da".
[[nodiscard]] const char* language_name(Language lang);

/// --format as a list; throws a usage Error when it is empty or names an unknown format.
OutputFormats formats(const RunFlags& flags);

/// --reprice-memory MIB (sweep, compare): the most a simulation kept for re-pricing may hold,
/// 0 or more; `what` says what is re-priced from it.
void add_reprice_memory_option(CLI::App& sub, double& mib, const std::string& description);
/// The MiB in bytes (beyond what size_t holds: no limit).
std::size_t reprice_memory_bytes(double mib);

} // namespace socinvest::cli
