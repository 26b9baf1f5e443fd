// Capacity steps (CostLine::facility): a residential facility whose cost falls only in whole
// units of places, against hand calculations month by month, for both kernels. The scenario
// is deterministic, as in test_capacity.cpp: 20 persons start in the placement and nobody
// leaves without the project; the project enrols 12 households (its capacity) in October
// 2024 and a risk difference of 1 moves all 12 home, so from November 2024 (month 10)
// 8 persons are placed. Every expected figure below is worked out by hand in the comments.
#include "support.hpp"

#include <socinvest/report/tables.hpp>

#include <doctest/doctest.h>

#include <string>

using socinvest::BudgetLine;
using socinvest::Kernel;
using socinvest::Measure;

namespace {

// 20 households of one adult, all placed from January 2024, two years. The placement costs
// 50,000 kr. per place and month in a facility of 20 places that closes units of 10 places
// once 10 places have stood empty for 3 consecutive months. The project costs nothing, so
// its savings are the facility's alone.
const char* project = R"(
scenario: capacity-steps
run: {start: 2024-01, horizon_years: 2, iterations: 2, seed: 1, budget_year: 2024}
departments:
  social: {name: Socialområdet}
domains:
  care:
    applies_to: {role: adult, age: [18, 100]}
    states: [placed, home]
population:
  households: 20
  synthetic: {adults_per_household: 1, adult_age: {uniform: [30, 40]}, start_state: {care: {placed: 1.0}}}
costs:
  care.placed:
    - {department: social, amount: 50000, facility: {places: 20, step: 10, months_empty: 3, source: "the author's facility"}}
variants:
  baseline: {}
  project:
    interventions:
      team:
        start: 2024-10
        duration_months: 12
        capacity: {households: 12}
        effects: [{transition: care.placed->home, risk_difference: 1.0}]
)";

struct Run {
  std::unique_ptr<socinvest::Scenario> scenario;
  std::unique_ptr<socinvest::Analysis> analysis;
};
Run run(const std::string& yaml, Kernel kernel) {
  Run out{std::make_unique<socinvest::Scenario>(test::scenario(yaml)), nullptr};
  socinvest::RunOptions o;
  o.iterations = 2;
  o.threads = 2;
  o.kernel = kernel;
  o.keep_books = true;
  out.analysis = socinvest::analyse(*out.scenario, o);
  return out;
}

double money(const socinvest::Results& r, int a, int year, Measure m) { return r.money_at(1, a, year, m).mean; }
double cell(const socinvest::Results& r, int a, int year, BudgetLine line) { return r.budget_at(1, a, year, line).stat.mean; }

/// The premise of every hand calculation: persons placed per month, 20 until October 2024
/// (month 9) and 8 from November (month 10), in the project; 20 throughout in the baseline.
void check_occupancy(const socinvest::Scenario& s, Kernel kernel, int months_per_step, int last_full) {
  for (int variant : {0, 1}) {
    const auto occ = test::occupancy(s, 0, 2, variant, 2, kernel);
    for (const auto& it : occ.count)
      for (std::size_t step = 0; step < it.size(); ++step) {
        CAPTURE(variant);
        CAPTURE(step);
        const int month = static_cast<int>(step) * months_per_step;
        CHECK(it[step][0] == (variant == 0 || month <= last_full ? 20.0 : 8.0));
      }
  }
}

} // namespace

