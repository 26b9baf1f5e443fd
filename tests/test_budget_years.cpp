// The budget-period table against hand calculations: calendar budget years for a run that
// starts mid-year (part years, years beyond the horizon), the Danish budget sign, the
// lines adding up, the default and the chosen budget year, and the checks on it.
#include "support.hpp"

#include <socinvest/ledger/budget_years.hpp>
#include <socinvest/report/tables.hpp>
#include <socinvest/scenario/diagnostics.hpp>

#include <doctest/doctest.h>

#include <cmath>
#include <string>

using socinvest::BudgetLine;
using socinvest::Measure;

namespace {

// Starts in July: calendar 2023 has months 0-5 of the run, 2024 months 6-17, 2025 months
// 18-29, 2026 months 30-35 (a part year); 2027 is beyond the horizon.
const char* mid_year = R"(
scenario: budget
run: {start: 2023-07, horizon_years: 3, iterations: 20, seed: 5}
departments:
  jobcenter: {name: Jobcenter}
  state: {name: Staten, level: state}
  fund: {name: Fond, level: external}
reimbursement:
  staircase: {weeks: [4, 26, 52], state_share: [0.8, 0.4, 0.3, 0.2], to: state}
domains:
  work:
    applies_to: {role: adult, age: [18, 100]}
    states: [unemployed, job]
    transitions:
      unemployed: {to: {job: 0.05}}
population:
  households: 4000
  synthetic: {adults_per_household: 1, adult_age: {uniform: [30, 40]}, start_state: {work: {unemployed: 1.0}}}
costs:
  work.unemployed: [{department: jobcenter, amount: 10000, reimbursement: staircase}]
variants:
  baseline: {}
  project:
    interventions:
      team:
        start: 2023-07
        duration_months: 36
        costs:
          - {department: jobcenter, fte: 1, monthly_cost_per_fte: 50000}
          - {department: fund, total: 720000, finances: [jobcenter]}
        effects: [{transition: work.unemployed->job, hazard_ratio: 2.0}]
)";

} // namespace

TEST_CASE("budget calendar: the calendar years of a run that starts in July, by hand") {
  socinvest::RunSettings run;
  run.start = {2023, 7};
  run.horizon_years = 3;
  const socinvest::BudgetCalendar c(run);
  CHECK(c.years() == 4); // 2023 (part), 2024, 2025, 2026 (part)
  CHECK(c.index_of_month(0) == 0);
  CHECK(c.index_of_month(5) == 0);  // December 2023
  CHECK(c.index_of_month(6) == 1);  // January 2024
  CHECK(c.index_of_month(35) == 3); // June 2026
  CHECK(c.months_in(0) == 6);
  CHECK(c.months_in(1) == 12);
  CHECK(c.months_in(3) == 6);
  CHECK(c.months_in(4) == 0);
  CHECK(c.first_month(1) == 6);
  CHECK(c.end_month(3) == 36);
  CHECK(socinvest::budget_year_for(run) == 2024); // the year after the start
  run.budget_year = 2025;
  CHECK(socinvest::budget_year_for(run) == 2025);
  CHECK(socinvest::budget_year_for(run, 2026) == 2026); // --budget-year wins
  CHECK(!socinvest::budget_year_problem(run, 2023));
  CHECK(!socinvest::budget_year_problem(run, 2026));
  const auto problem = socinvest::budget_year_problem(run, 2027);
  REQUIRE(problem);
  CHECK(problem->en.find("the run covers 2023 to 2026") != std::string::npos);
  CHECK(problem->da.find("kørslen dækker 2023 til 2026") != std::string::npos);
  // A January start: calendar years are the project years.
  run.start = {2024, 1};
  const socinvest::BudgetCalendar january(run);
  CHECK(january.years() == 3);
  CHECK(january.months_in(2) == 12);
}

