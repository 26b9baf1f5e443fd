// The checks that involve more than one section of a scenario: the naming rule for every
// named entry, routes that a hazard ratio (a link or an effect) multiplies, intervention
// starts within the run, and the size of the whole run. The rules live here; each is called
// from where the section loaders reach it (loader.cpp, load_domains.cpp,
// load_interventions.cpp), so that its messages keep their place among the others.
#include "scenario/load_context.hpp"

#include <socinvest/report/messages.hpp>

#include <socinvest/scenario/names.hpp>

#include <algorithm>
#include <cstdio>

namespace socinvest::detail {

void check_name(LoadContext& ctx, const YNode& at, const std::string& name, const char* what) {
  if (!is_valid_name(name))
    ctx.reader.error(at, both_languages(Msg::diag_invalid_name, {visible(name), catalogue_text(what)}));
}

void check_section_names(LoadContext& ctx) {
  // Names become folders, columns and cells: check every one where it is defined.
  const Sections& sections = ctx.sections;
  const std::pair<const Entries*, const char*> named[] = {{&sections.departments, "department"},
                                                          {&sections.reimbursement, "reimbursement rule"},
                                                          {&sections.domains, "domain"},
                                                          {&sections.indicators, "indicator"},
                                                          {&sections.variants, "variant"},
                                                          {&sections.attributes, "attribute"}};
  for (const auto& [entries, what] : named)
    for (const auto& [name, n] : *entries) check_name(ctx, Reader::key_node(n), name, what);
}

void check_start_within_run(LoadContext& ctx, const YNode& at, const Scenario& s, int start_month) {
  // Without run.start the run's first month is a default, and the start is not judged by it.
  if (ctx.start_given && (start_month < 0 || start_month >= s.run.horizon_months()))
    ctx.reader.error(at, both_languages(Msg::intervention_start_outside_run,
                                        {s.run.start.text(), std::to_string(s.run.horizon_years)}));
}

/// A hazard ratio multiplies a hazard, so the route must have a probability to multiply.
void require_route(LoadContext& ctx, const YNode& at, const Domain& d, int from, int to, const char* what) {
  Reader& r = ctx.reader;
  if (from < 0 || to < 0 || ctx.doubtful_rows.count(d.id + "." + d.states[from])) return;
  if (from == to) {
    r.error(at, both_languages(Msg::diag_needs_two_states, {catalogue_text(what)}));
    return;
  }
  for (const auto& band : d.transitions[from])
    for (int dest : band.destinations)
      if (dest == to) return;
  std::vector<std::string> routes;
  for (const auto& band : d.transitions[from])
    for (int dest : band.destinations)
      if (std::find(routes.begin(), routes.end(), d.states[dest]) == routes.end()) routes.push_back(d.states[dest]);
  r.error(at, both_languages(Msg::diag_route_without_probability,
                             {catalogue_text(what), d.id + "." + d.states[from] + "->" + d.states[to], d.states[from],
                              routes.empty() ? both_languages(Msg::diag_none) : Bilingual(join(routes))}));
}

void check_size(LoadContext& ctx, const Scenario& s) {
  Reader& r = ctx.reader;
  const double persons = s.expected_persons();
  double months = s.run.horizon_months();
  double iterations = s.run.iterations;
  double variants = static_cast<double>(s.variants.size());
  double person_months = persons * months * iterations * variants;
  // What a run keeps: per-iteration results (accounts x years x measures) for intervals, and
  // per thread one population and its tallies.
  double accounts = static_cast<double>(s.departments.size()) + financing_level_count + 2;
  double per_iteration = variants * (accounts * (s.run.horizon_years + 1) * 8.0 * 8.0 +
                                     static_cast<double>(s.indicators.size()) * s.run.horizon_years * 4 * 8.0);
  double memory = iterations * per_iteration + 2.0 * persons * 64.0 * variants + 64e6;
  char buf[400];
  if (memory > ctx.options.memory_limit_bytes || person_months > ctx.options.max_person_months) {
    auto number = [&](const char* form, double v) {
      std::snprintf(buf, sizeof buf, form, v);
      return std::string(buf);
    };
    const Bilingual text = both_languages(
        Msg::diag_run_too_large,
        {number("%.0f", persons), number("%.0f", months), number("%.0f", iterations), number("%.0f", variants),
         number("%.3g", person_months), number("%.1f", memory / (1024.0 * 1024 * 1024)),
         number("%.3g", ctx.options.max_person_months), number("%.1f", ctx.options.memory_limit_bytes / (1024.0 * 1024 * 1024))});
    if (ctx.iterations_node.defined()) r.error(ctx.iterations_node, text);
    else ctx.file_error(ctx.main_file(), 0, 0, "run.iterations", text);
  }
}

} // namespace socinvest::detail
