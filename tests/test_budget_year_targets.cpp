// Targets and contracts at the end of a calendar year (at_budget_year) against a project
// year (at_year): a December stays put when run.start moves, a project year moves with it.
// Expected values in closed form: an absorbing move with monthly probability p, everybody
// starting outside, gives the share 1 - (1 - p)^m of those who have moved m months in.
#include "support.hpp"

#include <socinvest/errors.hpp>
#include <socinvest/ledger/budget_years.hpp>
#include <socinvest/report/tables.hpp>

#include <doctest/doctest.h>

#include <cmath>
#include <memory>
#include <string>

using socinvest::InvalidInput;

namespace {

constexpr double p = 0.05;
constexpr int households = 3000, iterations = 30;

/// The scenario, starting in `start`, with a target at the end of 2026 and one at the end
/// of project year 3, and a contract paid at each.
std::string absorbing(const std::string& start, const std::string& cycle = "month") {
  return R"(
scenario: at-budget-year
run: {start: )" + start + R"(, horizon_years: 3, cycle: )" + cycle + R"(, iterations: 30, seed: 7}
departments: {payer: {name: Payer}, payee: {name: Payee, level: external}}
domains:
  work:
    applies_to: {role: adult, age: [18, 100]}
    states: [u, j]
    transitions:
      u: {to: {j: 0.05}}
population:
  households: 3000
  synthetic: {adults_per_household: 1, adult_age: {uniform: [30, 40]}, start_state: {work: {u: 1.0}}}
indicators:
  in_work: {domain: work, states: [j]}
targets:
  - {indicator: in_work, among: all, at_budget_year: 2026, at_least: 0.5}
  - {indicator: in_work, among: all, at_year: 3, at_least: 0.5}
  - {indicator: in_work, among: all, at_budget_year: 2026, at_least: 0.5, label: Half in work}
variants:
  baseline: {}
  project:
    contracts:
      - {name: december, payer: payer, payee: payee, when: {indicator: in_work, among: all, at_budget_year: 2026, at_least: 0.0}, amount: 1000}
      - {name: project_year, payer: payer, payee: payee, when: {indicator: in_work, among: all, at_year: 3, at_least: 0.0}, amount: 1000}
)";
}

/// The share after m months, and whether the Monte Carlo mean is within 4.5 standard errors.
void check_share(double mean, int m) {
  const double exact = 1.0 - std::pow(1.0 - p, m);
  const double se = std::sqrt(exact * (1.0 - exact) / (static_cast<double>(households) * iterations));
  CHECK_MESSAGE(std::abs(mean - exact) < 4.5 * se, "month " << m << ": MC " << mean << ", exact " << exact << ", se " << se);
}

/// The scenario's `iterations` iterations on 2 threads with `kernel`, the books kept.
std::unique_ptr<socinvest::Analysis> run_with(const socinvest::Scenario& s, socinvest::Kernel kernel) {
  socinvest::RunOptions o;
  o.iterations = iterations;
  o.threads = 2;
  o.kernel = kernel;
  o.keep_books = true;
  return socinvest::analyse(s, o);
}

} // namespace

TEST_CASE("a target at_budget_year is measured in that December whatever run.start; at_year moves with the start") {
  struct Case {
    const char* start;
    int december_month; // months from the start to the end of December 2026
    int points;         // the project-year ends, and the Decembers that are not one (2024-2026)
  };
  for (const Case c : {Case{"2024-01", 36, 3}, Case{"2024-07", 30, 6}}) {
    const std::string start = c.start;
    CAPTURE(start);
    const auto s = test::scenario(absorbing(c.start));
    CHECK(socinvest::months_to_december(s.run, 2026) == c.december_month);
    CHECK(socinvest::MeasurementPoints(s).size() == c.points);
    for (auto kernel : {socinvest::Kernel::events, socinvest::Kernel::monthly}) {
      const std::string kernel_name = kernel == socinvest::Kernel::events ? "events" : "monthly";
      CAPTURE(kernel_name);
      const auto a = run_with(s, kernel);
      const auto& targets = a->results.targets;
      REQUIRE(targets.size() == 3); // three targets, for the project (with its baseline probabilities)
      for (const auto& t : targets) {
        const auto& tg = s.targets[static_cast<std::size_t>(t.target)];
        check_share(t.value.mean, tg.at_budget_year != 0 ? c.december_month : 36);
      }
      // The contracts are paid in the month they are measured: December 2026 is in the
      // calendar year 2026; the end of project year 3 in 2026 (January start) or 2027.
      const socinvest::BudgetCalendar calendar(s.run);
      const int c2026 = calendar.index_of_year(2026), c2027 = calendar.index_of_year(2027);
      for (const auto& book : a->books) {
        const auto& b = book.variants[1];
        REQUIRE(b.contract_payment.size() == 2);
        CHECK(b.contract_payment[0] == 1000.0);
        CHECK(b.contract_payment[1] == 1000.0);
        const int payee = static_cast<int>(s.department_index("payee"));
        const double in2026 = b.contract_by_calendar[b.at_calendar(payee, c2026)];
        const double in2027 = c2027 < calendar.years() ? b.contract_by_calendar[b.at_calendar(payee, c2027)] : 0.0;
        if (c.december_month == 36) {
          CHECK(in2026 == 2000.0);
        } else {
          CHECK(in2026 == 1000.0);
          CHECK(in2027 == 1000.0);
        }
      }
      // The outcome rows stay by project year; targets.csv says which kind of year.
      const std::string csv = socinvest::targets_csv(a->results);
      CHECK(csv.find(",2026-12,") != std::string::npos);
      CHECK(csv.find(",all,3,") != std::string::npos);
      // The summaries say "end of 2026" for the calendar year's target only (a project
      // year's keeps its words, "by year 3").
      const std::string json = socinvest::summary_json(a->results, socinvest::Manifest{});
      CHECK(json.find("\"at_budget_year\": 2026") != std::string::npos);
      const std::string text = socinvest::terminal_summary(a->results);
      CHECK(text.find("by the end of 2026: reached") != std::string::npos);
      CHECK(text.find("by year 3") != std::string::npos);
      CHECK(text.find("Half in work (end of 2026)") != std::string::npos); // a label without the year
    }
  }
}

