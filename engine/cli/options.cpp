#include "cli/options.hpp"

#include "cli/shared.hpp"

#include <socinvest/errors.hpp>
#include <socinvest/report/messages.hpp>

#include <algorithm>
#include <charconv>
#include <cmath>
#include <cstdlib>
#include <limits>
#include <optional>
#include <string_view>

namespace socinvest::cli {

// Leading zeros are dropped before CLI11 converts the text.
const CLI::Validator decimal = CLI::Validator(
    [](std::string& text) {
      if (text.empty() || text.find_first_not_of("0123456789") != std::string::npos)
        return format_message(Language::en, Msg::usage_not_decimal, {text}); // usage_text() translates it
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
    throw Error(ExitCode::usage, both_languages(Msg::usage_bad_seed, {text}));
  return v;
}

} // namespace

void add_run_options(CLI::App& sub, RunFlags& f, RunOptionSet which, Language lang, const std::string& out_default) {
  using O = RunOption;
  if (which.has(O::iterations))
    sub.add_option("--iterations", f.iterations, T(lang, Msg::help_opt_iterations))
        ->transform(decimal)->check(CLI::Range(1, 10'000'000));
  if (which.has(O::seed))
    sub.add_option("--seed", f.seed, T(lang, Msg::help_opt_seed))->transform(decimal);
  if (which.has(O::threads))
    sub.add_option("--threads", f.threads, T(lang, Msg::help_opt_threads))
        ->transform(decimal)->check(CLI::Range(1, 1024));
  if (which.has(O::kernel)) {
    std::vector<std::string> names;
    for (const auto& [kernel, name] : kernel_names) names.emplace_back(name);
    sub.add_option("--kernel", f.kernel,
                   T(lang, Msg::help_opt_kernel))
        ->check(CLI::IsMember(names))->capture_default_str();
  }
  if (which.has(O::central))
    sub.add_flag("--central", f.central, T(lang, Msg::help_opt_central));
  if (which.has(O::out)) sub.add_option("--out", f.out, format_message(lang, Msg::help_opt_out, {out_default}));
  if (which.has(O::force))
    sub.add_flag("--force", f.force, T(lang, Msg::help_opt_force));
  if (which.has(O::format))
    sub.add_option("--format", f.formats, format_message(lang, Msg::help_opt_format, {output_format_list()}))->capture_default_str();
  if (which.has(O::lang))
    sub.add_option("--lang", f.lang,
                   T(lang, Msg::help_opt_lang))
        ->check(CLI::IsMember({"en", "da"}));
  if (which.has(O::csv))
    sub.add_option("--csv", f.csv,
                   T(lang, Msg::help_opt_csv))
        ->check(CLI::IsMember({"international", "da"}))->capture_default_str();
  if (which.has(O::quiet)) sub.add_flag("--quiet", f.quiet, T(lang, Msg::help_opt_quiet));
  if (which.has(O::budget_year))
    sub.add_option("--budget-year", f.budget_year,
                   T(lang, Msg::help_opt_budget_year))
        ->transform(decimal)->check(CLI::Range(1900, 2200));
  if (which.has(O::budget_prices))
    sub.add_option("--budget-prices", f.budget_prices,
                   T(lang, Msg::help_opt_budget_prices))
        ->check(CLI::IsMember({"fixed", "current"}))->capture_default_str();
  if (which.has(O::neutralise_transfers))
    sub.add_flag("--neutralise-transfers", f.neutralise_transfers,
                 T(lang, Msg::help_opt_neutralise_transfers));
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

Language language(const RunFlags& f, std::optional<Language> scenario_default) {
  const char* env = std::getenv("SOCINVEST_LANG");
  return resolve_language(f.lang, env ? env : "", scenario_default);
}

Language language_of_command_line(int argc, char** argv) {
  // The last --lang wins, as it does for CLI11; a bad one is CLI11's usage error later.
  std::string given;
  for (int i = 1; i < argc; ++i) {
    const std::string_view a = argv[i];
    if (a == "--") break;
    if (a == "--lang" && i + 1 < argc) given = argv[i + 1];
    else if (a.rfind("--lang=", 0) == 0) given = std::string(a.substr(7));
  }
  if (given == "da" || given == "en") return given == "da" ? Language::da : Language::en;
  const char* env = std::getenv("SOCINVEST_LANG");
  return env && std::string_view(env) == "da" ? Language::da : Language::en;
}

const char* language_name(Language lang) { return name_of(lang); }

OutputFormats formats(const RunFlags& f) { return parse_output_formats(f.formats, "--format"); }

void add_reprice_memory_option(CLI::App& sub, double& mib, const std::string& description) {
  sub.add_option("--reprice-memory", mib, description)
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
