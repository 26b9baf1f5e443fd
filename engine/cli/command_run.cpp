// socinvest run FILE: simulates a scenario's baseline and variants, prices them and writes
// the results (money, outcomes, targets, contracts, flows, per iteration, summary, report,
// workbook, trace) into one folder, all or nothing.
#include "cli/command.hpp"
#include "cli/progress.hpp"
#include "cli/shared.hpp"

#include <socinvest/analysis.hpp>
#include <socinvest/decision/evidence.hpp>
#include <socinvest/errors.hpp>
#include <socinvest/ledger/budget_years.hpp>
#include <socinvest/report/messages.hpp>
#include <socinvest/version.hpp>

#include <filesystem>
#include <iostream>
#include <memory>
#include <optional>

namespace socinvest::cli {

namespace {

namespace fs = std::filesystem;

struct Flags {
  std::string file;
  RunFlags run;
  std::vector<std::string> variants;
  int trace = 0;
  bool evidence_shares = false;
};

int run(const Flags& flags, const Context& context) {
  const RunFlags& f = flags.run;
  (void)formats(f); // a bad --format costs no loading
  Scenario s = load_with_population(flags.file);
  // Under MPI (context.ranks) every rank simulates its share of the iterations; rank 0
  // alone prints, gathers and writes.
  const bool writes = context.writes();
  print_load_warnings(s, f.quiet || !writes, language(f));
  RunOptions o = run_options(f, context.interrupt);
  o.ranks = context.ranks;
  for (const auto& name : flags.variants) o.variants.push_back(variant_or_usage(s, name, flags.file));
  if (const auto problem = budget_year_problem(s.run, f.budget_year))
    throw Error(ExitCode::usage, "--budget-year: " + *problem);
  if (o.current_prices && !s.run.price_projection.given())
    throw Error(ExitCode::usage, both_languages(Msg::usage_no_price_projection));
  auto thread_limit = limit_threads(f.threads);
  // Refuse to overwrite before spending time on the run.
  std::optional<StagedFolder> staged;
  if (writes) staged.emplace(context.interrupt, f, "out/" + s.id);
  Progress progress(T(language(f, s), Msg::progress_simulating), f.quiet || !writes, language(f, s));
  o.progress = [&](int done, int total) { progress.update(done, total); };
  Trace trace;
  trace.households = flags.trace;
  const std::string started = utc_now();
  auto analysis = analyse(s, o, flags.trace > 0 ? &trace : nullptr);
  progress.finish();
  // How much of the result rests on each evidence grade: more runs, under MPI shared over
  // the ranks as the run was (every rank takes part; rank 0 gets the shares).
  if (flags.evidence_shares) {
    auto shares = evidence_shares(s, o, *analysis);
    if (analysis->results_here) analysis->results.evidence_shares = std::move(shares);
  }
  if (!analysis->results_here) return 0; // a rank other than 0: its share is with rank 0
  StagedFolder& folder = *staged;
  const Results& r = analysis->results;

  Manifest m;
  m.engine_version = engine_version();
  m.engine_commit = engine_commit();
  m.scenario_file = flags.file;
  m.scenario_path = fs::absolute(flags.file).lexically_normal().string();
  m.scenario_hash = s.content_hash;
  m.command_line = context.command_line;
  m.started_at = started;
  m.seed = analysis->plan.seed;
  m.iterations = analysis->plan.iterations;
  m.threads = analysis->plan.threads;
  m.seconds = analysis->seconds;
  m.central = f.central;
  m.kernel = kernel_name(o.kernel);
  m.formats = f.formats;
  m.lang = language_name(language(f, s));
  m.trace_households = flags.trace;
  m.budget_year = analysis->plan.budget_year;
  m.neutralise_transfers = analysis->plan.neutralise_transfers;
  m.evidence_shares = flags.evidence_shares;
  m.budget_prices = name_of(analysis->plan.budget_prices);
  m.csv = f.csv;
  m.files = s.files;
  for (int v : analysis->plan.variants)
    if (v > 0) m.variants.push_back(s.variants[v].id);
  write_run_outputs(*folder, r, m, &trace);
  folder.commit();
  warn_if_few_iterations(analysis->plan.iterations, f.quiet, language(f, s));
  if (!f.quiet) {
    const Language lang = language(f, s);
    std::cout << terminal_summary(r, lang);
    const std::string seconds = socinvest::decimal(static_cast<int>(analysis->seconds * 10) / 10.0, 1, lang);
    const int threads = analysis->plan.threads;
    std::cout << T(lang, Msg::results_in) << folder->path() << "/ (" << analysis->plan.iterations
              << T(lang, Msg::iterations_in) << seconds << T(lang, Msg::s_on) << threads
              << (threads == 1 ? T(lang, Msg::thread) : T(lang, Msg::threads));
  }
  return 0;
}

} // namespace

Command add_run_command(CLI::App& app, const Context& context) {
  auto f = std::make_shared<Flags>();
  CLI::App* sub = app.add_subcommand("run", T(context.lang, Msg::help_run));
  sub->add_option("file", f->file, T(context.lang, Msg::help_scenario_file))->required();
  using O = RunOption;
  add_run_options(*sub, f->run,
                  O::iterations | O::seed | O::threads | O::kernel | O::central | O::out | O::force | O::format | O::lang |
                      O::quiet | O::budget_year | O::budget_prices | O::neutralise_transfers | O::csv, context.lang,
                  "out/<scenario>");
  sub->add_option("--variant", f->variants, T(context.lang, Msg::help_run_variant))
      ->delimiter(',');
  sub->add_option("--trace", f->trace, T(context.lang, Msg::help_run_trace))
      ->transform(decimal)->check(CLI::Range(0, 100000));
  sub->add_flag("--evidence-shares", f->evidence_shares,
                T(context.lang, Msg::help_run_evidence_shares));
  return {sub, [f, &context] { return run(*f, context); }};
}

} // namespace socinvest::cli