TEST_CASE("outcomes by calendar budget year: each December's share, and person-years and moves within the year, by hand") {
  // From July 2024 for 3 years: 2024 is months 0-5 (its December ends 6 months in), 2025
  // months 6-17, 2026 months 18-29, and 2027 months 30-35, a part year whose indicators are
  // measured at the horizon's end (36 months). Everybody starts in u and moves to j with
  // probability p a month: (1 - p)^m are still in u at the start of month m.
  const auto s = test::scenario(absorbing("2024-07"));
  struct Year {
    int year, first, end;
  };
  const Year years[] = {{2024, 0, 6}, {2025, 6, 18}, {2026, 18, 30}, {2027, 30, 36}};
  for (auto kernel : {socinvest::Kernel::events, socinvest::Kernel::monthly}) {
    const std::string kernel_name = kernel == socinvest::Kernel::events ? "events" : "monthly";
    CAPTURE(kernel_name);
    const auto a = run_with(s, kernel);
    const auto& r = a->results;
    const socinvest::BudgetCalendar calendar(s.run);
    auto row = [&](socinvest::OutcomeKind kind, const std::string& item, int year) -> const socinvest::Stat* {
      for (const auto& out : r.outcomes_by_budget_year)
        if (out.variant == 0 && out.kind == kind && out.item == item && out.group == socinvest::Group::all &&
            calendar.year_at(out.year) == year && out.measure == socinvest::OutcomeMeasure::value)
          return &out.stat;
      return nullptr;
    };
    for (const Year y : years) {
      CAPTURE(y.year);
      const auto* share = row(socinvest::OutcomeKind::indicator, "in_work", y.year);
      REQUIRE(share);
      check_share(share->mean, y.end);
      double still = 0.0; // person-months in u within the year
      for (int m = y.first; m < y.end; ++m) still += households * std::pow(1.0 - p, m);
      const auto* py = row(socinvest::OutcomeKind::person_years, "work.u", y.year);
      REQUIRE(py);
      CHECK(py->mean == doctest::Approx(still / 12.0).epsilon(0.015));
      const double moved = households * (std::pow(1.0 - p, y.first) - std::pow(1.0 - p, y.end));
      const auto* mv = row(socinvest::OutcomeKind::transitions, "work.u->j", y.year);
      REQUIRE(mv);
      CHECK(mv->mean == doctest::Approx(moved).epsilon(0.015));
    }
    CHECK(row(socinvest::OutcomeKind::indicator, "in_work", 2028) == nullptr); // beyond the horizon
    // outcomes.csv: the calendar year and its months; the project years in their own file.
    const std::string csv = socinvest::outcomes_csv(r);
    CHECK(csv.rfind("variant,kind,item,group,year,months,measure,statistic,value\n", 0) == 0);
    CHECK(csv.find("baseline,indicator,in_work,all,2024,6,value,mean,") != std::string::npos);
    CHECK(csv.find("baseline,indicator,in_work,all,2027,6,value,mean,") != std::string::npos);
    const std::string by_project = socinvest::outcomes_project_years_csv(r);
    CHECK(by_project.find("baseline,indicator,in_work,all,1,2024-07 to 2025-06,value,mean,") != std::string::npos);
  }
}

TEST_CASE("at_budget_year: the loader says what is allowed") {
  const std::string ok = absorbing("2024-07");
  auto with = [&](const std::string& from, const std::string& to) {
    std::string y = ok;
    y.replace(y.find(from), from.size(), to);
    return y;
  };
  // Both, or neither.
  std::string e = test::errors_of(with("at_budget_year: 2026, at_least: 0.5", "at_year: 2, at_budget_year: 2026, at_least: 0.5"));
  CHECK(e.find("targets[0].at_budget_year") != std::string::npos);
  CHECK(e.find("not both") != std::string::npos);
  e = test::errors_of(with("at_budget_year: 2026, at_least: 0.5", "at_least: 0.5"));
  CHECK(e.find("targets[0].at_year") != std::string::npos);
  CHECK(e.find("at_budget_year") != std::string::npos);
  // A December the run does not reach (2027 ends in month 42 of 36), and one before the start.
  e = test::errors_of(with("at_budget_year: 2026, at_least: 0.5", "at_budget_year: 2027, at_least: 0.5"));
  CHECK(e.find("does not simulate 2027 to its end") != std::string::npos);
  CHECK(e.find("2024 to 2026") != std::string::npos);
  CHECK(e.find("test.yaml:") != std::string::npos); // file:line:column: key path: message
  e = test::errors_of(with("at_budget_year: 2026, at_least: 0.0", "at_budget_year: 2023, at_least: 0.0"));
  CHECK(e.find("contracts[0].when.at_budget_year") != std::string::npos);
  CHECK(e.find("does not simulate 2023") != std::string::npos);
  // Yearly steps from July end in June: no December is measured.
  e = test::errors_of(absorbing("2024-07", "year"));
  CHECK(e.find("do not end with a December") != std::string::npos);
  // Quarterly steps from January or October do end in December.
  CHECK(test::errors_of(absorbing("2024-01", "quarter")).empty());
  CHECK(test::errors_of(absorbing("2024-10", "quarter")).empty());
  CHECK(!test::errors_of(absorbing("2024-02", "quarter")).empty());
}
