#pragma once
// The economics of each variant against the baseline, summarised across iterations: money
// by department and year, net present value, return, break-even, attribution (who invested,
// who harvests), outcomes and targets, and pay-for-results payments. Reports only format
// these; they compute nothing.
//
// Every figure has a name in the files (money.csv, outcomes.csv, the workbook) and an
// enumerator here. The enumerators are the one declaration of the figures: the builder
// computes what they list, the files write their names from the tables below, and a report
// asks for a figure by enumerator (Results::money_at), so a misspelt figure does not compile
// and a figure that is not there stops the report instead of leaving an empty cell.
#include <socinvest/ledger/pricing.hpp>
#include <socinvest/ledger/repricing.hpp>
#include <socinvest/statistics/column_store.hpp>
#include <socinvest/statistics/summary.hpp>

#include <array>
#include <cstddef>
#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace socinvest {

/// What kind of number a figure is, so that every report shows it the same way (kr., a
/// ratio, a share of iterations, a budget year, a number of households, person-years).
enum class FigureKind : std::uint8_t { money, ratio, probability, year, households, person_years };

/// The money figures of a variant against the baseline, for one account (a department, a
/// financing level, the public sector or the total), per budget year or over the whole
/// horizon. A new one: an enumerator here, its entry in `money_measures`, and its value in
/// engine/ledger/results.cpp (Builder::in_year / over_horizon, switches that do not compile
/// without it). The files and the footprint estimate follow from the table.
enum class Measure : std::uint8_t {
  investment,
  investment_pv,
  gross_cost,
  gross_cost_baseline,
  savings,
  savings_pv,
  contract_net,
  net,
  net_pv,
  cumulative_net_pv,
  contract_net_pv,
  npv,
  roi,
  benefit_cost_ratio,
  break_even_year,
  p_break_even,
  // Freed capacity (frigjort kapacitet): the non-cashable part of state costs
  // (CostLine::cashable_share) that the variant no longer uses, baseline minus variant, in
  // kroner and in place-years. Reported beside the savings, never in them, nor in net, npv
  // or the budget table's net (scenarios/README.md § 11.1).
  freed_capacity,
  freed_capacity_pv,
  freed_places,
  count
};

struct MeasureInfo {
  Measure measure;
  const char* name; ///< in money.csv and the workbook
  bool per_year;    ///< has a row for each budget year
  bool horizon;     ///< has a row for the whole horizon (year -1)
  FigureKind kind;
  /// Adds up: the departments' figures sum to a level's and the total's, and the years' to
  /// the horizon's (kroner and place-years), so a pivot table may sum it. Not a cumulative,
  /// a ratio, a year or a share of iterations.
  bool additive;
};

/// Every money measure, in the order of Measure. It is also the order of an account's rows
/// (each year's per-year measures, then the horizon's) and of the workbook's columns.
inline constexpr std::array<MeasureInfo, static_cast<std::size_t>(Measure::count)> money_measures{{
    {Measure::investment, "investment", true, true, FigureKind::money, true},
    {Measure::investment_pv, "investment_pv", true, true, FigureKind::money, true},
    {Measure::gross_cost, "gross_cost", true, true, FigureKind::money, true},
    {Measure::gross_cost_baseline, "gross_cost_baseline", true, true, FigureKind::money, true},
    {Measure::savings, "savings", true, true, FigureKind::money, true},
    {Measure::savings_pv, "savings_pv", true, true, FigureKind::money, true},
    {Measure::contract_net, "contract_net", true, true, FigureKind::money, true},
    {Measure::net, "net", true, false, FigureKind::money, true},
    {Measure::net_pv, "net_pv", true, false, FigureKind::money, true},
    {Measure::cumulative_net_pv, "cumulative_net_pv", true, false, FigureKind::money, false},
    {Measure::contract_net_pv, "contract_net_pv", false, true, FigureKind::money, true},
    {Measure::npv, "npv", false, true, FigureKind::money, true},
    {Measure::roi, "roi", false, true, FigureKind::ratio, false},
    {Measure::benefit_cost_ratio, "benefit_cost_ratio", false, true, FigureKind::ratio, false},
    {Measure::break_even_year, "break_even_year", false, true, FigureKind::year, false},
    {Measure::p_break_even, "p_break_even", false, true, FigureKind::probability, false},
    {Measure::freed_capacity, "freed_capacity", true, true, FigureKind::money, true},
    {Measure::freed_capacity_pv, "freed_capacity_pv", true, true, FigureKind::money, true},
    {Measure::freed_places, "freed_places", true, true, FigureKind::person_years, true},
}};