TEST_CASE("budget-period table: calendar years, sign and lines against the closed form") {
  const auto s = test::scenario(mid_year);
  auto a = test::analyse(s, 20);
  const auto& r = a->results;
  REQUIRE(r.budget_year == 2024);
  const int jobcenter = test::account(r, "jobcenter"), state = test::account(r, "state"), fund = test::account(r, "fund"),
            total = r.accounts.total();
  // Per run month m: staff 50,000 to the job centre, the grant 720,000 / 36 = 20,000 a month
  // from the fund, which lightens the job centre's staff by as much. Fewer unemployed with
  // the project: N (0.95^m - 0.9025^m); each saves 10,000 a month, split by the staircase.
  const double N = 4000, unit = 10000;
  auto derived = [&](int first, int end, bool for_state) {
    double sum = 0.0;
    for (int m = first; m < end; ++m) {
      const double fewer = N * (std::pow(0.95, m) - std::pow(0.9025, m));
      const double share = test::staircase_share(m);
      sum -= unit * (for_state ? share : 1.0 - share) * fewer; // less spending: negative
    }
    return sum;
  };
  struct Year {
    int year, months, first, end;
  };
  for (const Year y : {Year{2024, 12, 6, 18}, Year{2025, 12, 18, 30}, Year{2026, 6, 30, 36}}) {
    CAPTURE(y.year);
    const auto& inv = r.budget_at(1, jobcenter, y.year, BudgetLine::investment);
    CHECK(inv.months == y.months);
    CHECK(inv.stat.mean == doctest::Approx(y.months * 30000.0)); // 50,000 less the grant's 20,000
    CHECK(r.budget_at(1, fund, y.year, BudgetLine::investment).stat.mean == doctest::Approx(y.months * 20000.0));
    for (auto [a_id, for_state] : {std::pair{jobcenter, false}, std::pair{state, true}}) {
      const auto& d = r.budget_at(1, a_id, y.year, BudgetLine::derived).stat;
      const double exact = derived(y.first, y.end, for_state);
      CAPTURE(exact);
      CAPTURE(d.mean);
      CHECK(exact < 0.0); // the project saves: mindreudgift
      CHECK(std::abs(d.mean - exact) < 4.5 * d.se + 1e-6 * std::abs(exact));
    }
    // The lines add up, and the total is the sum of the departments.
    for (const int a_id : {jobcenter, state, fund, total}) {
      const double sum = r.budget_at(1, a_id, y.year, BudgetLine::investment).stat.mean +
                         r.budget_at(1, a_id, y.year, BudgetLine::derived).stat.mean +
                         r.budget_at(1, a_id, y.year, BudgetLine::contracts).stat.mean;
      CHECK(r.budget_at(1, a_id, y.year, BudgetLine::net).stat.mean == doctest::Approx(sum));
    }
    CHECK(r.budget_at(1, total, y.year, BudgetLine::net).stat.mean ==
          doctest::Approx(r.budget_at(1, jobcenter, y.year, BudgetLine::net).stat.mean +
                          r.budget_at(1, state, y.year, BudgetLine::net).stat.mean +
                          r.budget_at(1, fund, y.year, BudgetLine::net).stat.mean));
  }
  // 2027, the third overslagsår, is beyond the horizon: a row without a figure.
  const auto& beyond = r.budget_at(1, total, 2027, BudgetLine::net);
  CHECK(beyond.months == 0);
  CHECK(std::isnan(beyond.stat.mean));
  CHECK_THROWS_AS((void)r.budget_at(1, total, 2028, BudgetLine::net), std::logic_error);
  // budget.csv: in 1.000 kr., the budget year marked B.
  const std::string csv = socinvest::budget_csv(r);
  CHECK(csv.rfind("variant,account,account_kind,budget_year,period,months,line,statistic,value_1000_kr\n", 0) == 0);
  CHECK(csv.find("project,jobcenter,department,2024,B,12,investment,mean,360\n") != std::string::npos);
  CHECK(csv.find("project,fund,department,2026,B+2,6,investment,mean,120\n") != std::string::npos);
  CHECK(csv.find("project,total,total,2027,B+3,0,net,mean,\n") != std::string::npos);
  // The terminal: the years across, the part year starred, the beyond-horizon year a dash.
  const std::string text = socinvest::budget_table_text(r, 1);
  CHECK(text.find("Budget 2024 and overslagsår 2025-2027") != std::string::npos);
  CHECK(text.find("2026*") != std::string::npos);
  CHECK(text.find("- beyond the horizon") != std::string::npos);
}

