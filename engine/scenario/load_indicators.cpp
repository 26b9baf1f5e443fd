// indicators: the outcomes measured at each year end (share in some states, share improved
// on a ranking of states); and targets: what share of whom should be reached by when.
#include "scenario/load_context.hpp"

#include <socinvest/report/messages.hpp>

#include <socinvest/ledger/budget_years.hpp>
#include <socinvest/report/messages.hpp>

#include <cmath>
#include <cstdio>

namespace socinvest::detail {

void load_indicators(LoadContext& ctx, Scenario& s) {
  Reader& r = ctx.reader;
  for (auto& [id, n] : ctx.sections.indicators) {
    Indicator ind;
    ind.id = id;
    ind.label = id;
    ctx.indicator_names.push_back(id);
    if (!r.map(n, {"label", "domain", "states", "min_months", "improved", "role"})) {
      s.indicators.push_back(ind);
      continue;
    }
    if (n["label"].defined())
      if (auto t = r.text(n["label"])) ind.label = *t;
    if (n["role"].defined())
      if (auto v = r.choice<Role>(n["role"])) ind.role = *v;
    if (!n["domain"].defined()) r.error_at(n, n["domain"].path, both_languages(Msg::fixed_is_required));
    else if (auto d = r.reference(n["domain"], ctx.domain_names, "domain")) ind.domain = *d;
    if (ind.domain >= 0) {
      const auto& states = s.domains[ind.domain].states;
      auto state_list = [&](const YNode& list, std::vector<int>& out) {
        if (!r.seq(list)) return;
        for (std::size_t i = 0; i < list.size(); ++i)
          if (auto st = r.reference(list.at(i), states, "state")) out.push_back(*st);
      };
      Indicator::InStates in_states;
      if (n["improved"].defined()) {
        std::vector<int> order;
        state_list(n["improved"], order);
        Indicator::Improved improved;
        improved.rank.assign(states.size(), -1);
        for (std::size_t i = 0; i < order.size(); ++i) improved.rank[order[i]] = static_cast<int>(i);
        ind.share = std::move(improved);
        if (n["states"].defined()) r.error(n["states"], both_languages(Msg::fixed_give_either_states_or_improved_not_both));
        if (n["min_months"].defined()) r.error(n["min_months"], both_languages(Msg::fixed_min_months_applies_to_states_not_to));
      } else if (n["states"].defined()) {
        state_list(n["states"], in_states.states);
      } else {
        r.error_at(n, n["states"].path, both_languages(Msg::fixed_is_required_or_improved_best_worst));
      }
      // Read (and checked) with improved too, where it has been refused above.
      if (n["min_months"].defined())
        if (auto v = r.integer(n["min_months"], 0, 600)) in_states.min_months = static_cast<int>(*v);
      if (!n["improved"].defined()) ind.share = std::move(in_states);
    }
    s.indicators.push_back(std::move(ind));
  }
}

/// {indicator, among, at_year | at_budget_year} common to targets and contracts: when it is
/// measured is either the end of a project year (at_year: twelve months from run.start) or
/// the end of a calendar year (at_budget_year: its December), exactly one of them.
void indicator_condition(LoadContext& ctx, const YNode& n, const Scenario& s, int& indicator, Group& among, int& at_year,
                         int& at_budget_year) {
  Reader& r = ctx.reader;
  if (!n["indicator"].defined()) r.error_at(n, n["indicator"].path, both_languages(Msg::fixed_is_required));
  else if (auto i = r.reference(n["indicator"], ctx.indicator_names, "indicator")) indicator = *i;
  if (n["among"].defined())
    if (auto v = r.choice<Group>(n["among"])) among = *v;
  const bool project = n["at_year"].defined(), calendar = n["at_budget_year"].defined();
  if (!project && !calendar)
    r.error_at(n, n["at_year"].path,
               both_languages(Msg::fixed_is_required_the_project_year_1_the));
  if (project && calendar)
    r.error(n["at_budget_year"], both_languages(Msg::fixed_give_either_at_year_a_project_year));
  if (project)
    if (auto y = r.integer(n["at_year"], 1, s.run.horizon_years)) at_year = static_cast<int>(*y);
  if (calendar && !project)
    if (auto y = r.integer(n["at_budget_year"], 1900, 2200)) {
      if (auto problem = december_problem(s.run, static_cast<int>(*y))) r.error(n["at_budget_year"], *problem);
      else at_budget_year = static_cast<int>(*y);
    }
}

void load_targets(LoadContext& ctx, Scenario& s) {
  Reader& r = ctx.reader;
  auto it = ctx.sections.whole.find("targets");
  if (it == ctx.sections.whole.end()) return;
  const YNode& n = it->second;
  if (!r.seq(n)) return;
  for (std::size_t i = 0; i < n.size(); ++i) {
    YNode item = n.at(i);
    if (!r.map(item, {"indicator", "among", "at_year", "at_budget_year", "at_least", "at_most", "label"})) continue;
    Target t;
    indicator_condition(ctx, item, s, t.indicator, t.among, t.at_year, t.at_budget_year);
    if (item["at_least"].defined())
      if (auto v = r.number(item["at_least"], detail::probability)) t.at_least = *v;
    if (item["at_most"].defined())
      if (auto v = r.number(item["at_most"], detail::probability)) t.at_most = *v;
    if (!item["at_least"].defined() && !item["at_most"].defined())
      r.error(item, both_languages(Msg::fixed_give_at_least_or_at_most_a));
    if (item["label"].defined())
      if (auto v = r.text(item["label"])) t.text = *v;
    if (t.text.empty() && t.indicator >= 0) {
      // The engine's words for the target, in each language, around the indicator's label.
      // (A project year keeps its words, "by year 3"; a calendar year says "by the end of 2026".)
      char share[32];
      std::snprintf(share, sizeof share, "%.0f", 100.0 * (std::isfinite(t.at_least) ? t.at_least : t.at_most));
      auto words = [&](Language lang) {
        const std::string when =
            t.at_budget_year != 0 ? format_message(lang, Msg::target_by_end_of, {std::to_string(t.at_budget_year)})
                                  : format_message(lang, Msg::target_by_year, {std::to_string(t.at_year)});
        return format_message(lang, std::isfinite(t.at_least) ? Msg::target_at_least : Msg::target_at_most,
                              {s.indicators[t.indicator].label.in(lang), share, when});
      };
      t.text = Text::of(words(Language::en), words(Language::da));
    }
    s.targets.push_back(std::move(t));
  }
}

} // namespace socinvest::detail
