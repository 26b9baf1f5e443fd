// socinvest sweep FILE: sensitivity of one variant's net present value on common random
// numbers: the one-way tornado (default), a two-way --grid, or the --threshold at which
// the probability of breaking even reaches a target.
#include "cli/command.hpp"
#include "cli/progress.hpp"
#include "cli/shared.hpp"

#include <socinvest/decision/sweep.hpp>
#include <socinvest/errors.hpp>
#include <socinvest/ledger/accounts.hpp>
#include <socinvest/report/format.hpp>
#include <socinvest/report/tornado_report.hpp>
#include <socinvest/report/messages.hpp>

#include <cmath>
#include <cstdio>
#include <limits>
#include <iostream>
#include <memory>
#include <optional>
#include <sstream>

namespace socinvest::cli {

namespace {

struct Flags {
  std::string file;
  RunFlags run;
  std::string variant;
  std::string account = "total";
  std::vector<std::string> parameters; ///< tornado: these (default: every uncertain one)
  double low_quantile = 0.05, high_quantile = 0.95;
  std::vector<std::string> grid;       ///< two "PATH=v1,v2,..." specs
  std::string threshold;               ///< PATH
  std::vector<double> range;           ///< [low, high] for the threshold
  double probability = 0.8;
  double tolerance = 0.0;
  double reprice_memory_mib = 512; ///< SweepControl::reprice_memory_bytes, in MiB
  std::string grade;               ///< --grade: every effect of this evidence grade scaled together
  std::vector<double> scales;      ///< --scale
};

/// What the sweep did, for the terminal: how many points were simulated and re-priced.
std::string work_line(const SweepWork& w, Language lang) {
  char buf[400];
  if (w.repriced == 0 && !w.over_limit) {
    std::snprintf(buf, sizeof buf, T(lang, Msg::sweep_d_simulated), w.simulated);
    return buf;
  }
  std::snprintf(buf, sizeof buf, T(lang, Msg::sweep_d_simulated_d_re_priced_from),
                w.simulated, w.repriced, static_cast<double>(w.kept_bytes) / (1024.0 * 1024.0),
                w.over_limit ? T(lang, Msg::sweep_a_simulation_was_too_large_to)
                             : "");
  return buf;
}

/// Writes threshold.csv; returns what the terminal shows.
std::string threshold_sweep(const Flags& w, const Scenario& s, const RunOptions& o, const SweepTarget& target,
                  const SweepControl& control,
                            OutputFolder* folder, Language lang) {
  const Quantity& q = find_parameter(s, w.threshold);
  double low = w.range.size() == 2 ? w.range[0] : q.dist.quantile(0.01);
  double high = w.range.size() == 2 ? w.range[1] : q.dist.quantile(0.99);
  if (!(low < high)) throw Error(ExitCode::usage, both_languages(Msg::usage_range_low_high));
  const double tol = w.tolerance > 0 ? w.tolerance : (high - low) / 1000.0;
  const Threshold t = threshold(s, o, target, w.threshold, low, high, w.probability, tol, control);
  if (!folder) return {}; // a rank other than 0 under MPI: rank 0 writes
  std::string csv = "parameter,target_probability,found,value,bracket_low,bracket_high,probability_at_value,"
                    "probability_se,evaluations,note\n";
  csv += csv_text(t.path) + "," + exact_number(t.target_probability) + "," + (t.found ? "true" : "false") + "," +
         exact_number(t.value) + "," + exact_number(t.lower) + "," + exact_number(t.upper) + "," +
         exact_number(t.probability_at_value) + "," + exact_number(t.probability_se) + "," + std::to_string(t.evaluations) +
         "," + csv_text(t.note) + "\n";
  folder->write("threshold.csv", csv);
  char buf[512];
  if (t.found)
    std::snprintf(buf, sizeof buf,
                  "Threshold for %s: %.6g (the answer lies in [%.6g, %.6g]); probability of breaking even there "
                  "%.1f %% +/- %.1f %% (Monte Carlo se), target %.0f %%, %d evaluations%s%s\n",
                  t.path.c_str(), t.value, t.lower, t.upper, 100 * t.probability_at_value, 100 * t.probability_se,
                  100 * t.target_probability, t.evaluations, t.note.empty() ? "" : "; ", t.note.c_str());
  else
    std::snprintf(buf, sizeof buf, "Threshold for %s: not found in [%.6g, %.6g]: %s\n", t.path.c_str(), low, high,
                  t.note.c_str());
  return buf + work_line(t.work, lang);
}

/// Writes grid.csv; returns what the terminal shows.
std::string grid_sweep(const Flags& w, const Scenario& s, const RunOptions& o, const SweepTarget& target,
                  const SweepControl& control,
                       OutputFolder* folder, Language lang) {
  if (w.grid.size() != 2) throw Error(ExitCode::usage, both_languages(Msg::usage_grid_two));
  std::vector<std::string> paths;
  std::vector<std::vector<double>> values;
  for (const auto& spec : w.grid) {
    auto eq = spec.find('=');
    if (eq == std::string::npos) throw Error(ExitCode::usage, both_languages(Msg::usage_grid_expected, {spec}));
    paths.push_back(spec.substr(0, eq));
    (void)find_parameter(s, paths.back());
    std::vector<double> v;
    for (const auto& x : split_list(spec.substr(eq + 1))) {
      try {
        v.push_back(std::stod(x));
      } catch (const std::exception&) {
        throw Error(ExitCode::usage, both_languages(Msg::usage_grid_not_a_number, {x}));
      }
    }
    if (v.empty()) throw Error(ExitCode::usage, both_languages(Msg::usage_grid_no_values, {paths.back()}));
    values.push_back(std::move(v));
  }
  const Grid g = grid(s, o, target, paths[0], values[0], paths[1], values[1], control);
  if (!folder) return {}; // a rank other than 0 under MPI: rank 0 writes
  std::string csv = "x_parameter,x,y_parameter,y,npv_mean,npv_se,npv_p5,npv_p95,p_break_even\n";
  for (std::size_t i = 0; i < g.x.size(); ++i)
    for (std::size_t j = 0; j < g.y.size(); ++j) {
      const Valuation& c = g.cells[i][j];
      csv += csv_text(g.path_x) + "," + exact_number(g.x[i]) + "," + csv_text(g.path_y) + "," + exact_number(g.y[j]) + "," +
             exact_number(c.npv.mean) + "," + exact_number(c.npv.se) + "," + exact_number(c.npv.p5) + "," +
             exact_number(c.npv.p95) + "," + exact_number(c.p_break_even) + "\n";
    }
  folder->write("grid.csv", csv);
  std::ostringstream t;
  t << format_message(lang, Msg::sweep_grid_heading, {target.account, g.path_x, g.path_y}) << "\n";
  char buf[64];
  std::snprintf(buf, sizeof buf, "%14s", "");
  t << buf;
  for (double y : g.y) {
    std::snprintf(buf, sizeof buf, " %14.4g", y);
    t << buf;
  }
  t << "\n";
  for (std::size_t i = 0; i < g.x.size(); ++i) {
    std::snprintf(buf, sizeof buf, "%14.4g", g.x[i]);
    t << buf;
    for (std::size_t j = 0; j < g.y.size(); ++j) {
      std::snprintf(buf, sizeof buf, " %14s", money_short(g.cells[i][j].npv.mean, lang).c_str());
      t << buf;
    }
    t << "\n";
  }
  t << work_line(g.work, lang);
  return t.str();
}

/// Writes tornado.csv; returns what the terminal shows.
std::string grade_scale_sweep(const Flags& w, const Scenario& s, const RunOptions& o, const SweepTarget& target,
                              const SweepControl& control, OutputFolder* folder, Language lang) {
  std::optional<EvidenceGrade> grade;
  for (const auto& [grade_value, grade_name] : evidence_grade_names)
    if (w.grade == grade_name) grade = grade_value;
  if (!grade)
    throw Error(ExitCode::usage, both_languages(Msg::usage_no_such_grade, {w.grade}));
  // Under MPI each scaled run's iterations are shared over the ranks (as `run`); rank 0
  // alone has the valuations and writes.
  RunOptions shared = o;
  shared.ranks = control.ranks;
  const GradeSweep g = grade_sweep(s, shared, target, *grade, w.scales, control.progress);
  if (!folder) return {};
  std::string csv = "grade,effects,scale,npv_mean,npv_se,npv_p5,npv_p95,p_break_even\n";
  std::ostringstream t;
  t << "Every " << name_of(g.grade) << " effect of " << s.variants[target.variant].id << " (" << g.effects
    << ") scaled together (hazard ratio r as r^scale, a difference d as scale x d); net present value, " << target.account
    << ":\n";
  for (std::size_t k = 0; k < g.scales.size(); ++k) {
    const Valuation& v = g.at[k];
    csv += std::string(name_of(g.grade)) + "," + std::to_string(g.effects) + "," + exact_number(g.scales[k]) + "," +
           exact_number(v.npv.mean) + "," + exact_number(v.npv.se) + "," + exact_number(v.npv.p5) + "," +
           exact_number(v.npv.p95) + "," + exact_number(v.p_break_even) + "\n";
    char buf[200];
    std::snprintf(buf, sizeof buf, "  scale %-8.4g %14s  (90 %%: %s to %s), P(break even) %.0f %%\n", g.scales[k],
                  money_short(v.npv.mean, lang).c_str(), money_short(v.npv.p5, lang).c_str(),
                  money_short(v.npv.p95, lang).c_str(), 100.0 * v.p_break_even);
    t << buf;
  }
  folder->write("grade.csv", csv);
  return t.str();
}

std::string tornado_sweep(const Flags& w, const Scenario& s, const RunOptions& o, const SweepTarget& target,
                  const SweepControl& control,
                          OutputFolder* folder, Language lang) {
  const Tornado t = tornado(s, o, target, w.parameters, w.low_quantile, w.high_quantile, control);
  if (!folder) return {}; // a rank other than 0 under MPI: rank 0 writes
  folder->write("tornado.csv", tornado_csv(t));
  const std::string title = (s.title.empty() ? s.id : s.title.in(lang)) + ": " + s.variants[target.variant].shown(lang);
  folder->write("tornado.html", tornado_html(t, target, title, lang));
  write_tornado_workbook(folder->file_path("tornado.xlsx"), t, target, title, lang);
  std::ostringstream out;
  out << format_message(lang, Msg::sweep_tornado_heading,
                        {target.account, s.variants[target.variant].shown(lang), money_short(t.central.npv.mean, lang)})
      << "\n";
  for (const auto& r : t.rows) {
    char buf[400];
    std::snprintf(buf, sizeof buf, "  %-70s %14s .. %-14s %s %s\n", r.path.substr(0, 70).c_str(),
                  money_short(r.at_low.npv.mean, lang).c_str(), money_short(r.at_high.npv.mean, lang).c_str(),
                  T(lang, Msg::sweep_swing), money_short(r.swing, lang).c_str());
    out << buf;
  }
  out << work_line(t.work, lang);
  return out.str();
}

int sweep(const Flags& w, const Context& context) {
  const RunFlags& f = w.run;
  Scenario s = load_with_population(w.file);
  // Under MPI (context.ranks) every rank values its share of the points; rank 0 alone
  // prints and writes (decision/sweep.hpp, SweepControl::ranks).
  const bool writes = context.writes();
  const bool quiet = f.quiet || !writes;
  print_load_warnings(s, quiet, language(f)); // an override that drops lines, as `run` says it
  SweepTarget target;
  target.account = w.account;
  if (!w.variant.empty()) target.variant = variant_or_usage(s, w.variant, w.file);
  if (s.variants.size() < 2) throw Error(ExitCode::usage, both_languages(Msg::usage_nothing_to_value, {w.file}));
  const RunOptions o = run_options(f, context.interrupt);
  auto thread_limit = limit_threads(f.threads);
  // Names are checked before anything is simulated: a typo costs no run.
  for (const auto& p : w.parameters) (void)find_parameter(s, p);
  (void)account_index(make_accounts(s), target.account);
  std::optional<StagedFolder> staged;
  if (writes) staged.emplace(context.interrupt, f, "out/" + s.id + "-sweep");
  OutputFolder* folder = staged ? &**staged : nullptr;
  SweepControl control;
  control.ranks = context.ranks;
  control.reprice_memory_bytes = reprice_memory_bytes(w.reprice_memory_mib);
  std::string what;
  {
    Progress progress(T(language(f, s), Msg::sweep_sweep), quiet);
    control.progress = [&progress](int done, int total) { progress.update(done, total); };
    what = !w.grade.empty()     ? grade_scale_sweep(w, s, o, target, control, folder, language(f, s))
           : !w.threshold.empty() ? threshold_sweep(w, s, o, target, control, folder, language(f, s))
           : !w.grid.empty()    ? grid_sweep(w, s, o, target, control, folder, language(f, s))
                                : tornado_sweep(w, s, o, target, control, folder, language(f, s));
  }
  if (!staged) return 0;
  staged->commit();
  if (!f.quiet) std::cout << what << format_message(language(f, s), Msg::results_in_folder, {(*staged)->path()}) << "\n";
  return 0;
}

} // namespace

Command add_sweep_command(CLI::App& app, const Context& context) {
  auto w = std::make_shared<Flags>();
  CLI::App* sub = app.add_subcommand("sweep", T(context.lang, Msg::help_sweep));
  sub->add_option("file", w->file, T(context.lang, Msg::help_scenario_file))->required();
  using O = RunOption;
  // No --format: a sweep writes its CSV table (a tornado also its page and workbook); no
  // --central: a tornado sets the medians itself.
  add_run_options(*sub, w->run, O::iterations | O::seed | O::threads | O::kernel | O::out | O::force | O::lang | O::quiet, context.lang,
                  "out/<scenario>-sweep");
  sub->add_option("--variant", w->variant, T(context.lang, Msg::help_sweep_variant));
  sub->add_option("--account", w->account, T(context.lang, Msg::help_sweep_account))->capture_default_str();
  sub->add_option("--parameter", w->parameters, T(context.lang, Msg::help_sweep_parameter));
  sub->add_option("--low-quantile", w->low_quantile, T(context.lang, Msg::help_sweep_low_quantile))->check(CLI::Range(0.0, 1.0))
      ->capture_default_str();
  sub->add_option("--high-quantile", w->high_quantile, T(context.lang, Msg::help_sweep_high_quantile))->check(CLI::Range(0.0, 1.0))
      ->capture_default_str();
  sub->add_option("--grid", w->grid, T(context.lang, Msg::help_sweep_grid))
      ->allow_extra_args(false)
      ->multi_option_policy(CLI::MultiOptionPolicy::TakeAll);
  sub->add_option("--threshold", w->threshold, T(context.lang, Msg::help_sweep_threshold));
  sub->add_option("--range", w->range, T(context.lang, Msg::help_sweep_range))->delimiter(',')->expected(2);
  sub->add_option("--probability", w->probability, T(context.lang, Msg::help_sweep_probability))
      ->check(CLI::Range(0.0, 1.0))->capture_default_str();
  sub->add_option("--tolerance", w->tolerance, T(context.lang, Msg::help_sweep_tolerance));
  sub->add_option("--grade", w->grade,
                  T(context.lang, Msg::help_sweep_grade));
  sub->add_option("--scale", w->scales, T(context.lang, Msg::help_sweep_scale))
      ->delimiter(',');
  add_reprice_memory_option(*sub, w->reprice_memory_mib, T(context.lang, Msg::help_sweep_reprice_memory));
  return {sub, [w, &context] { return sweep(*w, context); }};
}

} // namespace socinvest::cli
