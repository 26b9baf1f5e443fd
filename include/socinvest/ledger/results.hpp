#pragma once
// The economics of each variant against the baseline, summarised across iterations: money
// by department and year, net present value, return, break-even, attribution (who invested,
// who harvests), outcomes and targets, and pay-for-results payments. Reports only format
// these; they compute nothing.
#include <socinvest/ledger/pricing.hpp>
#include <socinvest/statistics/column_store.hpp>
#include <socinvest/statistics/summary.hpp>

#include <string>
#include <vector>

namespace socinvest {

/// One figure: e.g. (variant, jobcenter, year 2, "savings_pv") and its summary.
struct MoneyRow {
  int variant = 0;
  int account = 0;
  int year = -1; ///< 0-based budget year; -1: the whole horizon
  std::string measure;
  Stat stat;
};

struct OutcomeRow {
  int variant = 0;
  std::string kind; ///< indicator | person_years | transitions
  std::string item; ///< indicator id, domain.state or domain.from->to
  std::string group; ///< all | participants
  int year = 0;
  std::string measure; ///< value | baseline | difference
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
  std::vector<double> npv_samples; ///< per iteration, in iteration order
  /// Mean flows: [investor department][harvesting department], allocation in proportion to
  /// each department's share of the positive investment (present values).
  std::vector<std::vector<double>> flows;
};

struct Results {
  const Scenario* scenario = nullptr;
  Accounts accounts;
  RunPlan plan;
  std::vector<VariantSummary> variants; ///< one per simulated variant other than the baseline
  std::vector<MoneyRow> money;
  std::vector<OutcomeRow> outcomes;
  std::vector<TargetResult> targets;
  std::vector<ContractResult> contracts;
  /// Per iteration: variant, iteration, then npv per account (for the workbook and analysts).
  std::vector<std::vector<double>> per_iteration;
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
