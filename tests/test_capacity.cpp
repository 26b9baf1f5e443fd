// Cashable share (realiserbar andel) and freed capacity (frigjort kapacitet), against hand
// calculations. The scenario is deterministic, as in test_expenditure_types.cpp: nobody
// leaves the placement without the project; with it, everybody has left from the second
// month (a risk difference of 1), so 11 of 12 person-months in 2024 and all 12 in 2025 are
// spared per person.
#include "support.hpp"

#include <socinvest/report/html_report.hpp>
#include <socinvest/report/tables.hpp>

#include <doctest/doctest.h>

#include <string>

using socinvest::BudgetLine;
using socinvest::Measure;

namespace {

// 100 persons placed from January 2024, two years. Per person-month in the placement: a
// takst of 10,000 of which 40 % is cashable (social), transport of 1,000 (cashable, the
// default), and casework of 2,000 whose time is not cashed at all (myndighed). The project:
// one member of staff at 30,000 a month for 12 months.
const char* project = R"(
scenario: capacity
run: {start: 2024-01, horizon_years: 2, iterations: 3, seed: 1, budget_year: 2024}
departments:
  social: {name: Socialområdet}
  myndighed: {name: Myndighed}
domains:
  care:
    applies_to: {role: adult, age: [18, 100]}
    states: [placed, home]
population:
  households: 100
  synthetic: {adults_per_household: 1, adult_age: {uniform: [30, 40]}, start_state: {care: {placed: 1.0}}}
costs:
  care.placed:
    - {department: social, amount: 10000, cashable_share: 0.4, note: "takst"}
    - {department: social, amount: 1000, note: "transport"}
    - {department: myndighed, amount: 2000, cashable_share: 0, note: "sagsbehandling"}
variants:
  baseline: {}
  project:
    interventions:
      team:
        start: 2024-01
        duration_months: 12
        costs:
          - {department: social, fte: 1, monthly_cost_per_fte: 30000}
        effects: [{transition: care.placed->home, risk_difference: 1.0}]
)";

/// A scenario and its analysis (the results point into the scenario, so it lives as long).
struct Run {
  std::unique_ptr<socinvest::Scenario> scenario;
  std::unique_ptr<socinvest::Analysis> analysis;
};
Run run(const std::string& yaml) {
  Run out{std::make_unique<socinvest::Scenario>(test::scenario(yaml)), nullptr};
  socinvest::RunOptions o;
  o.iterations = 3;
  o.threads = 2;
  out.analysis = socinvest::analyse(*out.scenario, o);
  return out;
}

double money(const socinvest::Results& r, int a, int year, Measure m) { return r.money_at(1, a, year, m).mean; }
double cell(const socinvest::Results& r, int a, int year, BudgetLine line) { return r.budget_at(1, a, year, line).stat.mean; }

} // namespace

