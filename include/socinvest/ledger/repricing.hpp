#pragma once
// Re-pricing in a spreadsheet: the quantities the money of state costs and transition costs
// is made of, so that the workbook (report/workbook_repricing.cpp) can price them again with
// formulas over editable unit costs. Because the engine simulates first and prices after
// (pricing.hpp), a state's cost in a month is its persons times the unit costs in force, for
// every cell of the layout (the cell sets the state's refusion share); so the mean cost is
// the mean occupancy times the unit cost whenever the unit cost is the same in every
// iteration. The counts are whole numbers summed over the iterations in 64-bit integers, so
// their sums never depend on the order in which threads deliver the iterations.
#include <socinvest/ledger/pricing.hpp>
#include <socinvest/model/layout.hpp>
#include <socinvest/montecarlo/runner.hpp>

#include <cmath>
#include <cstdint>
#include <vector>

namespace socinvest {

struct RepricingTally {
  RepricingTally(const Scenario& scenario, const Layout& layout);
  /// Adds one iteration (everybody, group 0) and its book's facility costs. Not thread-safe:
  /// the caller serialises.
  void add(const IterationData& data, const IterationBook& book);

  Layout layout;
  std::vector<int> period_from; ///< rate_period_starts (pricing.hpp) over the horizon
  int months = 0;               ///< months priced: those of the steps within the horizon
  int variants = 0;             ///< the scenario's variants (0: the baseline)
  std::vector<char> simulated;  ///< per variant: whether the run simulated it
  std::uint32_t iterations = 0;
  /// Persons in each cell at each step, summed over iterations: [(v * cells + c) * steps + t].
  std::vector<std::int64_t> occupied;
  /// One block per transition cost (Scenario::transition_costs, same order) and category of
  /// its domain's split attribute (Layout::move_categories; 1 when the domain's moves are not
  /// split), its moves at each step (counted in the step's last month, as pricing books
  /// them): [(v * move_blocks + move_first[m] + category) * steps + t].
  std::vector<std::int64_t> moved;
  int moves = 0;
  int move_blocks = 0;          ///< the blocks over all transition costs
  std::vector<int> move_first;  ///< per transition cost: its first block
  std::vector<int> move_cats;   ///< per transition cost: its blocks (categories)
  /// The amount each state cost line drew in each rate period and, for a line by attribute
  /// (CostLine::by_attribute), each category of its attribute: [state_index(line, p, k)]
  /// (lines of all state costs in the scenario's order); each transition cost line drew
  /// [move_index(line, k)]: the common value when every iteration drew the same (`*_varies`
  /// 0), else the first drawn (and `*_varies` 1: the formulas then use mean_*_amount). A
  /// line not by attribute has one category, so without such lines the entries are
  /// [line * periods + p] and [line].
  std::vector<double> state_amount, move_amount;
  std::vector<int> state_first, state_cats; ///< per state cost line: its first entry, its categories
  std::vector<int> move_line_first, move_line_cats; ///< per transition cost line: the same
  [[nodiscard]] std::size_t state_index(std::size_t line, int p, int category = 0) const {
    return static_cast<std::size_t>(state_first[line] + p * state_cats[line] + category);
  }
  [[nodiscard]] std::size_t move_index(std::size_t line, int category = 0) const {
    return static_cast<std::size_t>(move_line_first[line] + category);
  }
  std::vector<char> state_varies, move_varies;
  /// The same amounts summed over the iterations in fixed point (units of 2^-40 kr.), so the
  /// sum is exact and does not depend on the order of the iterations.
  __extension__ using Fixed = __int128;
  static constexpr double fixed_scale = 1099511627776.0; // 2^40
  std::vector<Fixed> state_sum, move_sum;
  /// The mean over the iterations of what state line entry `at` (or transition line `at`) drew.
  [[nodiscard]] double mean_state_amount(std::size_t at) const { return mean(state_sum[at]); }
  [[nodiscard]] double mean_move_amount(std::size_t at) const { return mean(move_sum[at]); }
  /// The facilities' empty places (VariantBook::facility_by_calendar, facility_pv_by_calendar)
  /// summed the same way: [(v * departments + d) * calendar_years + c].
  int departments = 0, calendar_years = 0;
  std::vector<Fixed> facility_sum, facility_pv_sum;
  [[nodiscard]] double mean_facility(int v, int d, int c, bool pv) const {
    const std::size_t at = (static_cast<std::size_t>(v) * departments + d) * calendar_years + c;
    return mean((pv ? facility_pv_sum : facility_sum)[at]);
  }
  static Fixed to_fixed(double v) { return static_cast<Fixed>(std::round(v * fixed_scale)); }

  [[nodiscard]] int periods() const { return static_cast<int>(period_from.size()); }
  [[nodiscard]] int period_of_month(int m) const {
    int p = 0;
    while (p + 1 < periods() && period_from[static_cast<std::size_t>(p + 1)] <= m) ++p;
    return p;
  }
  [[nodiscard]] std::int64_t occupied_at(int v, int c, int t) const {
    return occupied[(static_cast<std::size_t>(v) * layout.cells + c) * layout.steps + t];
  }
  [[nodiscard]] double mean(Fixed sum) const {
    return iterations ? static_cast<double>(sum) / fixed_scale / static_cast<double>(iterations) : 0.0;
  }
  /// The moves of transition cost `m` at step `t`, of every category.
  [[nodiscard]] std::int64_t moved_at(int v, int m, int t) const {
    std::int64_t n = 0;
    for (int k = 0; k < move_cats[static_cast<std::size_t>(m)]; ++k) n += moved_in(v, m, k, t);
    return n;
  }
  /// The moves of transition cost `m` at step `t` by persons of category `k` of its domain's
  /// split attribute (k 0 when the domain's moves are not split).
  [[nodiscard]] std::int64_t moved_in(int v, int m, int k, int t) const {
    return moved[(static_cast<std::size_t>(v) * move_blocks + move_first[static_cast<std::size_t>(m)] + k) * layout.steps + t];
  }
};

} // namespace socinvest