namespace detail {
/// Whether entry k of `table` is about enumerator k (its `key` member), for every k: the
/// tables are indexed by the enumerator.
template <class Table, class Entry, class Enum>
constexpr bool in_enum_order(const Table& table, Enum Entry::*key) {
  for (std::size_t k = 0; k < table.size(); ++k)
    if (static_cast<std::size_t>(table[k].*key) != k) return false;
  return true;
}
} // namespace detail
static_assert(detail::in_enum_order(money_measures, &MeasureInfo::measure),
              "money_measures must list every Measure, in enum order");

constexpr const MeasureInfo& info(Measure m) { return money_measures[static_cast<std::size_t>(m)]; }
constexpr const char* name(Measure m) { return info(m).name; }
constexpr bool adds_up(Measure m) { return info(m).additive; }

/// What outcomes.csv counts: indicators, person-years in each state, moves between states.
enum class OutcomeKind : std::uint8_t { indicator, person_years, transitions, count };
/// What an outcome row holds: the variant's value, the baseline's (same people, no project),
/// or the difference.
enum class OutcomeMeasure : std::uint8_t { value, baseline, difference, count };

struct OutcomeKindInfo {
  OutcomeKind kind;
  const char* name; ///< in outcomes.csv and the workbook
  bool baseline_row;   ///< variants also get the baseline's value, not only the difference
};
inline constexpr std::array<OutcomeKindInfo, static_cast<std::size_t>(OutcomeKind::count)> outcome_kinds{{
    {OutcomeKind::indicator, "indicator", true},
    {OutcomeKind::person_years, "person_years", false},
    {OutcomeKind::transitions, "transitions", false},
}};
struct OutcomeMeasureInfo {
  OutcomeMeasure measure;
  const char* name;
};
inline constexpr std::array<OutcomeMeasureInfo, static_cast<std::size_t>(OutcomeMeasure::count)> outcome_measures{{
    {OutcomeMeasure::value, "value"},
    {OutcomeMeasure::baseline, "baseline"},
    {OutcomeMeasure::difference, "difference"},
}};
static_assert(detail::in_enum_order(outcome_kinds, &OutcomeKindInfo::kind),
              "outcome_kinds must list every OutcomeKind, in enum order");
static_assert(detail::in_enum_order(outcome_measures, &OutcomeMeasureInfo::measure),
              "outcome_measures must list every OutcomeMeasure, in enum order");

constexpr const OutcomeKindInfo& info(OutcomeKind k) { return outcome_kinds[static_cast<std::size_t>(k)]; }
constexpr const char* name(OutcomeKind k) { return info(k).name; }
constexpr const char* name(OutcomeMeasure m) { return outcome_measures[static_cast<std::size_t>(m)].name; }

/// The headline figures of a variant (the fields of VariantSummary), by the names that
/// summary.json, the workbook's Summary sheet and a batch's headline.csv give them; the batch
/// report reads them back from batch.csv by these names (headline_named).
enum class Headline : std::uint8_t {
  npv,
  npv_public_sector,
  npv_municipality,
  investment_pv,
  savings_pv,
  roi,
  benefit_cost_ratio,
  p_break_even,
  p_break_even_5y,
  p_break_even_10y,
  break_even_year,
  median_break_even_year,
  npv_per_household,
  npv_per_participant,
  participants,
  eligible,
  consenting,
  count
};

struct HeadlineInfo {
  Headline headline;
  const char* name;
  FigureKind kind;
  bool single; ///< one number (a share of iterations, a median), not a summary over iterations
};