TEST_CASE("cashable share: a 10,000 kr. state at 40 % saves 40 % of the closed form and frees 60 % as capacity") {
  auto a = run(project);
  const auto& r = a.analysis->results;
  const int social = test::account(r, "social"), myndighed = test::account(r, "myndighed"),
            M = r.accounts.level(socinvest::FinancingLevel::municipality);
  // Closed form, project year 1 (= 2024): 100 persons x 11 months fewer = 1,100 person-months.
  // The takst: 1,100 x 10,000 = 11,000,000, of which 40 % = 4,400,000 is saved and 60 % =
  // 6,600,000 freed; transport 1,100 x 1,000 = 1,100,000 saved; casework 1,100 x 2,000 =
  // 2,200,000, all freed.
  CHECK(money(r, social, 0, Measure::savings) == doctest::Approx(4400000.0 + 1100000.0));
  CHECK(money(r, social, 0, Measure::freed_capacity) == doctest::Approx(6600000.0));
  CHECK(money(r, myndighed, 0, Measure::savings) == doctest::Approx(0.0).epsilon(1e-12));
  CHECK(money(r, myndighed, 0, Measure::freed_capacity) == doctest::Approx(2200000.0));
  // Project year 2: 1,200 person-months fewer: 4,800,000 + 1,200,000 saved, 7,200,000 freed.
  CHECK(money(r, social, 1, Measure::savings) == doctest::Approx(6000000.0));
  CHECK(money(r, social, 1, Measure::freed_capacity) == doctest::Approx(7200000.0));
  // Over the horizon: 2,300 person-months: 11,500,000 saved, 13,800,000 freed (social),
  // 4,600,000 freed (casework).
  CHECK(money(r, social, -1, Measure::savings) == doctest::Approx(11500000.0));
  CHECK(money(r, social, -1, Measure::freed_capacity) == doctest::Approx(13800000.0));
  CHECK(money(r, myndighed, -1, Measure::freed_capacity) == doctest::Approx(4600000.0));
  CHECK(money(r, M, -1, Measure::freed_capacity) == doctest::Approx(18400000.0));
  // Discounting: saved and freed money of social fall in the same months in the ratio
  // 6,000 : 5,000 per person-month, so their present values keep it.
  CHECK(money(r, social, -1, Measure::freed_capacity_pv) ==
        doctest::Approx(1.2 * money(r, social, -1, Measure::savings_pv)));
  // Places: 1,100 / 12 person-years fewer in year 1; social holds 0.6 of a place per person
  // (1 - 0.4, the transport line is cashable), myndighed 1 (nothing cashed): 55 and 91.67.
  CHECK(money(r, social, 0, Measure::freed_places) == doctest::Approx(55.0));
  CHECK(money(r, myndighed, 0, Measure::freed_places) == doctest::Approx(1100.0 / 12.0));
  CHECK(money(r, social, -1, Measure::freed_places) == doctest::Approx(0.6 * 2300.0 / 12.0));
  CHECK(money(r, M, -1, Measure::freed_places) == doctest::Approx(1.6 * 2300.0 / 12.0));

  // The budget table (calendar 2024 = project year 1): freed capacity with the table's sign
  // (− is capacity freed), and NOT in net: net = 360,000 staff − 5,500,000 saved.
  CHECK(cell(r, M, 2024, BudgetLine::freed_capacity) == doctest::Approx(-8800000.0));
  CHECK(cell(r, M, 2024, BudgetLine::derived) == doctest::Approx(-5500000.0));
  CHECK(cell(r, M, 2024, BudgetLine::net) == doctest::Approx(360000.0 - 5500000.0));
  CHECK(cell(r, M, 2025, BudgetLine::freed_capacity) == doctest::Approx(-9600000.0));
  CHECK(cell(r, M, 2025, BudgetLine::net) == doctest::Approx(-6000000.0));
  for (int acc : {social, myndighed, M})
    for (int year : {2024, 2025}) {
      CAPTURE(acc);
      CAPTURE(year);
      CHECK(cell(r, acc, year, BudgetLine::net) ==
            doctest::Approx(cell(r, acc, year, BudgetLine::service) + cell(r, acc, year, BudgetLine::transfer) +
                            cell(r, acc, year, BudgetLine::capital) + cell(r, acc, year, BudgetLine::tax) +
                            cell(r, acc, year, BudgetLine::contracts)));
    }
}