TEST_CASE("capacity steps: 12 of 20 leave a 20-place facility; a unit of 10 closes after 3 empty months") {
  for (Kernel kernel : {Kernel::events, Kernel::monthly}) {
    CAPTURE(socinvest::kernel_name(kernel));
    check_occupancy(test::scenario(project), kernel, 1, 9);
    auto a = run(project, kernel);
    const auto& r = a.analysis->results;
    const int social = test::account(r, "social"), M = r.accounts.level(socinvest::FinancingLevel::municipality);
    // By hand. Baseline: 20 placed in 20 places every month, none empty: 1,000,000 a month.
    // Project: months 0-9 as the baseline. Months 10, 11, 12: 8 placed, 20 open, 12 empty
    // (at least a unit of 10) for the 1st, 2nd and 3rd month running: still paid, 1,000,000
    // a month; at the end of month 12 floor(12 / 10) = 1 unit closes, 10 places open.
    // Months 13-23: 8 placed, 10 open, 2 empty (less than a unit): 500,000 a month.
    // Savings: project year 1 (months 0-11) 0; year 2: 11 months x 10 places x 50,000 =
    // 5,500,000.
    CHECK(money(r, social, 0, Measure::savings) == doctest::Approx(0.0).epsilon(1e-12));
    CHECK(money(r, social, 1, Measure::savings) == doctest::Approx(5500000.0));
    CHECK(money(r, social, -1, Measure::savings) == doctest::Approx(5500000.0));
    // Freed capacity: the project's empty places less the baseline's (none). Year 1:
    // months 10, 11 x 12 places x 50,000 = 1,200,000; year 2: month 12 x 12 places plus
    // 11 months x 2 places = 34 place-months = 1,700,000.
    CHECK(money(r, social, 0, Measure::freed_capacity) == doctest::Approx(1200000.0));
    CHECK(money(r, social, 1, Measure::freed_capacity) == doctest::Approx(1700000.0));
    CHECK(money(r, M, -1, Measure::freed_capacity) == doctest::Approx(2900000.0));
    // Place-years: 24 / 12 = 2 in year 1, 34 / 12 in year 2.
    CHECK(money(r, social, 0, Measure::freed_places) == doctest::Approx(2.0));
    CHECK(money(r, social, 1, Measure::freed_places) == doctest::Approx(34.0 / 12.0));
    // Savings + freed capacity = persons fewer x the amount, as a takst would price it:
    // year 2: 12 persons x 12 months x 50,000 = 7,200,000.
    CHECK(money(r, social, 1, Measure::savings) + money(r, social, 1, Measure::freed_capacity) ==
          doctest::Approx(7200000.0));
    // The budget table (calendar 2024 = project year 1, merudgift +): service 2024 0,
    // 2025 -5,500,000; freed capacity -1,200,000 and -1,700,000, not in net.
    CHECK(cell(r, M, 2024, BudgetLine::service) == doctest::Approx(0.0).epsilon(1e-12));
    CHECK(cell(r, M, 2025, BudgetLine::service) == doctest::Approx(-5500000.0));
    CHECK(cell(r, M, 2025, BudgetLine::net) == doctest::Approx(-5500000.0));
    CHECK(cell(r, M, 2024, BudgetLine::freed_capacity) == doctest::Approx(-1200000.0));
    CHECK(cell(r, M, 2025, BudgetLine::freed_capacity) == doctest::Approx(-1700000.0));
    // The reports say the rule in words (budget_rules_text: terminal, report, workbook).
    bool said = false;
    for (const auto& text : socinvest::budget_rules_text(r))
      said = said || text == "Capacity steps (care.placed, Socialområdet): 20 places that close in units of 10 once that "
                             "many have stood empty for 3 months running; empty places are paid and shown as freed "
                             "capacity, closed places do not reopen.";
    CHECK(said);
    CHECK(socinvest::terminal_summary(r).find("Capacity steps (care.placed") != std::string::npos);
    // By expenditure type, over the horizon: the project's gross service cost is the
    // baseline's 24,000,000 less the 5,500,000, per iteration.
    for (const auto& book : a.analysis->books) {
      const auto &base = book.variants.at(0), &proj = book.variants.at(1);
      const auto at = socinvest::VariantBook::at_type(social, socinvest::ExpenditureType::service);
      CHECK(base.gross_by_type.at(at) == doctest::Approx(24000000.0));
      CHECK(proj.gross_by_type.at(at) == doctest::Approx(18500000.0));
      // Paid places: baseline 480 place-months; the project 13 x 20 + 11 x 10 = 370.
      CHECK(base.gross.at(base.at(social, 0)) + base.gross.at(base.at(social, 1)) == doctest::Approx(480 * 50000.0));
      CHECK(proj.gross.at(proj.at(social, 0)) + proj.gross.at(proj.at(social, 1)) == doctest::Approx(370 * 50000.0));
    }
  }
}