TEST_CASE("money by calendar budget year: part years, present values and the project-year view, by hand") {
  const auto s = test::scenario(mid_year);
  auto a = test::analyse(s, 20);
  const auto& r = a->results;
  const int jobcenter = test::account(r, "jobcenter"), fund = test::account(r, "fund"), total = r.accounts.total();
  // The job centre's own cost is 30,000 a month (staff 50,000 less the grant's 20,000) in
  // every run month 0-35; discounted at 3.5 % a year to the middle of each month (the
  // default schedule, scenarios/README.md "discount").
  auto pv = [](int first, int end, double per_month) {
    double sum = 0.0;
    for (int m = first; m < end; ++m) sum += per_month * std::pow(1.035, -(m + 0.5) / 12.0);
    return sum;
  };
  struct Year {
    int year, first, end;
  };
  for (const Year y : {Year{2023, 0, 6}, Year{2024, 6, 18}, Year{2025, 18, 30}, Year{2026, 30, 36}}) {
    CAPTURE(y.year);
    const double months = y.end - y.first;
    CHECK(r.money_in_budget_year(1, jobcenter, y.year, Measure::investment).mean == doctest::Approx(months * 30000.0));
    CHECK(r.money_in_budget_year(1, fund, y.year, Measure::investment).mean == doctest::Approx(months * 20000.0));
    CHECK(r.money_in_budget_year(1, jobcenter, y.year, Measure::investment_pv).mean ==
          doctest::Approx(pv(y.first, y.end, 30000.0)));
  }
  CHECK_THROWS_AS((void)r.money_in_budget_year(1, jobcenter, 2027, Measure::investment), std::logic_error);
  CHECK_THROWS_AS((void)r.money_in_budget_year(1, jobcenter, 2024, Measure::npv), std::logic_error); // horizon only
  // The project years stay as the second view: twelve months from July.
  CHECK(r.money_at(1, jobcenter, 0, Measure::investment).mean == doctest::Approx(12 * 30000.0));
  CHECK(r.money_at(1, jobcenter, 0, Measure::investment_pv).mean == doctest::Approx(pv(0, 12, 30000.0)));
  // Both axes add up to the whole horizon: the last calendar year's cumulative net present
  // value is the npv.
  CHECK(r.money_in_budget_year(1, total, 2026, Measure::cumulative_net_pv).mean ==
        doctest::Approx(r.money_at(1, total, -1, Measure::npv).mean));
  // money.csv: calendar years with their months, then the horizon; the project years in
  // their own file.
  const std::string csv = socinvest::money_csv(r);
  CHECK(csv.rfind("variant,account,account_kind,year,months,measure,statistic,value\n", 0) == 0);
  CHECK(csv.find("project,jobcenter,department,2023,6,investment,mean,180000\n") != std::string::npos);
  CHECK(csv.find("project,jobcenter,department,2026,6,investment,mean,180000\n") != std::string::npos);
  CHECK(csv.find("project,fund,department,total,36,investment,mean,720000\n") != std::string::npos);
  CHECK(csv.find(",2027,") == std::string::npos);
  const std::string by_project = socinvest::money_project_years_csv(r);
  CHECK(by_project.rfind("variant,account,account_kind,project_year,period,measure,statistic,value\n", 0) == 0);
  CHECK(by_project.find("project,jobcenter,department,1,2023-07 to 2024-06,investment,mean,360000\n") != std::string::npos);
  CHECK(by_project.find("department,total,") == std::string::npos); // the horizon is in money.csv
}

TEST_CASE("budget-period table: the budget year chosen, and 2023's part year") {
  auto s = test::scenario(mid_year);
  socinvest::RunOptions o;
  o.iterations = 3;
  o.threads = 2;
  o.budget_year = 2023;
  auto a = socinvest::analyse(s, o);
  const auto& r = a->results;
  CHECK(r.budget_year == 2023);
  const int jobcenter = test::account(r, "jobcenter");
  const auto& part = r.budget_at(1, jobcenter, 2023, BudgetLine::investment);
  CHECK(part.months == 6); // July to December
  CHECK(part.stat.mean == doctest::Approx(6 * 30000.0));
  CHECK(r.budget_at(1, jobcenter, 2026, BudgetLine::investment).months == 6);
}

TEST_CASE("run.budget_year outside the simulated years is refused with the years allowed") {
  std::string yaml = mid_year;
  yaml.replace(yaml.find("seed: 5}"), 8, "seed: 5, budget_year: 2030}");
  try {
    (void)test::scenario(yaml);
    FAIL("a budget year beyond the horizon was accepted");
  } catch (const socinvest::InvalidInput& e) {
    const std::string what = e.what();
    CHECK(what.find("run.budget_year") != std::string::npos);
    CHECK(what.find("budget year 2030 is not simulated: the run covers 2023 to 2026") != std::string::npos);
  }
}