TEST_CASE("cashable share: freed capacity never reaches savings, npv or the budget's net") {
  // The same scenario with only the cashable parts as costs (4,000 + 1,000 per month, no
  // casework line): every money figure but the freed capacity is the same.
  std::string cashed = test::replaced(project, "amount: 10000, cashable_share: 0.4", "amount: 4000");
  cashed = test::replaced(cashed, "    - {department: myndighed, amount: 2000, cashable_share: 0, note: \"sagsbehandling\"}\n", "");
  auto with = run(project), without = run(cashed);
  const auto &r = with.analysis->results, &q = without.analysis->results;
  const int M = r.accounts.level(socinvest::FinancingLevel::municipality);
  for (Measure m : {Measure::npv, Measure::savings_pv, Measure::investment_pv, Measure::roi})
    CHECK(money(r, M, -1, m) == doctest::Approx(money(q, M, -1, m)));
  CHECK(r.variants.at(0).npv.mean == doctest::Approx(q.variants.at(0).npv.mean));
  CHECK(cell(r, M, 2024, BudgetLine::net) == doctest::Approx(cell(q, M, 2024, BudgetLine::net)));
  CHECK(money(q, M, -1, Measure::freed_capacity) == 0.0);
  CHECK(money(q, M, -1, Measure::freed_places) == 0.0);
  CHECK(cell(q, M, 2024, BudgetLine::freed_capacity) == 0.0);
  // And the closed form in full: cashable_share 1 everywhere saves all of 1,100 x 13,000.
  std::string full = test::replaced(project, ", cashable_share: 0.4", "");
  full = test::replaced(full, ", cashable_share: 0", "");
  auto all = run(full);
  CHECK(money(all.analysis->results, M, 0, Measure::savings) == doctest::Approx(1100.0 * 13000.0));
  CHECK(money(all.analysis->results, M, 0, Measure::savings) ==
        doctest::Approx(money(r, M, 0, Measure::savings) + money(r, M, 0, Measure::freed_capacity)));
}

TEST_CASE("cashable share: only on state costs of type service or capital, in [0, 1]") {
  std::string msg = test::errors_of(test::replaced(project, "cashable_share: 0.4", "cashable_share: 1.5"));
  CAPTURE(msg);
  CHECK(msg.find("costs.care.placed[0].cashable_share:") != std::string::npos);
  CHECK(msg.find("[0, 1]") != std::string::npos);
  msg = test::errors_of(test::replaced(project, "cashable_share: 0.4", "cashable_share: 0.4, expenditure_type: transfer"));
  CHECK(msg.find("costs.care.placed[0].cashable_share: only a service or capital line has a cashable share") !=
        std::string::npos);
  msg = test::errors_of(test::replaced(project, "variants:",
                           "  transitions:\n    \"care.placed->care.home\": [{department: social, amount: 5000, "
                           "cashable_share: 0.5}]\nvariants:"));
  CHECK(msg.find("only a state cost (per person-month) has a cashable share") != std::string::npos);
  // Default 1, and capital may carry a share.
  const auto s = test::scenario(test::replaced(project, "cashable_share: 0.4,", "cashable_share: 0.4, expenditure_type: capital,"));
  CHECK(s.state_costs.at(0).lines.at(0).cashable_share == 0.4);
  CHECK(s.state_costs.at(0).lines.at(1).cashable_share == 1.0);
}

TEST_CASE("cashable share: the terminal, report.html and budget.csv show freed capacity apart from the savings") {
  auto a = run(project);
  const auto& r = a.analysis->results;
  const std::string terminal = socinvest::terminal_summary(r);
  CAPTURE(terminal);
  CHECK(terminal.find("Freed capacity") != std::string::npos);
  CHECK(terminal.find("freed capacity") != std::string::npos); // the budget table's line
  CHECK(terminal.find("not counted as a saving") != std::string::npos);
  const std::string html = socinvest::html_report(r, socinvest::Manifest{}, socinvest::Language::da);
  CHECK(html.find("class=\"freed-capacity\"") != std::string::npos);
  CHECK(html.find("Frigjort kapacitet") != std::string::npos);
  const std::string budget = socinvest::budget_csv(r);
  // 2024, the municipality, mean: -8,800,000 kr. = -8,800 in 1.000 kr.
  CHECK(budget.find("level:municipality,level,2024,B,12,freed_capacity,mean,-8") != std::string::npos);
  const std::string json = socinvest::summary_json(r, socinvest::Manifest{});
  CHECK(json.find("\"municipality_freed_capacity\"") != std::string::npos);
  // Without a share below 1 the reports stay as they were.
  std::string full = test::replaced(project, ", cashable_share: 0.4", "");
  full = test::replaced(full, ", cashable_share: 0", "");
  auto b = run(full);
  CHECK(socinvest::terminal_summary(b.analysis->results).find("reed capacity") == std::string::npos);
  CHECK(socinvest::html_report(b.analysis->results, socinvest::Manifest{}, socinvest::Language::en).find("freed-capacity") ==
        std::string::npos);
}