TEST_CASE("capacity steps: a full facility buys extra places; several units close at once; baseline steps too") {
  for (Kernel kernel : {Kernel::events, Kernel::monthly}) {
    CAPTURE(socinvest::kernel_name(kernel));
    {
      // 15 places for 20 persons: the baseline buys 5 places more at 50,000, 20 paid a
      // month, none empty. Project: months 10, 11: 8 placed, 15 open, 7 empty (a unit of 5
      // at least) for 2 months running: 15 paid; then floor(7 / 5) = 1 unit closes, 10
      // open, 2 empty from month 12. Savings year 1: 2 months x 5 places x 50,000 = 500,000;
      // year 2: 12 x 10 x 50,000 = 6,000,000. Freed: year 1 2 x 7 = 14 place-months =
      // 700,000; year 2 12 x 2 = 24 = 1,200,000.
      auto a = run(test::replaced(project, "places: 20, step: 10, months_empty: 3", "places: 15, step: 5, months_empty: 2"), kernel);
      const auto& r = a.analysis->results;
      const int social = test::account(r, "social");
      CHECK(money(r, social, 0, Measure::savings) == doctest::Approx(500000.0));
      CHECK(money(r, social, 1, Measure::savings) == doctest::Approx(6000000.0));
      CHECK(money(r, social, 0, Measure::freed_capacity) == doctest::Approx(700000.0));
      CHECK(money(r, social, 1, Measure::freed_capacity) == doctest::Approx(1200000.0));
      CHECK(money(r, social, 0, Measure::freed_places) == doctest::Approx(14.0 / 12.0));
    }
    {
      // 25 places, units of 5, 2 months: the baseline has 5 empty in months 0, 1 (paid 25),
      // then a unit closes: 20 open, none empty. The project as the baseline to month 9;
      // months 10, 11: 20 open, 8 placed, 12 empty; then floor(12 / 5) = 2 units close at
      // once: 10 open, 2 empty from month 12. Paid place-months, year 1: baseline
      // 2 x 25 + 10 x 20 = 250, project the same: saving 0; year 2: 240 against 120:
      // 6,000,000. Empty place-months: baseline year 1 10, project 10 + 24 = 34: freed 24
      // = 1,200,000; year 2: 0 against 24: 1,200,000.
      auto a = run(test::replaced(project, "places: 20, step: 10, months_empty: 3", "places: 25, step: 5, months_empty: 2"), kernel);
      const auto& r = a.analysis->results;
      const int social = test::account(r, "social");
      CHECK(money(r, social, 0, Measure::savings) == doctest::Approx(0.0).epsilon(1e-12));
      CHECK(money(r, social, 1, Measure::savings) == doctest::Approx(6000000.0));
      CHECK(money(r, social, 0, Measure::freed_capacity) == doctest::Approx(1200000.0));
      CHECK(money(r, social, 1, Measure::freed_capacity) == doctest::Approx(1200000.0));
      for (const auto& book : a.analysis->books) {
        const auto& base = book.variants.at(0);
        CHECK(base.gross.at(base.at(social, 0)) == doctest::Approx(250 * 50000.0));
        CHECK(base.gross.at(base.at(social, 1)) == doctest::Approx(240 * 50000.0));
      }
    }
  }
}

TEST_CASE("capacity steps: by quarter, each month of a step has the step's occupancy") {
  // run.cycle quarter: the project's 12 leave at the step of October-December 2024 (step
  // 3), so 20 are placed in months 0-11 and 8 from month 12. Months 12, 13, 14: 12 empty
  // (3 months running), paid; a unit closes at the end of month 14; months 15-23: 10 paid.
  // Savings: year 1 0; year 2: 9 x 10 x 50,000 = 4,500,000. Freed: year 2 3 x 12 + 9 x 2 =
  // 54 place-months = 2,700,000.
  const std::string quarterly = test::replaced(project, "run: {start: 2024-01,", "run: {cycle: quarter, start: 2024-01,");
  for (Kernel kernel : {Kernel::events, Kernel::monthly}) {
    CAPTURE(socinvest::kernel_name(kernel));
    check_occupancy(test::scenario(quarterly), kernel, 3, 11);
    auto a = run(quarterly, kernel);
    const auto& r = a.analysis->results;
    const int social = test::account(r, "social");
    CHECK(money(r, social, 0, Measure::savings) == doctest::Approx(0.0).epsilon(1e-12));
    CHECK(money(r, social, 1, Measure::savings) == doctest::Approx(4500000.0));
    CHECK(money(r, social, 0, Measure::freed_capacity) == doctest::Approx(0.0).epsilon(1e-12));
    CHECK(money(r, social, 1, Measure::freed_capacity) == doctest::Approx(2700000.0));
  }
}

