// socinvest calibrate PANEL --scenario FILE: duration bands and Dirichlet rows from a register
// panel (evidence/calibrate.hpp), written as calibrated.yaml and calibration.html.
#include "cli/command.hpp"
#include "cli/shared.hpp"

#include <socinvest/errors.hpp>
#include <socinvest/evidence/calibrate.hpp>
#include <socinvest/files.hpp>
#include <socinvest/report/messages.hpp>

#include <algorithm>
#include <charconv>
#include <iostream>
#include <memory>

namespace socinvest::cli {

namespace {

struct Flags {
  std::string panel;
  std::string scenario;
  RunFlags run;
  std::string form;
  std::string bands;
  int min_count = 20;
  bool allow_gaps = false;
  std::string by;
  std::string age_groups;
};

std::vector<int> band_starts(const std::string& text) {
  std::vector<int> starts;
  for (const auto& part : split_list(text)) {
    int v = -1;
    const auto r = std::from_chars(part.data(), part.data() + part.size(), v);
    if (r.ec != std::errc() || r.ptr != part.data() + part.size() || v < 0 || (!starts.empty() && v <= starts.back()))
      throw Error(ExitCode::usage, both_languages(Msg::usage_bands_not_increasing, {printable(text)}));
    starts.push_back(v);
  }
  if (starts.empty() || starts.front() != 0)
    throw Error(ExitCode::usage, both_languages(Msg::usage_bands_first_not_zero, {printable(text)}));
  return starts;
}

std::vector<int> age_group_starts(const std::string& text) {
  std::vector<int> starts;
  for (const auto& part : split_list(text)) {
    int v = -1;
    const auto r = std::from_chars(part.data(), part.data() + part.size(), v);
    if (r.ec != std::errc() || r.ptr != part.data() + part.size() || v <= 0 || v > 120 ||
        (!starts.empty() && v <= starts.back()))
      throw Error(ExitCode::usage, both_languages(Msg::usage_age_groups_bad, {printable(text)}));
    starts.push_back(v);
  }
  if (starts.empty()) throw Error(ExitCode::usage, both_languages(Msg::usage_age_groups_empty));
  return starts;
}

int calibrate_command(const Flags& c, const Context& context) {
  const RunFlags& f = c.run;
  CalibrationOptions options;
  if (!c.bands.empty()) options.band_starts = band_starts(c.bands);
  options.min_count = c.min_count;
  options.by = c.by;
  if (!c.age_groups.empty()) {
    if (c.by != "age_group") throw Error(ExitCode::usage, both_languages(Msg::usage_age_groups_without_by));
    options.age_group_starts = age_group_starts(c.age_groups);
  }
  const Scenario s = load_with_population(c.scenario);
  print_load_warnings(s, f.quiet, language(f));
  // A register extract is larger than a scenario: up to 1 GiB (the reader keeps it in memory).
  const std::string text = read_file(c.panel, both_languages(Msg::file_what_panel), std::size_t{1} << 30);
  std::optional<PanelForm> form = c.form.empty() ? detect_panel_form(text) : panel_form_named(c.form);
  if (!form)
    throw Error(ExitCode::invalid_scenario, both_languages(Msg::panel_form_unknown, {c.panel}));
  const Panel panel = read_panel(s, *form, text, c.panel, c.allow_gaps);
  if (!options.by.empty() && options.by != "age_group" && options.by != "household_type" &&
      std::find(panel.attributes.begin(), panel.attributes.end(), options.by) == panel.attributes.end()) {
    std::string columns;
    for (const auto& a : panel.attributes) columns += ", " + a;
    throw Error(ExitCode::usage, both_languages(Msg::usage_by_no_such_column, {printable(options.by), columns}));
  }
  const Calibration cal = calibrate(s, panel, options, c.panel);
  const Language lang = language(f, s);
  // Everything is computed before the folder exists: bad input writes nothing.
  const std::string yaml = calibrated_yaml(s, cal);
  const std::string html = calibration_html(s, cal, lang);
  StagedFolder folder(context.interrupt, f, "out/" + s.id + "-calibration");
  folder->write("calibrated.yaml", yaml);
  folder->write("calibration.html", html);
  folder.commit();
  if (!f.quiet) {
    for (const auto& w : calibration_warnings(s, cal, lang)) std::cerr << T(lang, Msg::diag_warning_prefix) << w << "\n";
    std::cout << format_message(lang, Msg::calib_written,
                                {std::to_string(cal.states.size()), std::to_string(cal.person_months_at_risk), folder->path()})
              << "\n";
  }
  return 0;
}

} // namespace

Command add_calibrate_command(CLI::App& app, const Context& context) {
  auto f = std::make_shared<Flags>();
  CLI::App* sub = app.add_subcommand("calibrate", T(context.lang, Msg::help_calibrate));
  sub->add_option("panel", f->panel, T(context.lang, Msg::help_calibrate_panel))->required();
  sub->add_option("--scenario", f->scenario, T(context.lang, Msg::help_calibrate_scenario))->required();
  using O = RunOption;
  add_run_options(*sub, f->run, O::out | O::force | O::lang | O::quiet, context.lang, "out/<scenario>-calibration");
  std::vector<std::string> forms;
  for (const auto& [form, name] : panel_form_names) forms.emplace_back(name);
  sub->add_option("--form", f->form, T(context.lang, Msg::help_calibrate_form))->check(CLI::IsMember(forms));
  sub->add_option("--bands", f->bands, T(context.lang, Msg::help_calibrate_bands));
  sub->add_option("--min-count", f->min_count, T(context.lang, Msg::help_calibrate_min_count))
      ->transform(decimal)->check(CLI::Range(1, 1000000))->capture_default_str();
  sub->add_flag("--allow-gaps", f->allow_gaps, T(context.lang, Msg::help_calibrate_allow_gaps));
  sub->add_option("--by", f->by, T(context.lang, Msg::help_calibrate_by));
  sub->add_option("--age-groups", f->age_groups, T(context.lang, Msg::help_calibrate_age_groups));
  return {sub, [f, &context] { return calibrate_command(*f, context); }};
}

} // namespace socinvest::cli
