// Expenditure types (service, transfer, capital, tax), the servicerammen, equalisation of tax
// and neutralised transfers, against hand calculations. The scenario is deterministic:
// nobody finds a job without the project; with it, everybody is in a job from the second
// month (a risk difference of 1; the convention test_decision.cpp's closed form also uses).
#include "support.hpp"

#include <socinvest/report/tables.hpp>

#include <doctest/doctest.h>

#include <cmath>
#include <string>

using socinvest::BudgetLine;
using socinvest::ExpenditureType;

namespace {

// 100 persons, all unemployed from January 2024, two years. Per person-month: a benefit of
// 10,000 (transfer) and a co-financed benefit of 2,000 (transfer, half of it neutralised
// when switched on) while unemployed; in a job, municipal tax of 4,000 (75 % equalised to
// 'udligning') and state tax of 2,000. The project: two staff at 40,000 a month for 12
// months (service) and a 5,000 kr. renovation per household at enrolment (capital).
const char* project = R"(
scenario: types
run: {start: 2024-01, horizon_years: 2, iterations: 3, seed: 1, budget_year: 2024}
departments:
  jobcenter: {name: Jobcenter}
  treasury: {name: Kommunekassen}
  state: {name: Staten, level: state}
  udligning: {name: Udligning, level: state}
domains:
  work:
    applies_to: {role: adult, age: [18, 100]}
    states: [unemployed, job]
population:
  households: 100
  synthetic: {adults_per_household: 1, adult_age: {uniform: [30, 40]}, start_state: {work: {unemployed: 1.0}}}
costs:
  work.unemployed:
    - {department: jobcenter, amount: 10000, expenditure_type: transfer}
    - {department: jobcenter, amount: 2000, expenditure_type: transfer, neutralised_share: 0.5}
  work.job:
    - {department: treasury, amount: -4000, expenditure_type: tax,
       equalisation: {share: 0.75, to: udligning, source: "udligningsloven § 2 stk. 2"}}
    - {department: state, amount: -2000, expenditure_type: tax}
variants:
  baseline: {}
  project:
    interventions:
      team:
        start: 2024-01
        duration_months: 12
        costs:
          - {department: jobcenter, fte: 2, monthly_cost_per_fte: 40000}
          - {department: jobcenter, amount: 5000, per: household, when: enrolment, expenditure_type: capital}
        effects: [{transition: work.unemployed->job, risk_difference: 1.0}]
)";

std::unique_ptr<socinvest::Analysis> run(const socinvest::Scenario& s, bool neutralise) {
  socinvest::RunOptions o;
  o.iterations = 3;
  o.threads = 2;
  o.neutralise_transfers = neutralise;
  return socinvest::analyse(s, o);
}

/// `yaml` with its first `from` replaced by `to` (the test fails when there is none).

double cell(const socinvest::Results& r, int account, int year, BudgetLine line) {
  return r.budget_at(1, account, year, line).stat.mean;
}

} // namespace

