#include <socinvest/model/layout.hpp>

#include <algorithm>
#include <cmath>
#include <stdexcept>
#include <variant>

namespace socinvest {

Layout make_layout(const Scenario& s) {
  Layout L;
  L.domains = static_cast<int>(s.domains.size());
  L.cycle_months = s.run.cycle_months;
  L.steps = s.run.steps();
  L.years = s.run.horizon_years;
  L.points = MeasurementPoints(s);
  L.point_of_step.assign(static_cast<std::size_t>(L.steps), -1);
  for (int point = 0; point < L.points.size(); ++point) {
    const int months = L.points.months[static_cast<std::size_t>(point)];
    // (A project year whose end is not a step's, with a cycle that does not divide 12: never
    // measured. The loader refuses such Decembers.)
    if (months % L.cycle_months == 0 && months / L.cycle_months <= L.steps)
      L.point_of_step[static_cast<std::size_t>(months / L.cycle_months - 1)] = point;
  }
  L.next_point_step.assign(static_cast<std::size_t>(L.steps) + 1, L.steps);
  for (int t = L.steps - 1; t >= 0; --t)
    L.next_point_step[static_cast<std::size_t>(t)] = L.point_of_step[static_cast<std::size_t>(t)] >= 0 ? t : L.next_point_step[static_cast<std::size_t>(t) + 1];
  L.edges.resize(L.domains);
  for (int d = 0; d < L.domains; ++d) {
    const Domain& dom = s.domains[d];
    L.states.push_back(static_cast<int>(dom.states.size()));
    L.edges[d].resize(dom.states.size());
    for (std::size_t st = 0; st < dom.states.size(); ++st) {
      auto& e = L.edges[d][st];
      for (const auto& band : dom.transitions[st])
        if (band.from_month > 0) e.push_back(band.from_month);
    }
  }
  // A refusion clock: the staircase's levels, and which states' cells are split by them
  // (the support states with a cost line on the rule).
  L.levels.resize(L.domains);
  for (int d = 0; d < L.domains; ++d) L.levels[d].assign(L.states[d], 1);
  L.refusion_rule = s.refusion_rule();
  if (L.refusion_rule >= 0) {
    const auto& rule = s.reimbursements[L.refusion_rule];
    L.refusion_domain = rule.clock.domain;
    L.refusion_level_from.push_back(0);
    const int last_month = rule.weeks.empty() ? 1 : static_cast<int>(rule.weeks.back() * 12.0 / 52.0) + 2;
    // (Shares computed for two months on one step differ in the last bits: not a new level.)
    for (int m = 1; m <= last_month; ++m)
      if (std::abs(rule.share_for_month(m) - rule.share_for_month(m - 1)) > 1e-12) L.refusion_level_from.push_back(m);
    if (L.refusion_level_from.size() > 250) throw std::runtime_error("too many refusion levels");
    for (const auto& cost : s.state_costs)
      for (const auto& line : cost.lines)
        if (line.reimbursement == L.refusion_rule)
          L.levels[cost.domain][cost.state] = L.refusion_levels() + (rule.clock.has_legacy(cost.state) ? 1 : 0);
  }
  // Spell-based reimbursement: boundaries where the state's share of a benefit month changes.
  for (const auto& cost : s.state_costs) {
    for (const auto& line : cost.lines) {
      if (line.reimbursement < 0 || line.reimbursement == L.refusion_rule) continue;
      const auto& rule = s.reimbursements[line.reimbursement];
      int last_month = rule.weeks.empty() ? 1 : static_cast<int>(rule.weeks.back() * 12.0 / 52.0) + 2;
      for (int m = 1; m <= last_month; ++m)
        if (rule.share_for_month(m) != rule.share_for_month(m - 1)) L.edges[cost.domain][cost.state].push_back(m);
    }
  }
  for (const auto& ind : s.indicators)
    if (const auto* in = std::get_if<Indicator::InStates>(&ind.share); in && in->min_months > 0)
      for (int st : in->states) L.edges[ind.domain][st].push_back(in->min_months);

  // Costs by attribute: the states a line prices by attribute are split by its categories
  // (the loader allows one attribute per state).
  L.split_attribute.resize(L.domains);
  L.categories.resize(L.domains);
  for (int d = 0; d < L.domains; ++d) {
    L.split_attribute[d].assign(L.states[d], -1);
    L.categories[d].assign(L.states[d], 1);
  }
  for (const auto& cost : s.state_costs)
    for (const auto& line : cost.lines)
      if (line.by_attribute >= 0) {
        L.split_attribute[cost.domain][cost.state] = line.by_attribute;
        L.categories[cost.domain][cost.state] = static_cast<int>(s.attributes[line.by_attribute].categories.size());
      }
  // Transition costs by attribute: the domains a transition cost line prices by attribute
  // have their moves split by its categories (the loader allows one attribute per domain).
  L.move_attribute.assign(static_cast<std::size_t>(L.domains), -1);
  L.move_categories.assign(static_cast<std::size_t>(L.domains), 1);
  for (const auto& cost : s.transition_costs)
    for (const auto& line : cost.lines)
      if (line.by_attribute >= 0) {
        L.move_attribute[static_cast<std::size_t>(cost.domain)] = line.by_attribute;
        L.move_categories[static_cast<std::size_t>(cost.domain)] =
            static_cast<int>(s.attributes[static_cast<std::size_t>(line.by_attribute)].categories.size());
      }
  // Results by attribute: a group per attribute's category and tally group.
  L.variants = static_cast<int>(s.variants.size());
  for (const auto& attribute : s.attributes) {
    L.attribute_first_category.push_back(L.attribute_categories);
    L.attribute_categories += static_cast<int>(attribute.categories.size());
    if (attribute.level != Attribute::Level::household) L.person_attribute_groups = true;
  }
  L.groups = L.variants * (1 + L.attribute_categories);

  int cell = 0, transition = 0;
  L.cell_offset.resize(L.domains);
  L.band_table.resize(L.domains);
  for (int d = 0; d < L.domains; ++d) {
    L.transition_offset.push_back(transition);
    transition += L.states[d] * L.states[d] * L.move_categories[static_cast<std::size_t>(d)];
    for (int st = 0; st < L.states[d]; ++st) {
      auto& e = L.edges[d][st];
      std::sort(e.begin(), e.end());
      e.erase(std::unique(e.begin(), e.end()), e.end());
      if (e.size() > 250) throw std::runtime_error("too many duration bands in one state");
      L.cell_offset[d].push_back(cell);
      int bands = static_cast<int>(e.size()) + 1;
      L.max_bands = std::max(L.max_bands, bands);
      const int levels = L.levels[d][st], categories = L.categories[d][st];
      for (int k = 0; k < categories; ++k)
        for (int b = 0; b < bands; ++b)
          for (int l = 0; l < levels; ++l) {
            L.cell_domain.push_back(d);
            L.cell_state.push_back(st);
            L.cell_from_month.push_back(b == 0 ? 0 : e[b - 1]);
            L.cell_level.push_back(levels > 1 ? l : -1);
            L.cell_category.push_back(L.split_attribute[d][st] >= 0 ? k : -1);
          }
      cell += bands * levels * categories;
      int cap = e.empty() ? 0 : e.back();
      std::vector<std::uint8_t> table(static_cast<std::size_t>(cap) + 1);
      int b = 0;
      for (int m = 0; m <= cap; ++m) {
        while (b < static_cast<int>(e.size()) && m >= e[b]) ++b;
        table[m] = static_cast<std::uint8_t>(b);
      }
      L.band_table[d].push_back(std::move(table));
    }
  }
  L.cells = cell;
  L.transitions = transition;
  return L;
}

} // namespace socinvest
