#pragma once
// The shape of what the simulation counts, fixed for a scenario: for every (domain, state)
// its months-in-state bands, and the flat cell and transition indices the tallies use.
// Bands are the union of every duration boundary anything needs: the transition bands of
// the scenario, a spell-based reimbursement staircase (so pricing can split benefits by
// time on benefit) and indicators' minimum months (lasting work).
// A reimbursement rule with a refusion clock (ReimbursementRule::Clock) splits the cells of
// its support states by the person's step on the staircase instead (refusion levels: the
// months on public support at which the state's share changes, plus one level for the old
// rules when the state has a legacy share): cell = offset + band * levels + level.
#include <socinvest/ledger/budget_years.hpp>
#include <socinvest/scenario/scenario.hpp>

#include <cstdint>
#include <string>
#include <vector>

namespace socinvest {

struct Layout {
  int domains = 0;
  int steps = 0;        ///< simulation steps over the horizon
  int cycle_months = 1; ///< months per step
  int years = 0;        ///< project years in the horizon
  /// Where indicators are measured (the tally's points: the project-year ends, then the
  /// Decembers at_budget_year needs), and per step the point that ends with it (-1: none)
  /// and the first step from it on with which one ends (steps: none).
  MeasurementPoints points;
  std::vector<int> point_of_step, next_point_step;
  int cells = 0;        ///< sum over (domain, state) of its bands
  int transitions = 0;  ///< sum over domains of states x states
  int max_bands = 1;

  std::vector<int> states;                          ///< per domain
  std::vector<std::vector<std::vector<int>>> edges; ///< [d][s]: band boundaries in months (> 0), increasing
  std::vector<std::vector<int>> cell_offset;        ///< [d][s]: first cell of the state's bands
  /// [d]: index = offset + (category * states + from) * states + to, where category is the
  /// person's category of the domain's move attribute (0 when its moves are not split).
  std::vector<int> transition_offset;
  /// [d][s]: months-in-state -> band, for months 0..cap (cap = last edge).
  std::vector<std::vector<std::vector<std::uint8_t>>> band_table;
  // Per cell, for reports and pricing.
  std::vector<int> cell_domain, cell_state, cell_from_month;
  /// Per cell: its refusion level (-1: the state has none; refusion_levels: the old rules).
  std::vector<int> cell_level;

  // The refusion clock (scenario.refusion_rule()), when there is one.
  int refusion_rule = -1, refusion_domain = -1;
  /// Staircase levels by months on public support: level l from refusion_level_from[l]
  /// (0, then every month at which the rule's share changes).
  std::vector<int> refusion_level_from;
  [[nodiscard]] int refusion_levels() const { return static_cast<int>(refusion_level_from.size()); }
  std::vector<std::vector<int>> levels; ///< [d][s]: refusion levels of the state's cells (1: not split)

  /// Costs by attribute (CostLine::by_attribute): [d][s] the attribute whose categories
  /// split the state's cells (-1: none) and how many categories it has (1: not split). A
  /// split state's cells are one block of bands x levels per category:
  /// cell = offset + category * (bands * levels) + band * levels + level. Only states with
  /// such a line are split, so a scenario without one keeps its cells.
  std::vector<std::vector<int>> split_attribute, categories;
  std::vector<int> cell_category; ///< per cell: its category of the state's split attribute (-1: not split)
  /// Transition costs by attribute (a transition cost line's by_attribute): [d] the
  /// attribute whose categories split the domain's moves (-1: none) and how many categories
  /// it has (1: not split). A split domain's moves are one block of states x states per
  /// category (transition()). Only domains with such a line are split, so a scenario
  /// without one keeps its transitions.
  std::vector<int> move_attribute, move_categories;

  /// The tally's groups (tally.hpp): the scenario's variants (group 0 everybody, v the
  /// participants of variant v), then, for results by attribute, per category k of the
  /// attributes (in the order of Scenario::attributes) the same again among those of that
  /// category: group attribute_group(k, g) = variants + k * variants + g. A household
  /// attribute's group g counts everybody of the households of that category; a person
  /// attribute's counts the persons of that category in the households of group g (so the
  /// persons of a household can count in different groups). Without attributes the groups
  /// are the variants.
  int variants = 0, groups = 0;
  std::vector<int> attribute_first_category; ///< per attribute: its first k
  int attribute_categories = 0;              ///< k over all attributes
  bool person_attribute_groups = false;      ///< some attribute is a person's: groups differ within a household
  [[nodiscard]] int attribute_group(int k, int g) const { return variants + k * variants + g; }

  [[nodiscard]] int band(int d, int s, int months) const {
    const auto& t = band_table[d][s];
    return t[static_cast<std::size_t>(months < static_cast<int>(t.size()) ? months : static_cast<int>(t.size()) - 1)];
  }
  [[nodiscard]] int cell(int d, int s, int band, int level = 0, int category = 0) const {
    return cell_offset[d][s] + category * cells_per_category(d, s) + band * levels[d][s] + level;
  }
  /// The cells of (d, s) for one category of its split attribute: bands x levels.
  [[nodiscard]] int cells_per_category(int d, int s) const {
    return (static_cast<int>(edges[d][s].size()) + 1) * levels[d][s];
  }
  /// The cells of (d, s): bands x levels x categories.
  [[nodiscard]] int cells_of(int d, int s) const { return cells_per_category(d, s) * categories[d][s]; }
  [[nodiscard]] int transition(int d, int from, int to, int category = 0) const {
    return transition_offset[d] + (category * states[d] + from) * states[d] + to;
  }
  /// Member by member: two scenarios whose simulations agree have equal layouts
  /// (analysis.hpp same_simulation).
  bool operator==(const Layout&) const = default;
};

Layout make_layout(const Scenario& scenario);

} // namespace socinvest