inline constexpr std::array<HeadlineInfo, static_cast<std::size_t>(Headline::count)> headlines{{
    {Headline::npv, "npv", FigureKind::money, false},
    {Headline::npv_public_sector, "npv_public_sector", FigureKind::money, false},
    {Headline::npv_municipality, "npv_municipality", FigureKind::money, false},
    {Headline::investment_pv, "investment_pv", FigureKind::money, false},
    {Headline::savings_pv, "savings_pv", FigureKind::money, false},
    {Headline::roi, "roi", FigureKind::ratio, false},
    {Headline::benefit_cost_ratio, "benefit_cost_ratio", FigureKind::ratio, false},
    {Headline::p_break_even, "p_break_even", FigureKind::probability, true},
    {Headline::p_break_even_5y, "p_break_even_5y", FigureKind::probability, true},
    {Headline::p_break_even_10y, "p_break_even_10y", FigureKind::probability, true},
    {Headline::break_even_year, "break_even_year", FigureKind::year, false},
    {Headline::median_break_even_year, "median_break_even_year", FigureKind::year, true},
    {Headline::npv_per_household, "npv_per_household", FigureKind::money, false},
    {Headline::npv_per_participant, "npv_per_participant", FigureKind::money, false},
    {Headline::participants, "participants", FigureKind::households, false},
    {Headline::eligible, "eligible", FigureKind::households, false},
    {Headline::consenting, "consenting", FigureKind::households, false},
}};
static_assert(detail::in_enum_order(headlines, &HeadlineInfo::headline), "headlines must list every Headline, in enum order");

constexpr const HeadlineInfo& info(Headline h) { return headlines[static_cast<std::size_t>(h)]; }
constexpr const char* name(Headline h) { return info(h).name; }
/// The headline figure written `name`, or nothing.
std::optional<Headline> headline_named(std::string_view name);

/// What by_attribute.csv counts for each category of an attribute (results by attribute):
/// the population of the category (its persons, and its households: for a person attribute
/// the households with at least one member in it, item households_with_member), person-years
/// in each state, indicators at the end of each budget year, and the cost of services by
/// account (a person-month's money in its person's category; the interventions' costs in
/// no category).
enum class AttributeKind : std::uint8_t { population, person_years, indicator, money, count };
inline constexpr auto attribute_kind_names = std::to_array<EnumName<AttributeKind>>({
    {AttributeKind::population, "population"},
    {AttributeKind::person_years, "person_years"},
    {AttributeKind::indicator, "indicator"},
    {AttributeKind::money, "money"},
});
static_assert(names_every_value(attribute_kind_names));
constexpr const auto& enum_names(AttributeKind) { return attribute_kind_names; }

/// One row of by_attribute.csv: a variant's figure among everybody of one category of an
/// attribute (of households or persons), by calendar budget year (`year`: BudgetCalendar index; -1 the
/// whole horizon). `item` is households, households_with_member or persons, a domain.state,
/// an indicator id or an account id; `measure` the name of an OutcomeMeasure (value, baseline, difference) or of
/// a money Measure (gross_cost, gross_cost_baseline, savings, savings_pv).
struct AttributeRow {
  int variant = 0;
  int attribute = 0; ///< Scenario::attributes
  int category = 0;
  AttributeKind kind = AttributeKind::population;
  std::string item;
  int year = -1;
  const char* measure = "";
  Stat stat;
};

/// One figure: e.g. (variant, jobcenter, year 2, savings_pv) and its summary.
struct MoneyRow {
  int variant = 0;
  int account = 0;
  /// Project-year rows (Results::money): the 0-based project year, -1 the whole horizon.
  /// Budget-year rows (Results::money_by_budget_year): the 0-based index of the calendar year
  /// (BudgetCalendar: 0 is the calendar year of run.start).
  int year = -1;
  Measure measure = Measure::npv;
  Stat stat;
};

struct OutcomeRow {
  int variant = 0;
  OutcomeKind kind = OutcomeKind::indicator;
  std::string item; ///< indicator id, domain.state or domain.from->to
  Group group = Group::all;
  int year = 0;
  OutcomeMeasure measure = OutcomeMeasure::value;
  Stat stat;
};

struct TargetResult {
  int variant = 0;
  int target = 0;
  double probability = 0.0;          ///< share of iterations reaching the target
  double baseline_probability = 0.0; ///< the same people without the project
  Stat value;
};

