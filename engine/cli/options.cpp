#include "cli/options.hpp"

#include "cli/shared.hpp"

#include <socinvest/errors.hpp>

#include <algorithm>
#include <charconv>
#include <cmath>
#include <cstdlib>
#include <limits>
#include <optional>

namespace socinvest::cli {

// Leading zeros are dropped before CLI11 converts the text.
const CLI::Validator decimal = CLI::Validator(
    [](std::string& text) {
      if (text.empty() || text.find_first_not_of("0123456789") != std::string::npos)
        return "'" + text + "' is not a whole decimal number (digits 0-9 only)";
      text.erase(0, std::min(text.find_first_not_of('0'), text.size() - 1));
      return std::string();
    },
    "DECIMAL");

namespace {

/// --seed: any unsigned 64-bit number (2^64 - 1 at most), never clamped. Checked here and
/// not by CLI11, which would stop at 2^63 - 1 for a signed type.
std::optional<std::uint64_t> parse_seed(const std::string& text) {
  if (text.empty()) return std::nullopt;
  std::uint64_t v = 0;
  auto [ptr, ec] = std::from_chars(text.data(), text.data() + text.size(), v);
  if (ec != std::errc() || ptr != text.data() + text.size())
    throw Error(ExitCode::usage, "--seed: '" + text + "' is not a seed (a whole decimal number from 0 to 18446744073709551615)");
  return v;
}

} // namespace

void add_run_options(CLI::App& sub, RunFlags& f, RunOptionSet which, const std::string& out_default) {
  using O = RunOption;
  if (which.has(O::iterations))
    sub.add_option("--iterations", f.iterations, "Monte Carlo iterations (default: the scenario's run.iterations)")
        ->transform(decimal)->check(CLI::Range(1, 10'000'000));
  if (which.has(O::seed))
    sub.add_option("--seed", f.seed, "Random seed, 0 to 2^64-1 (default: the scenario's run.seed)")->transform(decimal);
  if (which.has(O::threads))
    sub.add_option("--threads", f.threads, "Worker threads (default: all cores); results do not depend on it")
        ->transform(decimal)->check(CLI::Range(1, 1024));
  if (which.has(O::kernel)) {
    std::vector<std::string> names;
    for (const auto& [kernel, name] : kernel_names) names.emplace_back(name);
    sub.add_option("--kernel", f.kernel,
                   "How months are stepped through: events (fast, the default) or monthly (the step-by-step "
                   "reference, for cross-checks); both simulate the same model")
        ->check(CLI::IsMember(names))->capture_default_str();
  }
  if (which.has(O::central))
    sub.add_flag("--central", f.central, "Set every uncertain parameter to its median (no parameter uncertainty)");
  if (which.has(O::out)) sub.add_option("--out", f.out, "Output folder (default: " + out_default + ")");
  if (which.has(O::force))
    sub.add_flag("--force", f.force, "Replace an existing output folder (only once the new results are complete)");
  if (which.has(O::format))
    sub.add_option("--format", f.formats, "Comma-separated output formats: " + output_format_list())->capture_default_str();
  if (which.has(O::lang))
    sub.add_option("--lang", f.lang,
                   "Language of the reports, workbook text and terminal: en or da (default: the environment "
                   "variable SOCINVEST_LANG, else en)")
        ->check(CLI::IsMember({"en", "da"}));
  if (which.has(O::csv))
    sub.add_option("--csv", f.csv,
                   "Dialect of the CSV files: international (comma-separated, decimal point: for R, Python and "
                   "others) or da (semicolon-separated, decimal comma, UTF-8 byte order mark: opens in Excel with "
                   "Danish settings)")
        ->check(CLI::IsMember({"international", "da"}))->capture_default_str();
  if (which.has(O::quiet)) sub.add_flag("--quiet", f.quiet, "No progress bar and no summary");
  if (which.has(O::budget_year))
    sub.add_option("--budget-year", f.budget_year,
                   "Budget year B of the budget-period table (B and the overslagsår B+1..B+3; default: the scenario's "
                   "run.budget_year, else the year after the start)")
        ->transform(decimal)->check(CLI::Range(1900, 2200));
  if (which.has(O::budget_prices))
    sub.add_option("--budget-prices", f.budget_prices,
                   "Price level of the budget-period table in the terminal, report and workbook: fixed (run.price_year) "
                   "or current (each year's prices by the scenario's run.price_projection); budget.csv is fixed, "
                   "budget_current_prices.csv current")
        ->check(CLI::IsMember({"fixed", "current"}))->capture_default_str();
  if (which.has(O::neutralise_transfers))
    sub.add_flag("--neutralise-transfers", f.neutralise_transfers,
                 "Book the neutralised share of transfer savings (a cost line's neutralised_share: "
                 "beskæftigelsestilskud) to the state, so the municipality shows the gain it keeps (default: the "
                 "scenario's run.neutralise_transfers, else off)");
}

RunOptions run_options(const RunFlags& f, const Interrupt& interrupt) {
  RunOptions o;
  o.iterations = f.iterations;
  const auto seed = parse_seed(f.seed);
  o.has_seed = seed.has_value();
  o.seed = seed.value_or(0);
  o.threads = f.threads;
  o.parameters.central = f.central;
  o.budget_year = f.budget_year;
  o.neutralise_transfers = f.neutralise_transfers;
  o.current_prices = f.budget_prices == "current";
  // CLI11 admits only the names of the table; a manifest's unknown name (reproduce) runs
  // the default, as it always has.
  o.kernel = kernel_named(f.kernel).value_or(Kernel::events);
  o.cancel = &interrupt.raised;
  (void)language(f); // a bad SOCINVEST_LANG is a usage error before anything runs
  return o;
}

Language language(const RunFlags& f) {
  if (!f.lang.empty()) return f.lang == "da" ? Language::da : Language::en;
  const char* env = std::getenv("SOCINVEST_LANG");
  const std::string from_env = env ? env : "";
  if (from_env.empty() || from_env == "en") return Language::en;
  if (from_env == "da") return Language::da;
  throw Error(ExitCode::usage, "SOCINVEST_LANG: '" + printable(from_env) + "' is not a language (en or da)");
}

const char* language_name(Language lang) { return lang == Language::da ? "da" : "en"; }

OutputFormats formats(const RunFlags& f) { return parse_output_formats(f.formats, "--format"); }

void add_reprice_memory_option(CLI::App& sub, double& mib, const std::string& what) {
  sub.add_option("--reprice-memory", mib, "MiB a simulation kept for re-pricing may hold: " + what)
      ->check(CLI::Validator(
          [](const std::string& text) {
            double v = 0.0;
            try {
              v = std::stod(text);
            } catch (const std::exception&) {
              return "'" + text + "' is not a number of MiB";
            }
            return std::isfinite(v) && v >= 0.0 ? std::string() : "'" + text + "': give a number of MiB, 0 or more";
          },
          "MIB"))
      ->capture_default_str();
}

std::size_t reprice_memory_bytes(double mib) {
  const double bytes = mib * 1024.0 * 1024.0;
  return bytes < 1.8e19 ? static_cast<std::size_t>(bytes) : std::numeric_limits<std::size_t>::max();
}

} // namespace socinvest::cli