TEST_CASE("capacity steps: per iteration, savings + freed capacity are what the plain takst saves") {
  // Random paths: 5 % a month leave the placement, twice the hazard in the project. A
  // facility only moves money between savings and freed capacity, iteration by iteration
  // (common random numbers: the same persons move in both scenarios), and never pays less
  // than the persons placed.
  std::string random = test::replaced(project, "    states: [placed, home]\n",
                                "    states: [placed, home]\n    transitions:\n      placed: {to: {home: 0.05}}\n");
  random = test::replaced(random, "        capacity: {households: 12}\n", "");
  random = test::replaced(random, "{transition: care.placed->home, risk_difference: 1.0}",
                    "{transition: care.placed->home, hazard_ratio: 2.0}");
  random = test::replaced(random, "households: 20\n", "households: 60\n");
  random = test::replaced(random, "places: 20, step: 10", "places: 60, step: 10");
  const std::string plain = test::replaced(random, ", facility: {places: 60, step: 10, months_empty: 3, source: \"the author's facility\"}", "");
  for (Kernel kernel : {Kernel::events, Kernel::monthly}) {
    CAPTURE(socinvest::kernel_name(kernel));
    auto f = run(random, kernel), p = run(plain, kernel);
    const int social = test::account(f.analysis->results, "social");
    REQUIRE(f.analysis->books.size() == p.analysis->books.size());
    for (std::size_t i = 0; i < f.analysis->books.size(); ++i)
      for (int y : {0, 1}) {
        const auto &fb = f.analysis->books[i].variants, &pb = p.analysis->books[i].variants;
        const auto at = fb.at(0).at(social, y);
        const double saved = fb[0].gross[at] - fb[1].gross[at], freed = fb[0].capacity[at] - fb[1].capacity[at];
        CHECK(saved + freed == doctest::Approx(pb[0].gross[at] - pb[1].gross[at]));
        for (int v : {0, 1}) CHECK(fb[v].gross[at] >= pb[v].gross[at]);
      }
  }
}

TEST_CASE("capacity steps: the facility's numbers are checked, with the key path and what is allowed") {
  std::string msg = test::errors_of(test::replaced(project, "places: 20, step: 10", "places: 20, step: 30"));
  CAPTURE(msg);
  CHECK(msg.find("costs.care.placed[0].facility.step: 30 is more than the facility's 20 places") != std::string::npos);
  CHECK(msg.find("allowed: a whole number from 1 to places") != std::string::npos);
  msg = test::errors_of(test::replaced(project, "months_empty: 3", "months_empty: 0"));
  CHECK(msg.find("costs.care.placed[0].facility.months_empty: 0 is out of range (allowed: a whole number from 1 to 1200)") !=
        std::string::npos);
  msg = test::errors_of(test::replaced(project, "places: 20, ", ""));
  CHECK(msg.find("costs.care.placed[0].facility.places: is required") != std::string::npos);
  msg = test::errors_of(test::replaced(project, "places: 20", "places: 2.5"));
  CHECK(msg.find("costs.care.placed[0].facility.places: expected a whole number") != std::string::npos);
  msg = test::errors_of(test::replaced(project, "amount: 50000,", "amount: 50000, cashable_share: 0.5,"));
  CHECK(msg.find("costs.care.placed[0].facility: a facility line is cashed in whole steps of places; it cannot also have a "
                 "cashable_share") != std::string::npos);
  msg = test::errors_of(test::replaced(project, "amount: 50000,", "amount: 50000, expenditure_type: transfer,"));
  CHECK(msg.find("costs.care.placed[0].facility: only a service or capital line can be tied to a facility") !=
        std::string::npos);
  msg = test::errors_of(test::replaced(project, "facility: {places: 20, step: 10, months_empty: 3",
                           "facility: {places: 20, step: 10, months_empty: 3, size: 4"));
  CHECK(msg.find("costs.care.placed[0].facility.size: unknown key") != std::string::npos);
  // Loaded as written; a line without the key has none.
  const auto s = test::scenario(project);
  const auto& f = s.state_costs.at(0).lines.at(0).facility;
  REQUIRE(f.has_value());
  CHECK(f->places == 20);
  CHECK(f->step == 10);
  CHECK(f->months_empty == 3);
  CHECK(f->source == "the author's facility");
  CHECK(socinvest::has_freed_capacity(s));
}