struct ContractResult {
  int variant = 0;
  int contract = 0;
  double probability_triggered = 0.0;
  Stat payment;      ///< nominal, when due
  Stat payment_pv;
  Stat payee_return; ///< (PV received - PV invested) / PV invested, for the payee
  Stat payer_npv;    ///< payer's net present value after paying
};

/// The lines of the budget-period table (ledger/budget_years.hpp): a variant's change in
/// each account's spending against the baseline in a calendar budget year, nominal kroner
/// in fixed prices of run.price_year, with the Danish budget sign: merudgift (more
/// spending) +, mindreudgift (less spending) − (Budget- og regnskabssystem for kommuner:
/// expenditure positive, income negative).
enum class BudgetLine : std::uint8_t {
  investment, ///< the project's own costs (staff, grants, measures) in the account
  derived,    ///< derived spending on services and benefits: variant minus baseline
  contracts,  ///< pay-for-results: paid minus received
  net,        ///< the sum: the figure the budget proposal carries
  // The same change by expenditure type (ExpenditureType, scenario.hpp): investment plus
  // derived spending of that type. service + transfer + capital + tax + contracts = net.
  // `service` is what counts against the servicerammen; `capital` against the anlægsramme.
  service,
  transfer,
  capital,
  tax,
  /// Freed capacity: the change in the non-cashable part of state costs (variant minus
  /// baseline, so − is capacity freed). Not a saving: NOT part of `net`.
  freed_capacity,
  count
};
inline constexpr auto budget_line_names = std::to_array<EnumName<BudgetLine>>({
    {BudgetLine::investment, "investment"},
    {BudgetLine::derived, "derived"},
    {BudgetLine::contracts, "contracts"},
    {BudgetLine::net, "net"},
    {BudgetLine::service, "service"},
    {BudgetLine::transfer, "transfer"},
    {BudgetLine::capital, "capital"},
    {BudgetLine::tax, "tax"},
    {BudgetLine::freed_capacity, "freed_capacity"},
});
static_assert(names_every_value(budget_line_names));
constexpr const auto& enum_names(BudgetLine) { return budget_line_names; }
/// The budget line of an expenditure type.
constexpr BudgetLine budget_line(ExpenditureType t) {
  return static_cast<BudgetLine>(static_cast<int>(BudgetLine::service) + static_cast<int>(t));
}
static_assert(budget_line(ExpenditureType::tax) == BudgetLine::tax && name_of(BudgetLine::transfer)[0] == 't',
              "the type lines follow ExpenditureType's order");

/// What a variant invests and saves of one expenditure type in one account, against the
/// baseline, over the whole horizon: the split of investment and savings by type, whose sums
/// over the types are the account's investment and savings (money.csv). `spending` =
/// investment − savings, nominal: the change in that type of spending (merudgift +), so for
/// type service and the municipality, the effect on the servicerammen over the horizon.
struct ExpenditureRow {
  int variant = 0;
  int account = 0;
  ExpenditureType type = ExpenditureType::service;
  Stat investment, investment_pv, savings, savings_pv, spending;
};

/// One cell of the budget-period table.
struct BudgetRow {
  int variant = 0;
  int account = 0;
  int year = 0;   ///< calendar budget year
  int months = 0; ///< months of the year the run simulates: 12; fewer in a part year; 0 beyond the horizon (no figure)
  BudgetLine line = BudgetLine::net;
  Stat stat;
  BudgetPrices prices = BudgetPrices::fixed; ///< current only when the scenario has a price_projection
};

struct VariantSummary {
  int variant = 0;
  Stat npv, npv_public_sector, npv_municipality;
  Stat investment_pv, savings_pv;
  Stat roi, benefit_cost_ratio;
  double p_break_even = 0.0, p_break_even_5y = 0.0, p_break_even_10y = 0.0;
  Stat break_even_year; ///< over iterations that break even within the horizon (1 = first year)
  double median_break_even_year = 0.0; ///< over all iterations; infinity: not within the horizon
  Stat npv_per_household, npv_per_participant;
  Stat participants, eligible, consenting;
  /// Per success-rate effect of the variant (Variant::success_rate_effects()): the hazard
  /// ratios solved for it across iterations (montecarlo/success_rate.hpp).
  std::vector<Stat> solved_hazard_ratios;
  std::vector<double> npv_samples; ///< per iteration, in iteration order
  /// Mean flows: [investor department][harvesting department], allocation in proportion to
  /// each department's share of the positive investment (present values).
  std::vector<std::vector<double>> flows;

