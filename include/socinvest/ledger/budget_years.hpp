#pragma once
// The calendar of a Danish municipal budget: the budget year is the calendar year, and the
// budget for year B is adopted with budget estimates (overslagsår) for B+1 to B+3
// (kommunestyrelsesloven, LBK nr. 107 af 30.1.2024, § 37 stk. 1-2, with the length of the
// estimate period set by the minister; Indenrigs- og Boligministeriet, "Budget- og
// regnskabssystem for kommuner", kap. 1, budgetoverslagsår B+1..B+3). A run that starts in
// any month touches a part of its first calendar year and, unless it starts in January, of
// its last: those years are partial, and every table says so.
//
// The project years (twelve months from the run's start) are the other axis: the indicator
// year ends, targets and contracts (`at_year`) and the per-year rows of money.csv use them.
#include <socinvest/scenario/scenario.hpp>

#include <algorithm>
#include <array>
#include <cstdint>
#include <optional>
#include <string>

namespace socinvest {

/// The price level of the budget-period table: fixed prices of run.price_year, or current
/// prices of each budget year by the scenario's price_projection (PriceProjection).
enum class BudgetPrices : std::uint8_t { fixed, current, count };
inline constexpr auto budget_prices_names = std::to_array<EnumName<BudgetPrices>>({
    {BudgetPrices::fixed, "fixed"},
    {BudgetPrices::current, "current"},
});
static_assert(names_every_value(budget_prices_names));
constexpr const auto& enum_names(BudgetPrices) { return budget_prices_names; }

/// How many estimate years follow the budget year in a budget proposal.
inline constexpr int overslag_years = 3;

/// The calendar years a run's months fall in.
struct BudgetCalendar {
  int first_year = 2024;  ///< the calendar year of the run's first month
  int start_offset = 0;   ///< months of first_year before the run starts (start month - 1)
  int months = 0;         ///< months in the horizon

  explicit BudgetCalendar(const RunSettings& run)
      : first_year(run.start.year), start_offset(run.start.month - 1), months(run.horizon_months()) {}

  /// Calendar years the horizon touches.
  [[nodiscard]] int years() const { return (start_offset + months + 11) / 12; }
  /// Index (0 = first_year) of the calendar year that run month m (0 = the first) is in.
  [[nodiscard]] int index_of_month(int m) const { return (start_offset + m) / 12; }
  [[nodiscard]] int year_at(int index) const { return first_year + index; }
  /// Index of calendar year `year`; outside 0..years()-1 when the horizon does not touch it.
  [[nodiscard]] int index_of_year(int year) const { return year - first_year; }
  /// The run months [first, end) of calendar year index c that lie within the horizon.
  [[nodiscard]] int first_month(int c) const { return std::max(0, 12 * c - start_offset); }
  [[nodiscard]] int end_month(int c) const { return std::min(months, 12 * (c + 1) - start_offset); }
  /// How many of calendar year index c's twelve months the run simulates (0 outside).
  [[nodiscard]] int months_in(int c) const {
    return c < 0 || c >= years() ? 0 : end_month(c) - first_month(c);
  }
};

/// The budget year a budget-period table is for: `requested` when set (non-zero), else the
/// scenario's `run.budget_year`, else the calendar year after the run's start (the first
/// budget a municipality can still adopt when a project is decided).
inline int budget_year_for(const RunSettings& run, int requested = 0) {
  if (requested != 0) return requested;
  return run.budget_year != 0 ? run.budget_year : run.start.year + 1;
}

/// Why `year` cannot be the budget year of a run with these settings (it must be a calendar
/// year the run simulates), or nothing when it can; 0 (not given) always can.
inline std::optional<std::string> budget_year_problem(const RunSettings& run, int year) {
  if (year == 0) return std::nullopt;
  const BudgetCalendar calendar(run);
  const int last = calendar.year_at(calendar.years() - 1);
  if (year >= calendar.first_year && year <= last) return std::nullopt;
  return "budget year " + std::to_string(year) + " is not simulated: the run covers " +
         std::to_string(calendar.first_year) + " to " + std::to_string(last) + " (run.start and run.horizon_years)";
}

} // namespace socinvest