TEST_CASE("capacity steps: by calendar budget year, and at a dated rate change") {
  for (Kernel kernel : {Kernel::events, Kernel::monthly}) {
    CAPTURE(socinvest::kernel_name(kernel));
    {
      // The run starts 2024-07 and the project in 2025-04 (month 9, enrolment; they are
      // home from the next month), so the months from the start are those of the first
      // example: 8 placed from month 10 (May 2025), a unit closes at the end of month 12
      // (July 2025). Calendar 2024 (months 0-5): nothing. 2025 (months
      // 6-17): savings months 13-17 = 5 x 10 x 50,000 = 2,500,000; freed 3 x 12 + 5 x 2 =
      // 46 place-months = 2,300,000, 46 / 12 place-years. 2026 (months 18-23): savings
      // 6 x 500,000 = 3,000,000; freed 6 x 2 = 12 place-months = 600,000, 1 place-year.
      std::string shifted = test::replaced(project, "run: {start: 2024-01,", "run: {start: 2024-07,");
      shifted = test::replaced(shifted, "start: 2024-10", "start: 2025-04");
      check_occupancy(test::scenario(shifted), kernel, 1, 9);
      auto a = run(shifted, kernel);
      const auto& r = a.analysis->results;
      const int social = test::account(r, "social");
      auto in = [&](int year, Measure m) { return r.money_in_budget_year(1, social, year, m).mean; };
      CHECK(in(2024, Measure::savings) == doctest::Approx(0.0).epsilon(1e-12));
      CHECK(in(2024, Measure::freed_capacity) == doctest::Approx(0.0).epsilon(1e-12));
      CHECK(in(2025, Measure::savings) == doctest::Approx(2500000.0));
      CHECK(in(2025, Measure::freed_capacity) == doctest::Approx(2300000.0));
      CHECK(in(2025, Measure::freed_places) == doctest::Approx(46.0 / 12.0));
      CHECK(in(2026, Measure::savings) == doctest::Approx(3000000.0));
      CHECK(in(2026, Measure::freed_capacity) == doctest::Approx(600000.0));
      CHECK(in(2026, Measure::freed_places) == doctest::Approx(1.0));
      // Discounted: less than nominal, but not by more than the two years' discounting.
      CHECK(in(2026, Measure::freed_capacity_pv) < 600000.0);
      CHECK(in(2026, Measure::freed_capacity_pv) > 0.9 * 600000.0);
      // The budget table has the same months (merudgift +).
      CHECK(cell(r, r.accounts.level(socinvest::FinancingLevel::municipality), 2025, BudgetLine::freed_capacity) ==
            doctest::Approx(-2300000.0));
    }
    {
      // The first example with a new rate of 60,000 a place from July 2025 (month 18). Year
      // 2: savings months 13-17 5 x 10 x 50,000 = 2,500,000 and months 18-23 6 x 10 x
      // 60,000 = 3,600,000: 6,100,000; freed month 12 12 x 50,000 = 600,000, months 13-17
      // 5 x 2 x 50,000 = 500,000, months 18-23 6 x 2 x 60,000 = 720,000: 1,820,000.
      auto a = run(test::replaced(project, "amount: 50000,", "amount: 50000, changes: [{from: 2025-07, amount: 60000}],"), kernel);
      const auto& r = a.analysis->results;
      const int social = test::account(r, "social");
      CHECK(money(r, social, 0, Measure::savings) == doctest::Approx(0.0).epsilon(1e-12));
      CHECK(money(r, social, 0, Measure::freed_capacity) == doctest::Approx(1200000.0));
      CHECK(money(r, social, 1, Measure::savings) == doctest::Approx(6100000.0));
      CHECK(money(r, social, 1, Measure::freed_capacity) == doctest::Approx(1820000.0));
    }
  }
}