  /// A headline figure; a single number (`info(h).single`) as a Stat whose mean and
  /// percentiles are that number and whose standard error is 0, as headline.csv writes it.
  [[nodiscard]] Stat headline(Headline h) const;
};

/// Where each money row and each indicator row is, by its key, so that the typed lookups of
/// Results are direct. Filled by build_results together with the rows.
class ResultIndex {
public:
  void shape(int variants, int accounts, int years, int calendar_years, int indicators);
  void add_money(int variant, int account, int year, Measure measure, std::size_t row);
  void add_calendar_money(int variant, int account, int calendar_index, Measure measure, std::size_t row);
  [[nodiscard]] std::optional<std::size_t> calendar_money(int variant, int account, int calendar_index, Measure measure) const;
  void add_calendar_indicator(int variant, int indicator, Group group, int calendar_index, OutcomeMeasure measure,
                              std::size_t row);
  [[nodiscard]] std::optional<std::size_t> calendar_indicator(int variant, int indicator, Group group, int calendar_index,
                                                              OutcomeMeasure measure) const;
  void add_indicator(int variant, int indicator, Group group, int year, OutcomeMeasure measure, std::size_t row);
  [[nodiscard]] std::optional<std::size_t> money(int variant, int account, int year, Measure measure) const;
  [[nodiscard]] std::optional<std::size_t> indicator(int variant, int indicator, Group group, int year,
                                                     OutcomeMeasure measure) const;

private:
  [[nodiscard]] std::optional<std::size_t> money_key(int variant, int account, int year, Measure measure) const;
  [[nodiscard]] std::optional<std::size_t> calendar_money_key(int variant, int account, int calendar_index, Measure measure) const;
  [[nodiscard]] std::optional<std::size_t> indicator_key(int variant, int indicator, Group group, int year,
                                                         OutcomeMeasure measure) const;
  int variants_ = 0, accounts_ = 0, years_ = 0, calendar_years_ = 0, indicators_ = 0;
  // The row's position + 1 by key; 0: no such row. Dense: a few entries per row.
  std::vector<std::uint32_t> money_, calendar_money_, indicator_, calendar_indicator_;
};

/// How much of a variant's expected net present value (account total) rests on each
/// evidence grade (decision/evidence.hpp, `run --evidence-shares`): the expected NPV with
/// every effect, with none, and with the effects of each grade switched off, on common
/// random numbers.
struct EvidenceShare {
  int variant = 0;
  double npv_all = 0.0, npv_none = 0.0;
  std::array<double, evidence_grade_count> npv_without{}; ///< NaN: the variant has no effect of that grade
  /// Grade g's part of what the effects bring: (npv_all - npv_without[g]) / (npv_all -
  /// npv_none); NaN without such effects, or when the effects bring nothing.
  [[nodiscard]] double share(int grade) const;
};

struct Results {
  const Scenario* scenario = nullptr;
  Accounts accounts;
  RunPlan plan;
  std::vector<VariantSummary> variants; ///< one per simulated variant other than the baseline
  /// Money by project year (twelve months from the start) and over the whole horizon.
  std::vector<MoneyRow> money;
  /// Money by calendar budget year, the primary time axis (per-year measures only; the whole
  /// horizon's rows are in `money`): rows in the order variant, account, year, measure.
  std::vector<MoneyRow> money_by_budget_year;
  /// Outcomes by project year (`year`: 0-based; indicators at each project year's end).
  std::vector<OutcomeRow> outcomes;
  /// Outcomes by calendar budget year, the primary axis (`year`: the BudgetCalendar index;
  /// indicators at the end of the year, MeasurementPoints::calendar; person-years and moves
  /// within it).
  std::vector<OutcomeRow> outcomes_by_budget_year;
  std::vector<TargetResult> targets;
  std::vector<ContractResult> contracts;
  /// The budget-period table: budget year `budget_year` and its overslagsår, every account,
  /// every variant; rows in the order variant, account, year, line.
  int budget_year = 0;
  std::vector<BudgetRow> budget;
  /// The price level the terminal, report and workbook show the table in (--budget-prices);
  /// the CSV files have both.
  BudgetPrices budget_prices = BudgetPrices::fixed;
  /// Investment and savings by expenditure type, per variant, account and type (in that
  /// order), over the horizon.
  std::vector<ExpenditureRow> by_type;
  /// Whether the neutralised share of transfers was booked to the state (RunPlan).
  [[nodiscard]] bool neutralised() const { return plan.neutralise_transfers; }
  /// Per iteration: variant, iteration, then npv per account (for the workbook and analysts).
  std::vector<std::vector<double>> per_iteration;
  ResultIndex index; ///< where the rows of money and the indicator rows of outcomes are
  /// The quantities the workbook's re-pricing sheets price again (analyse fills it; null
  /// when the results were built otherwise).
  std::shared_ptr<const RepricingTally> repricing;
  /// Per variant compared, when asked for (decision/evidence.hpp); empty otherwise.
  std::vector<EvidenceShare> evidence_shares;
  /// Results by attribute (by_attribute.csv): per variant compared, attribute, category,
  /// kind, item, year and measure; empty without attributes.
  std::vector<AttributeRow> by_attribute;

