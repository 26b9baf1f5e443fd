#pragma once
// The shape of what the simulation counts, fixed for a scenario: for every (domain, state)
// its months-in-state bands, and the flat cell and transition indices the tallies use.
// Bands are the union of every duration boundary anything needs: the transition bands of
// the scenario, the reimbursement staircase (so pricing can split benefits by time on
// benefit) and indicators' minimum months (lasting work).
#include <socinvest/scenario/scenario.hpp>

#include <cstdint>
#include <string>
#include <vector>

namespace socinvest {

struct Layout {
  int domains = 0;
  int steps = 0;        ///< simulation steps over the horizon
  int cycle_months = 1; ///< months per step
  int years = 0;        ///< budget years in the horizon
  int cells = 0;        ///< sum over (domain, state) of its bands
  int transitions = 0;  ///< sum over domains of states x states
  int max_bands = 1;

  std::vector<int> states;                          ///< per domain
  std::vector<std::vector<std::vector<int>>> edges; ///< [d][s]: band boundaries in months (> 0), increasing
  std::vector<std::vector<int>> cell_offset;        ///< [d][s]: first cell of the state's bands
  std::vector<int> transition_offset;               ///< [d]: index = offset + from * states + to
  /// [d][s]: months-in-state -> band, for months 0..cap (cap = last edge).
  std::vector<std::vector<std::vector<std::uint8_t>>> band_table;
  // Per cell, for reports and pricing.
  std::vector<int> cell_domain, cell_state, cell_from_month;

  [[nodiscard]] int band(int d, int s, int months) const {
    const auto& t = band_table[d][s];
    return t[static_cast<std::size_t>(months < static_cast<int>(t.size()) ? months : static_cast<int>(t.size()) - 1)];
  }
  [[nodiscard]] int cell(int d, int s, int band) const { return cell_offset[d][s] + band; }
  [[nodiscard]] int transition(int d, int from, int to) const { return transition_offset[d] + from * states[d] + to; }
};

Layout make_layout(const Scenario& scenario);

} // namespace socinvest
