// socinvest power FILE: can the planned randomised evaluation of a variant see its effect
// on an indicator? Simulated trials (decision/power.hpp), written as power.csv and power.html.
#include "cli/command.hpp"
#include "cli/progress.hpp"
#include "cli/shared.hpp"

#include <socinvest/decision/power.hpp>
#include <socinvest/errors.hpp>
#include <socinvest/report/power_report.hpp>

#include <iostream>
#include <memory>

namespace socinvest::cli {

namespace {

struct Flags {
  std::string file;
  RunFlags run;
  std::string variant;
  std::string indicator;
  int at_month = 0;
  int pre_month = 0;
  std::string design = "cross-sections";
  int households = 0;
  double treatment_share = 0.5;
  double alpha = 0.05;
  int trials = 400;
  int max_households = 20000;
};

int power(const Flags& c, const Context& context) {
  const RunFlags& f = c.run;
  const Scenario s = load_with_population(c.file);
  print_load_warnings(s, f.quiet, language(f));
  PowerDesign d;
  d.variant = variant_or_usage(s, c.variant, c.file);
  d.indicator = s.indicator_index(c.indicator);
  d.at_month = c.at_month;
  d.pre_month = c.pre_month;
  for (const auto& [kind, name] : did_design_names)
    if (name == c.design) d.did_design = kind;
  if (d.did_design == DidDesign::panel && c.pre_month <= 0)
    throw Error(ExitCode::usage, both_languages(Msg::usage_panel_did_without_pre_month));
  d.households = c.households;
  d.treatment_share = c.treatment_share;
  d.alpha = c.alpha;
  d.trials = c.trials;
  d.max_households = c.max_households;
  const RunOptions o = run_options(f, context.interrupt);
  d.seed = o.has_seed ? o.seed : s.run.seed;
  d.parameters = o.parameters;
  d.kernel = o.kernel;
  d.threads = o.threads;
  d.cancel = o.cancel;
  check_power_design(s, d); // before the folder: a bad design writes nothing
  auto thread_limit = limit_threads(f.threads);
  StagedFolder folder(context.interrupt, f, "out/" + s.id + "-power");
  Progress progress(format_message(language(f, s), Msg::power_progress, {s.id}), f.quiet, language(f, s));
  d.progress = [&](int done, int total) { progress.update(done, total); };
  const PowerResult r = simulate_power(s, d);
  progress.finish();
  const Language lang = language(f, s);
  const auto dialect = csv_dialect_named(f.csv).value_or(CsvDialect::international);
  folder->write("power.csv", in_dialect(power_csv(s, r), dialect));
  folder->write("power.html", power_html(s, r, lang));
  folder.commit();
  if (!f.quiet)
    std::cout << power_summary(s, r, lang) << T(lang, Msg::results_in) << folder->path() << "/\n";
  return 0;
}

} // namespace

Command add_power_command(CLI::App& app, const Context& context) {
  auto f = std::make_shared<Flags>();
  CLI::App* sub = app.add_subcommand("power", T(context.lang, Msg::help_power));
  sub->add_option("file", f->file, T(context.lang, Msg::help_scenario_file))->required();
  using O = RunOption;
  add_run_options(*sub, f->run,
                  O::seed | O::threads | O::kernel | O::central | O::out | O::force | O::lang | O::quiet | O::csv, context.lang,
                  "out/<scenario>-power");
  sub->add_option("--variant", f->variant, T(context.lang, Msg::help_power_variant))->required();
  sub->add_option("--indicator", f->indicator, T(context.lang, Msg::help_power_indicator))->required();
  sub->add_option("--at-month", f->at_month, T(context.lang, Msg::help_power_at_month))
      ->required()->transform(decimal);
  sub->add_option("--pre-month", f->pre_month,
                  T(context.lang, Msg::help_power_pre_month))
      ->transform(decimal);
  std::vector<std::string> designs;
  for (const auto& [kind, name] : did_design_names) designs.emplace_back(name);
  sub->add_option("--design", f->design, T(context.lang, Msg::help_power_design))
      ->check(CLI::IsMember(designs))->capture_default_str();
  sub->add_option("--households", f->households, T(context.lang, Msg::help_power_households))->required()->transform(decimal);
  sub->add_option("--treatment-share", f->treatment_share, T(context.lang, Msg::help_power_treatment_share))->capture_default_str();
  sub->add_option("--alpha", f->alpha, T(context.lang, Msg::help_power_alpha))->capture_default_str();
  sub->add_option("--trials", f->trials, T(context.lang, Msg::help_power_trials))
      ->transform(decimal)->check(CLI::Range(1, 100000))->capture_default_str();
  sub->add_option("--max-households", f->max_households, T(context.lang, Msg::help_power_max_households))
      ->transform(decimal)->capture_default_str();
  return {sub, [f, &context] { return power(*f, context); }};
}

} // namespace socinvest::cli
