#pragma once
// The result files of a run: tidy CSV tables in long format, summary.json with a manifest,
// and the compact summary printed in the terminal. Column definitions are in the README.
#include <socinvest/decision/sweep.hpp>
#include <socinvest/ledger/results.hpp>
#include <socinvest/report/format.hpp>
#include <socinvest/report/messages.hpp>

#include <string>
#include <string_view>
#include <vector>

namespace socinvest {

/// How a result was made: the only part of the output that may depend on the clock or the
/// number of threads.
struct Manifest {
  std::string engine_version, engine_commit;
  std::string scenario_file, scenario_hash;
  std::string command_line;
  std::string started_at; ///< UTC, ISO 8601
  std::string scenario_path; ///< absolute, to find the scenario again (reproduce)
  std::uint64_t seed = 0;
  int iterations = 0;
  int threads = 0;
  double seconds = 0.0;
  std::vector<std::string> variants; ///< the variants run besides the baseline
  bool central = false;
  std::string kernel = "events"; ///< how the months were stepped through (simulate.hpp)
  std::string formats;
  std::string lang = "en";  ///< the language of report.html (reproduce writes it again)
  int trace_households = 0; ///< --trace: households whose paths are in trace.csv
  int budget_year = 0;      ///< of the budget-period table, as the run used it
  std::string budget_prices = "fixed"; ///< the budget-period table's price level in the reports
  std::string csv = "international";   ///< the CSV files' dialect (CsvDialect, --csv)
  bool neutralise_transfers = false; ///< the neutralised share of transfers was booked to the state (as the run used it)
  bool evidence_shares = false; ///< --evidence-shares: the report says how much of the NPV rests on each grade
  std::vector<std::string> files; ///< the files read (scenario, includes), as the run named them
};

/// money.csv: per calendar budget year (with the months the run simulates in it) and over
/// the whole horizon.
std::string money_csv(const Results& results);
/// money_project_years.csv: the per-year measures by project year (the second view).
std::string money_project_years_csv(const Results& results);
/// outcomes.csv: by calendar budget year; outcomes_project_years.csv: by project year.
std::string outcomes_csv(const Results& results);
std::string outcomes_project_years_csv(const Results& results);
/// by_attribute.csv: results by attribute (Results::by_attribute), by calendar budget year
/// and over the horizon ("total"); only written when the scenario has an attribute.
std::string by_attribute_csv(const Results& results);
std::string targets_csv(const Results& results);
std::string contracts_csv(const Results& results);
std::string flows_csv(const Results& results);
std::string per_iteration_csv(const Results& results);
/// budget.csv: the budget-period table (ledger/budget_years.hpp) in 1.000 kr., nominal in
/// fixed prices of run.price_year, merudgift +, mindreudgift −.
/// budget_current_prices.csv: the same at `current` prices (when the scenario has a
/// price_projection).
std::string budget_csv(const Results& results, BudgetPrices prices = BudgetPrices::fixed);
/// The price level of the budget-period table as the reports say it: "2024 prices" or
/// "current prices (projection: SOURCE)"; Danish "2024-priser", "løbende priser (...)".
std::string budget_price_level(const Results& results, Language lang = Language::en);
/// An account as a reader sees it: a department's name (its id when it has none), a
/// financing level, the public sector or the total in `lang`.
std::string account_label(const Results& results, int account, Language lang = Language::en);
/// The budget-period table of one variant for the terminal (fits 80 columns): departments,
/// the municipality and the total, net, in 1.000 kr.
std::string budget_table_text(const Results& results, int variant, Language lang = Language::en);
/// In words, how the run treated the municipality's tax revenue (equalisation of tax lines)
/// and transfer savings (neutralisation, on or off), and each facility line's capacity steps:
/// one sentence each, empty when the scenario has none; the report, the terminal and the
/// workbook all print these.
std::vector<std::string> budget_rules_text(const Results& results, Language lang = Language::en);
/// In words, variant `variant`'s effect on the municipality's budget ceilings in budget year
/// B: the change in service spending (counts against the servicerammen) and in transfers,
/// capital and tax (outside it).
std::string serviceramme_text(const Results& results, int variant, Language lang = Language::en);
/// Whether some state cost line has a cashable share below 1 (CostLine::cashable_share) or a
/// facility (CostLine::facility), so the reports show freed capacity.
bool has_freed_capacity(const Scenario& scenario);
/// In words, variant `variant`'s freed capacity (frigjort kapacitet) for the municipality
/// over the horizon, in kroner and place-years, and that it is not in the savings; empty
/// when every cost line is cashable.
std::string freed_capacity_text(const Results& results, int variant, Language lang = Language::en);
/// The one-way sensitivity table, largest swing first.
std::string tornado_csv(const Tornado& tornado);
/// trace.csv: the header and one quoted, formula-safe row per traced person and step.
std::string trace_csv(const Scenario& scenario, const std::vector<std::string>& lines);
std::string summary_json(const Results& results, const Manifest& manifest);
/// A compact, aligned table for the terminal (fits 80 columns).
std::string terminal_summary(const Results& results, Language lang = Language::en);

/// The first and last calendar month of project year y (0-based): project years are the
/// twelve-month periods from the scenario's start (the per-year rows of money.csv, the
/// indicator year ends, `at_year`); calendar budget years (and `at_budget_year`, the
/// Decembers) are ledger/budget_years.hpp.
/// Every report's project-year labels come from it.
struct MonthSpan {
  YearMonth first, last;
};
MonthSpan project_year_months(const Scenario& scenario, int year);
/// The label of project year y (0-based): "2023-09 to 2024-08"; `between` joins the months.
std::string project_year_label(const Scenario& scenario, int year, const char* between = " to ");

/// One variant's evidence shares as a JSON object (summary.json's and compare.json's
/// "evidence_shares"): npv_all, npv_none and, per grade it has effects of, npv_without and share.
/// With `variant` (batch.json, where a unit has several variants) the object begins with
/// "variant": its id.
std::string evidence_share_json(const EvidenceShare& share, std::string_view variant = {});
/// The catalogue's text of an evidence grade.
Msg grade_message(EvidenceGrade grade);
/// How much of a variant's net present value rests on each evidence grade, as one sentence
/// (decision/evidence.hpp): with every effect, with none, and each grade's part with what is
/// lost without it. The one wording for the terminal, report.html, compare and batch;
/// `typographic_minus`: a negative part with the pages' minus sign (html_parts::pct). Plain
/// text: a page escapes it.
std::string evidence_share_text(const EvidenceShare& share, Language lang, bool typographic_minus = false);
/// The same for a terminal: wrapped to 76 columns, indented by two; `label` (the option, when
/// several are shown) before it.
std::string evidence_share_lines(const EvidenceShare& share, Language lang, const std::string& label = "");

} // namespace socinvest
