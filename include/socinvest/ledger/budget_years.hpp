#pragma once
// The calendar of a Danish municipal budget: the budget year is the calendar year, and the
// budget for year B is adopted with budget estimates (overslagsår) for B+1 to B+3
// (kommunestyrelsesloven, LBK nr. 107 af 30.1.2024, § 37 stk. 1-2, with the length of the
// estimate period set by the minister; Indenrigs- og Boligministeriet, "Budget- og
// regnskabssystem for kommuner", kap. 1, budgetoverslagsår B+1..B+3). A run that starts in
// any month touches a part of its first calendar year and, unless it starts in January, of
// its last: those years are partial, and every table says so.
//
// The project years (twelve months from the run's start) are the other axis: targets and
// contracts (`at_year`) and the second view of the per-year results
// (money_project_years.csv, outcomes_project_years.csv) use them.
// A target or contract can name a calendar year instead (`at_budget_year`): it is measured
// (and paid) at the end of that year's December, which stays put when run.start moves
// (MeasurementPoints).
#include <socinvest/report/messages.hpp>
#include <socinvest/scenario/scenario.hpp>

#include <algorithm>
#include <array>
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

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

/// The two time axes of per-year results: calendar budget years (the primary axis, as a
/// municipality budgets: money.csv, outcomes.csv) and project years (twelve months from the
/// run's start: money_project_years.csv, outcomes_project_years.csv, and `at_year`).
enum class YearAxis : std::uint8_t { calendar, project, count };
inline constexpr auto year_axis_names = std::to_array<EnumName<YearAxis>>({
    {YearAxis::calendar, "budget_year"},
    {YearAxis::project, "project_year"},
});
static_assert(names_every_value(year_axis_names));
constexpr const auto& enum_names(YearAxis) { return year_axis_names; }

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
inline std::optional<Bilingual> budget_year_problem(const RunSettings& run, int year) {
  if (year == 0) return std::nullopt;
  const BudgetCalendar calendar(run);
  const int last = calendar.year_at(calendar.years() - 1);
  if (year >= calendar.first_year && year <= last) return std::nullopt;
  return both_languages(Msg::budget_year_not_simulated,
                        {std::to_string(year), std::to_string(calendar.first_year), std::to_string(last)});
}

/// Run months from the start to the end of December of calendar year `year` (12 for a run
/// that starts in January 2024 and year 2024; 6 for one that starts in July 2024).
inline int months_to_december(const RunSettings& run, int year) {
  return 12 * (year - run.start.year) + 13 - run.start.month;
}

/// Why indicators cannot be measured at the end of calendar year `year` in this run, or
/// nothing when they can: its December must end within the horizon, with a step.
inline std::optional<Bilingual> december_problem(const RunSettings& run, int year) {
  const int m = months_to_december(run, year);
  // The first December the run reaches is its start year's (1 to 12 months in); the last one
  // that ends within the horizon:
  const int last = run.start.year + (run.horizon_months() - months_to_december(run, run.start.year)) / 12;
  if (m <= 0 || m > run.horizon_months())
    return both_languages(Msg::december_not_simulated, {std::to_string(year), std::to_string(run.start.year),
                                                        std::to_string(last), run.start.text(),
                                                        std::to_string(run.horizon_years)});
  if (m % run.cycle_months != 0)
    return both_languages(Msg::december_steps_miss,
                          {std::to_string(run.cycle_months), run.start.text(), std::to_string(year)});
  return std::nullopt;
}

/// Where indicators are measured (the tally's `points`): first the project-year ends (point
/// y - 1 is the end of project year y), then, in order, the Decembers that targets and
/// contracts with at_budget_year need and that are not a project-year end already (in a run
/// that starts in January every December is one, and adds no point). A scenario without
/// at_budget_year has exactly the project-year points.
struct MeasurementPoints {
  int project_years = 0;
  std::vector<int> months; ///< per point: run months from the start to its end

  /// Per calendar budget year (BudgetCalendar index c): the point that ends it, or -1 when
  /// no step ends within it. That is its December; in a run whose steps do not end in
  /// December (a quarterly or yearly cycle out of line with the calendar), the last step end
  /// before it; in the last year, when the horizon ends before December, the horizon's end.
  std::vector<int> calendar;

  MeasurementPoints() = default;
  bool operator==(const MeasurementPoints&) const = default;
  explicit MeasurementPoints(const Scenario& s) : project_years(s.run.horizon_years) {
    for (int y = 1; y <= project_years; ++y) months.push_back(12 * y);
    auto need = [&](int m) {
      if (std::find(months.begin(), months.end(), m) == months.end()) months.push_back(m);
    };
    for (const auto& t : s.targets)
      if (t.at_budget_year != 0) need(months_to_december(s.run, t.at_budget_year));
    for (const auto& v : s.variants)
      for (const auto& c : v.contracts)
        if (c.at_budget_year != 0) need(months_to_december(s.run, c.at_budget_year));
    // The end of every calendar year, for the outcomes by budget year.
    const BudgetCalendar cal(s.run);
    std::vector<int> ends(static_cast<std::size_t>(cal.years()), 0);
    for (int c = 0; c < cal.years(); ++c) {
      const int end = std::min(months_to_december(s.run, cal.year_at(c)), s.run.horizon_months());
      ends[static_cast<std::size_t>(c)] = end - end % s.run.cycle_months; // the last step end in it
      if (ends[static_cast<std::size_t>(c)] > cal.first_month(c)) need(ends[static_cast<std::size_t>(c)]);
    }
    std::sort(months.begin() + project_years, months.end());
    for (int c = 0; c < cal.years(); ++c) {
      const int m = ends[static_cast<std::size_t>(c)];
      calendar.push_back(m > cal.first_month(c) ? static_cast<int>(std::find(months.begin(), months.end(), m) - months.begin())
                                                : -1);
    }
  }
  [[nodiscard]] int size() const { return static_cast<int>(months.size()); }
  /// The point of {at_year, at_budget_year} (as a target or contract gives them).
  [[nodiscard]] int of(const RunSettings& run, int at_year, int at_budget_year) const {
    if (at_budget_year == 0) return at_year - 1;
    const int m = months_to_december(run, at_budget_year);
    return static_cast<int>(std::find(months.begin(), months.end(), m) - months.begin());
  }
  /// The run month (0 = the first) at whose end the point is measured: a contract is paid in it.
  [[nodiscard]] int last_month(int point) const { return months[static_cast<std::size_t>(point)] - 1; }
};

/// When a target or contract is measured, in words: "end of 2026" or "end of project year 3".
inline std::string measured_when(int at_year, int at_budget_year) {
  return at_budget_year != 0 ? "end of " + std::to_string(at_budget_year)
                             : "end of project year " + std::to_string(at_year);
}

} // namespace socinvest