TEST_CASE("budget-period table in current prices: each type's part times its projection index, by hand") {
  // price_year 2024. Service: +5 % into 2025, and 2026 takes the last rate given (5 %);
  // transfers: +2 % into 2024 (before the price year: not used) and on from there.
  std::string yaml = mid_year;
  yaml.replace(yaml.find("seed: 5}"), 8,
               "seed: 5, price_projection: {service: {2025: 0.05}, transfer: {2024: 0.02}, source: test}}");
  const auto s = test::scenario(yaml);
  REQUIRE(s.run.price_projection.given());
  CHECK(s.run.price_projection.index(socinvest::ExpenditureType::service, 2024, 2024) == 1.0);
  CHECK(s.run.price_projection.index(socinvest::ExpenditureType::service, 2026, 2024) == doctest::Approx(1.05 * 1.05));
  CHECK(s.run.price_projection.index(socinvest::ExpenditureType::transfer, 2025, 2024) == doctest::Approx(1.02));
  CHECK(s.run.price_projection.index(socinvest::ExpenditureType::capital, 2026, 2024) == 1.0); // no rate: 0 %
  CHECK(s.run.price_projection.index(socinvest::ExpenditureType::service, 2023, 2024) == 1.0); // no rate into 2024
  auto a = test::analyse(s, 6);
  const auto& r = a->results;
  using socinvest::BudgetPrices;
  const int jobcenter = test::account(r, "jobcenter"), state = test::account(r, "state");
  CHECK(r.budget_prices == BudgetPrices::fixed); // what the reports show unless asked
  // Staff (service): 12 x 30,000 in 2025 at 1.05, 6 x 30,000 in 2026 at 1.1025.
  CHECK(r.budget_at(1, jobcenter, 2025, BudgetLine::investment, BudgetPrices::current).stat.mean ==
        doctest::Approx(360000.0 * 1.05));
  CHECK(r.budget_at(1, jobcenter, 2026, BudgetLine::investment, BudgetPrices::current).stat.mean ==
        doctest::Approx(180000.0 * 1.1025));
  CHECK(r.budget_at(1, jobcenter, 2024, BudgetLine::investment, BudgetPrices::current).stat.mean ==
        doctest::Approx(360000.0)); // the price year itself
  // The benefit (a reimbursed line: transfer) scales by 1.02 into 2025, iteration by iteration.
  for (const int a_id : {jobcenter, state}) {
    const double fixed = r.budget_at(1, a_id, 2025, BudgetLine::derived, BudgetPrices::fixed).stat.mean;
    CHECK(fixed < 0.0);
    CHECK(r.budget_at(1, a_id, 2025, BudgetLine::derived, BudgetPrices::current).stat.mean ==
          doctest::Approx(fixed * 1.02));
    CHECK(r.budget_at(1, a_id, 2025, BudgetLine::transfer, BudgetPrices::current).stat.mean ==
          doctest::Approx(r.budget_at(1, a_id, 2025, BudgetLine::transfer, BudgetPrices::fixed).stat.mean * 1.02));
  }
  // Both CSV files; budget.csv stays at fixed prices.
  CHECK(socinvest::budget_csv(r, BudgetPrices::fixed).find("project,jobcenter,department,2025,B+1,12,investment,mean,360\n") !=
        std::string::npos);
  CHECK(socinvest::budget_csv(r, BudgetPrices::current).find("project,jobcenter,department,2025,B+1,12,investment,mean,378\n") !=
        std::string::npos);
  // Without a projection there are no current-price rows.
  auto plain = test::analyse(test::scenario(mid_year), 2);
  CHECK_THROWS_AS((void)plain->results.budget_at(1, jobcenter, 2025, BudgetLine::net, BudgetPrices::current), std::logic_error);
}

TEST_CASE("price_projection: a key that is not a year, or a rate out of range, is refused with what is allowed") {
  std::string yaml = mid_year;
  yaml.replace(yaml.find("seed: 5}"), 8, "seed: 5, price_projection: {service: {next: 0.05, 2026: 3.2}, wages: {}}}");
  try {
    (void)test::scenario(yaml);
    FAIL("a bad projection was accepted");
  } catch (const socinvest::InvalidInput& e) {
    const std::string what = e.what();
    CAPTURE(what);
    CHECK(what.find("a year from 1900 to 2200") != std::string::npos);
    CHECK(what.find("a yearly rate of change from -0.5 to 0.5") != std::string::npos);
    CHECK(what.find("unknown key 'wages'") != std::string::npos);
  }
}