  /// The figure `measure` of `account` in budget year `year` (0-based; -1: the whole
  /// horizon) for `variant`. Throws std::logic_error when there is no such row (a variant
  /// that was not run, or a measure without rows for that year): a report that asks for a
  /// figure the results do not have is a programming error, not an empty cell.
  [[nodiscard]] const Stat& money_at(int variant, int account, int year, Measure measure) const;
  /// The figure `measure` (a per-year measure) of `account` in calendar budget year `year`
  /// (e.g. 2026, a year the horizon touches); throws std::logic_error like money_at.
  [[nodiscard]] const Stat& money_in_budget_year(int variant, int account, int year, Measure measure) const;
  /// Indicator `indicator` (index into Scenario::indicators) among `group` at the end of
  /// budget year `year`; throws std::logic_error like money_at.
  [[nodiscard]] const Stat& indicator_at(int variant, int indicator, Group group, int year,
                                         OutcomeMeasure measure) const;
  /// The same at the end of calendar budget year `year` (e.g. 2026); nullptr when the
  /// results have no such row (a first part year in which no step ends, or another group).
  [[nodiscard]] const Stat* indicator_in_budget_year(int variant, int indicator, Group group, int year,
                                                     OutcomeMeasure measure) const;
  /// The budget-period cell (variant, account, calendar year, line); throws std::logic_error
  /// like money_at when the table has no such row.
  [[nodiscard]] const BudgetRow& budget_at(int variant, int account, int year, BudgetLine line, BudgetPrices prices) const;
  /// The same at the price level the reports show (budget_prices).
  [[nodiscard]] const BudgetRow& budget_at(int variant, int account, int year, BudgetLine line) const {
    return budget_at(variant, account, year, line, budget_prices);
  }
  /// The split of `account`'s investment and savings by type for `variant`; throws
  /// std::logic_error like money_at when there is no such row.
  [[nodiscard]] const ExpenditureRow& by_type_at(int variant, int account, ExpenditureType type) const;
  /// Whether the results hold indicator `indicator` among `group` for `variant`.
  [[nodiscard]] bool has_indicator(int variant, int indicator, Group group) const;
};

/// One iteration's value of every quantity the results summarise, in a fixed order.
std::vector<double> result_row(const Scenario& scenario, const PricingPlan& plan, const RunPlan& run,
                               const IterationBook& book);
/// How large the results of a run are, known before it runs: the values kept per iteration
/// (one row of the column store) and the rows of money and outcome tables. From the same
/// code that builds the results, so it cannot drift from them.
struct ResultShape {
  std::size_t columns = 0, money_rows = 0, outcome_rows = 0;
};
ResultShape result_shape(const Scenario& scenario, const PricingPlan& plan, const RunPlan& run);

/// The results from every iteration's row (row i: iteration i).
Results build_results(const Scenario& scenario, const PricingPlan& plan, const RunPlan& run, ColumnStore& rows);

/// First budget year (1-based) in which the cumulative discounted net turns positive, or
/// infinity. `net_pv` holds one value per year.
double break_even_year(const std::vector<double>& net_pv);

} // namespace socinvest
