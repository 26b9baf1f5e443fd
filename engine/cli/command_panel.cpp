// socinvest panel FILE: simulated registers from the scenario's model (evidence/panel.hpp), in
// the long, wide or spell form, stated as simulated in the file and in README.txt.
#include "cli/command.hpp"
#include "cli/shared.hpp"

#include <socinvest/errors.hpp>
#include <socinvest/evidence/panel.hpp>
#include <socinvest/report/messages.hpp>

#include <iostream>
#include <memory>

namespace socinvest::cli {

namespace {

struct Flags {
  std::string file;
  RunFlags run;
  int persons = 0;
  int months = 0;
  std::string variant;
  std::string form = "long";
  bool durations = false;
  bool attributes = false;
};

const char* file_name(PanelForm form) {
  switch (form) {
  case PanelForm::long_form: return "panel.csv";
  case PanelForm::wide: return "panel_wide.csv";
  case PanelForm::spells: return "panel_spells.csv";
  }
  return "panel.csv";
}

int panel(const Flags& c, const Context& context) {
  const RunFlags& f = c.run;
  const Scenario s = load_with_population(c.file);
  print_load_warnings(s, f.quiet, language(f));
  PanelRequest r;
  r.persons = c.persons;
  r.months = c.months;
  r.variant = c.variant.empty() ? 0 : variant_or_usage(s, c.variant, c.file);
  r.run = run_options(f, context.interrupt);
  const PanelForm form = panel_form_named(c.form).value_or(PanelForm::long_form);
  auto thread_limit = limit_threads(f.threads);
  const std::uint64_t seed = r.run.has_seed ? r.run.seed : s.run.seed;
  StagedFolder folder(context.interrupt, f, "out/" + s.id + "-panel");
  const Panel p = simulate_panel(s, r);
  // The note heads the CSV and README.txt in the run's language: a municipality's staff read
  // it, and the words "SIMULATED ... not real persons" must reach them.
  const Language lang = language(f, s);
  const std::string note = format_message(
      lang, Msg::panel_note,
      {s.id, s.variants[r.variant].id, std::to_string(seed), r.run.parameters.central ? ", --central" : "",
       std::to_string(p.persons.size()), p.first_period, p.last_period, std::string(panel_form_name(form))});
  folder->write(file_name(form), panel_csv(s, p, form, note, c.durations, c.attributes));
  folder->write("README.txt", note + "\n\n" + format_message(lang, Msg::panel_readme, {std::string(file_name(form)), c.file}) + "\n");
  folder.commit();
  if (!f.quiet)
    std::cout << format_message(lang, Msg::panel_written,
                                {std::to_string(p.persons.size()), std::to_string(p.months), folder->path()})
              << "\n";
  return 0;
}

} // namespace

Command add_panel_command(CLI::App& app, const Context& context) {
  auto f = std::make_shared<Flags>();
  CLI::App* sub = app.add_subcommand("panel", T(context.lang, Msg::help_panel));
  sub->add_option("file", f->file, T(context.lang, Msg::help_scenario_file))->required();
  using O = RunOption;
  add_run_options(*sub, f->run, O::seed | O::threads | O::kernel | O::central | O::out | O::force | O::lang | O::quiet, context.lang,
                  "out/<scenario>-panel");
  sub->add_option("--persons", f->persons, T(context.lang, Msg::help_panel_persons))
      ->required()->transform(decimal)->check(CLI::Range(1, 10000000));
  sub->add_option("--months", f->months, T(context.lang, Msg::help_panel_months))->required()->transform(decimal)->check(CLI::Range(1, 840));
  sub->add_option("--variant", f->variant, T(context.lang, Msg::help_panel_variant));
  std::vector<std::string> forms;
  for (const auto& [form, name] : panel_form_names) forms.emplace_back(name);
  sub->add_option("--form", f->form, T(context.lang, Msg::help_panel_form))
      ->check(CLI::IsMember(forms))->capture_default_str();
  sub->add_flag("--durations", f->durations, T(context.lang, Msg::help_panel_durations));
  sub->add_flag("--attributes", f->attributes, T(context.lang, Msg::help_panel_attributes));
  return {sub, [f, &context] { return panel(*f, context); }};
}

} // namespace socinvest::cli