TEST_CASE("expenditure types: a staff investment that saves transfers raises service spending and frees transfers") {
  const auto s = test::scenario(project);
  auto a = run(s, false);
  const auto& r = a->results;
  const int M = r.accounts.level(socinvest::FinancingLevel::municipality), jobcenter = test::account(r, "jobcenter"),
            treasury = test::account(r, "treasury"), udligning = test::account(r, "udligning"), state = test::account(r, "state");
  // 2024 by hand. Service: 2 x 40,000 x 12 = 960,000 more spending (merudgift).
  CHECK(cell(r, M, 2024, BudgetLine::service) == doctest::Approx(960000.0));
  // Capital: 100 households x 5,000 at enrolment (January 2024).
  CHECK(cell(r, M, 2024, BudgetLine::capital) == doctest::Approx(500000.0));
  // Transfers: everybody leaves after the first month, 11 months x 100 x (10,000 + 2,000)
  // less (mindreudgift); the neutralised share is off, so the job centre keeps all of it.
  CHECK(cell(r, M, 2024, BudgetLine::transfer) == doctest::Approx(-13200000.0));
  CHECK(cell(r, jobcenter, 2024, BudgetLine::transfer) == doctest::Approx(-13200000.0));
  CHECK(cell(r, state, 2024, BudgetLine::transfer) == doctest::Approx(0.0));
  // Tax: 11 months x 100 x 4,000 municipal tax, of which the municipality keeps 25 %:
  // 1,100,000 more revenue (income: minus); 75 % = 3,300,000 goes to 'udligning'.
  CHECK(cell(r, M, 2024, BudgetLine::tax) == doctest::Approx(-1100000.0));
  CHECK(cell(r, treasury, 2024, BudgetLine::tax) == doctest::Approx(-1100000.0));
  CHECK(cell(r, udligning, 2024, BudgetLine::tax) == doctest::Approx(-3300000.0));
  CHECK(cell(r, state, 2024, BudgetLine::tax) == doctest::Approx(-2200000.0));
  // The net line: 960,000 + 500,000 - 13,200,000 - 1,100,000 = -12,840,000, and the type
  // lines add up to it (no contracts).
  CHECK(cell(r, M, 2024, BudgetLine::net) == doctest::Approx(-12840000.0));
  // 2025: no project cost; 12 months x 100 x 12,000 transfers less; 12 x 100 x 1,000 tax kept.
  CHECK(cell(r, M, 2025, BudgetLine::service) == doctest::Approx(0.0).epsilon(1e-12));
  CHECK(cell(r, M, 2025, BudgetLine::transfer) == doctest::Approx(-14400000.0));
  CHECK(cell(r, M, 2025, BudgetLine::tax) == doctest::Approx(-1200000.0));
  for (int year : {2024, 2025})
    for (int acc : {jobcenter, treasury, udligning, state, M, r.accounts.total()}) {
      CAPTURE(year);
      CAPTURE(acc);
      const double sum = cell(r, acc, year, BudgetLine::service) + cell(r, acc, year, BudgetLine::transfer) +
                         cell(r, acc, year, BudgetLine::capital) + cell(r, acc, year, BudgetLine::tax) +
                         cell(r, acc, year, BudgetLine::contracts);
      CHECK(cell(r, acc, year, BudgetLine::net) == doctest::Approx(sum));
    }
  // Over the horizon (nominal): invested 960,000 service and 500,000 capital; saved
  // 13,200,000 + 14,400,000 = 27,600,000 transfers and 1,100,000 + 1,200,000 tax.
  CHECK(r.by_type_at(1, M, ExpenditureType::service).investment.mean == doctest::Approx(960000.0));
  CHECK(r.by_type_at(1, M, ExpenditureType::capital).investment.mean == doctest::Approx(500000.0));
  CHECK(r.by_type_at(1, M, ExpenditureType::transfer).investment.mean == doctest::Approx(0.0));
  CHECK(r.by_type_at(1, M, ExpenditureType::transfer).savings.mean == doctest::Approx(27600000.0));
  CHECK(r.by_type_at(1, M, ExpenditureType::tax).savings.mean == doctest::Approx(2300000.0));
  CHECK(r.by_type_at(1, M, ExpenditureType::service).spending.mean == doctest::Approx(960000.0));
  CHECK(r.by_type_at(1, M, ExpenditureType::transfer).spending.mean == doctest::Approx(-27600000.0));
  // The types split the account's investment and savings (present values alike).
  using socinvest::Measure;
  double inv = 0.0, sav = 0.0;
  for (const auto& e : socinvest::expenditure_type_names) {
    inv += r.by_type_at(1, M, e.value).investment_pv.mean;
    sav += r.by_type_at(1, M, e.value).savings_pv.mean;
  }
  CHECK(inv == doctest::Approx(r.money_at(1, M, -1, Measure::investment_pv).mean));
  CHECK(sav == doctest::Approx(r.money_at(1, M, -1, Measure::savings_pv).mean));
  // The words, the files: the servicerammen sentence, budget.csv's type lines, summary.json.
  const std::string words = socinvest::serviceramme_text(r, 1);
  CHECK(words.find("service spending +960") != std::string::npos);
  CHECK(words.find("raises service spending while it frees transfers") != std::string::npos);
  const std::string csv = socinvest::budget_csv(r);
  CHECK(csv.find("project,level:municipality,level,2024,B,12,service,mean,960\n") != std::string::npos);
  CHECK(csv.find("project,level:municipality,level,2024,B,12,transfer,mean,-13200\n") != std::string::npos);
  CHECK(csv.find("project,udligning,department,2024,B,12,tax,mean,-3300\n") != std::string::npos);
  socinvest::Manifest m;
  const std::string json = socinvest::summary_json(r, m);
  CHECK(json.find("\"municipality_by_type\"") != std::string::npos);
  CHECK(json.find("\"expenditure_types\"") != std::string::npos);
  CHECK(json.find("\"neutralise_transfers\": false") != std::string::npos);
  const auto rules = socinvest::budget_rules_text(r);
  REQUIRE(rules.size() == 2);
  CHECK(rules[0].find("75 % to Udligning") != std::string::npos);
  CHECK(rules[1].find("Transfers are not neutralised") != std::string::npos);
  const std::string terminal = socinvest::terminal_summary(r);
  CHECK(terminal.find("of which service") != std::string::npos);
  CHECK(terminal.find("servicerammen") != std::string::npos);
}

TEST_CASE("neutralised transfers: the neutralised share goes to the state only when switched on") {
  const auto s = test::scenario(project);
  auto on = run(s, true);
  const auto& r = on->results;
  CHECK(r.neutralised());
  const int M = r.accounts.level(socinvest::FinancingLevel::municipality), jobcenter = test::account(r, "jobcenter"),
            state = test::account(r, "state");
  // 2024: the 10,000 line is not neutralised; half of the 2,000 line's saving goes to the
  // state: 11 x 100 x (10,000 + 1,000) = 12,100,000 for the job centre, 1,100,000 the state.
  CHECK(cell(r, jobcenter, 2024, BudgetLine::transfer) == doctest::Approx(-12100000.0));
  CHECK(cell(r, M, 2024, BudgetLine::transfer) == doctest::Approx(-12100000.0));
  CHECK(cell(r, state, 2024, BudgetLine::transfer) == doctest::Approx(-1100000.0));
  // The total is the same as without the switch: the money only changes hands.
  auto off = run(s, false);
  const int T = r.accounts.total();
  CHECK(cell(r, T, 2024, BudgetLine::net) == doctest::Approx(cell(off->results, T, 2024, BudgetLine::net)));
  CHECK(cell(off->results, state, 2024, BudgetLine::transfer) == doctest::Approx(0.0));
  // Said in words, and the same from the scenario's run.neutralise_transfers.
  const auto rules = socinvest::budget_rules_text(r);
  REQUIRE(rules.size() == 2);
  CHECK(rules[1].find("Transfers neutralised (switched on)") != std::string::npos);
  std::string yaml = project;
  yaml = test::replaced(yaml, "budget_year: 2024}", "budget_year: 2024, neutralise_transfers: true}");
  const auto from_file = test::scenario(yaml);
  CHECK(from_file.run.neutralise_transfers);
  auto scenario_on = run(from_file, false);
  CHECK(scenario_on->results.neutralised());
  CHECK(cell(scenario_on->results, state, 2024, BudgetLine::transfer) == doctest::Approx(-1100000.0));
}

TEST_CASE("expenditure types: defaults, and a reimbursed line is a transfer") {
  const auto s = test::scenario(R"(
scenario: defaults
run: {start: 2024-01, horizon_years: 3, iterations: 1, seed: 1}
departments: {jobcenter: {name: J}, state: {name: S, level: state}}
reimbursement: {staircase: {weeks: [4], state_share: [0.8, 0.2]}}
domains:
  work: {applies_to: {role: adult, age: [18, 100]}, states: [unemployed, job]}
population: {households: 1, synthetic: {start_state: {work: {unemployed: 1.0}}}}
costs:
  work.unemployed:
    - {department: jobcenter, amount: 100, reimbursement: staircase}
    - {department: jobcenter, amount: 50}
variants:
  baseline: {}
  p: {interventions: {x: {start: 2024-01, costs: [{department: jobcenter, amount: 1}]}}}
)");
  const auto& lines = s.state_costs.at(0).lines;
  CHECK(lines.at(0).type == ExpenditureType::transfer); // refusion covers income transfers only
  CHECK(lines.at(1).type == ExpenditureType::service);  // the rest of the operating spending
  CHECK(lines.at(0).neutralised_share == 0.0);          // budget guarantee: kept by the municipality
  CHECK(s.variants.at(1).interventions.at(0).costs.at(0).type == ExpenditureType::service);
  CHECK(!s.run.neutralise_transfers);
}

TEST_CASE("expenditure types: the loader's messages name the file, line, column, key and what is allowed") {
  std::string yaml = project;
  yaml = test::replaced(yaml, "amount: 10000, expenditure_type: transfer", "amount: 10000, expenditure_type: transfr");
  std::string msg = test::errors_of(yaml);
  CAPTURE(msg);
  CHECK(msg.find("test.yaml:18:") != std::string::npos);
  CHECK(msg.find("costs.work.unemployed[0].expenditure_type: expected one of service, transfer, capital, tax") !=
        std::string::npos);
  CHECK(msg.find("did you mean 'transfer'?") != std::string::npos);

  yaml = project;
  yaml = test::replaced(yaml, "share: 0.75, to: udligning", "share: 1.5, to: udligning");
  msg = test::errors_of(yaml);
  CAPTURE(msg);
  CHECK(msg.find("costs.work.job[0].equalisation.share:") != std::string::npos);
  CHECK(msg.find("[0, 1]") != std::string::npos);

  yaml = project;
  yaml = test::replaced(yaml, "to: udligning", "to: udlign");
  msg = test::errors_of(yaml);
  CHECK(msg.find("costs.work.job[0].equalisation.to:") != std::string::npos);
  CHECK(msg.find("udligning") != std::string::npos);

  yaml = project;
  yaml = test::replaced(yaml, "amount: -4000, expenditure_type: tax", "amount: -4000");
  msg = test::errors_of(yaml);
  CHECK(msg.find("costs.work.job[0].equalisation: only a tax line can be equalised") != std::string::npos);

  yaml = project;
  yaml = test::replaced(yaml, "amount: 2000, expenditure_type: transfer", "amount: 2000");
  msg = test::errors_of(yaml);
  CHECK(msg.find("costs.work.unemployed[1].neutralised_share: only a transfer line can be neutralised") != std::string::npos);

  yaml = project;
  yaml = test::replaced(yaml, "  state: {name: Staten, level: state}\n", "");
  yaml = test::replaced(yaml, "{department: state, amount: -2000", "{department: treasury, amount: -2000");
  msg = test::errors_of(yaml);
  CHECK(msg.find("neutralised_share: needs a department called 'state'") != std::string::npos);

  yaml = project;
  yaml = test::replaced(yaml, "budget_year: 2024}", "budget_year: 2024, neutralise_transfers: maybe}");
  msg = test::errors_of(yaml);
  CHECK(msg.find("run.neutralise_transfers") != std::string::npos);
}
