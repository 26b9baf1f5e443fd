// Dated rate changes on a cost line (CostLine::changes) and the fleksløntilskud formula
// (DistributionKind::flexjob_subsidy), against hand calculations. One person stays in one
// state for the whole run (no transitions), so every month's cost is known by hand; both
// kernels must give it.
#include "support.hpp"

#include <socinvest/errors.hpp>

#include <doctest/doctest.h>

#include <string>
#include <vector>

using namespace socinvest;

namespace {

/// One person on benefit all run. `line` is the cost line of employment.benefit; `run` the
/// run section's extra keys.
std::string scenario_with(const std::string& line, const std::string& run = "start: 2025-01, horizon_years: 2",
                          const std::string& extra = "") {
  return R"(
scenario: rates
run: {)" + run + R"(, iterations: 1, seed: 3, price_year: 2025}
departments:
  jobcenter: {name: Jobcenter}
  social: {name: Social}
price_index: {2024: 100.0, 2025: 102.0}
domains:
  employment:
    applies_to: {role: adult, age: [18, 100]}
    states: [benefit, job]
population:
  households: 1
  synthetic: {adults_per_household: 1, adult_age: 30, start_state: {employment: {benefit: 1.0}}}
costs:
  employment.benefit:
    - )" + line + "\n" + extra + R"(
variants:
  baseline: {}
)";
}

const std::string ten_then_twelve =
    "{department: jobcenter, amount: 10000, expenditure_type: transfer, changes: [{from: 2025-07, amount: 12000}]}";

RunOptions options(Kernel kernel, ParameterSettings parameters = {}) {
  RunOptions o;
  o.iterations = 1;
  o.threads = 1;
  o.kernel = kernel;
  o.keep_books = true;
  o.parameters = std::move(parameters);
  return o;
}

struct Money {
  std::vector<double> project_year, calendar_year; // the account's gross cost, baseline
  double transfer = 0.0, capacity = 0.0;           // over the horizon: the transfer column, capacity
  std::vector<double> capacity_year;
};

Money money(const Scenario& s, Kernel kernel, const std::string& account = "jobcenter", ParameterSettings p = {}) {
  const auto analysis = analyse(s, options(kernel, std::move(p)));
  const int a = test::account(analysis->results, account);
  const VariantBook& b = analysis->books.at(0).variants.at(0);
  Money m;
  for (int y = 0; y < b.years; ++y) {
    m.project_year.push_back(b.gross[b.at(a, y)]);
    m.capacity_year.push_back(b.capacity[b.at(a, y)]);
  }
  for (int c = 0; c < b.calendar_years; ++c) m.calendar_year.push_back(b.gross_by_calendar[b.at_calendar(a, c)]);
  m.transfer = b.gross_by_type[VariantBook::at_type(a, ExpenditureType::transfer)];
  for (int y = 0; y < b.years; ++y) m.capacity += m.capacity_year[static_cast<std::size_t>(y)];
  return m;
}

void check(const std::vector<double>& got, const std::vector<double>& expected) {
  REQUIRE(got.size() == expected.size());
  for (std::size_t i = 0; i < got.size(); ++i) {
    CAPTURE(i);
    CHECK(got[i] == doctest::Approx(expected[i]).epsilon(1e-12));
  }
}

} // namespace

TEST_CASE("rate changes: 10,000 until June 2025 and 12,000 from July, by project and calendar year, both kernels") {
  const auto s = test::scenario(scenario_with(ten_then_twelve));
  for (Kernel kernel : {Kernel::events, Kernel::monthly}) {
    CAPTURE(static_cast<int>(kernel));
    const Money m = money(s, kernel);
    // Year 1 (2025): 6 x 10,000 + 6 x 12,000 = 132,000; year 2 (2026): 12 x 12,000 = 144,000.
    check(m.project_year, {132000.0, 144000.0});
    check(m.calendar_year, {132000.0, 144000.0});
    // The typed matrices follow the period too: the line's transfer column is the whole.
    CHECK(m.transfer == doctest::Approx(276000.0));
  }
}

TEST_CASE("rate changes: a run from October 2024 splits project and calendar years differently") {
  const auto s = test::scenario(scenario_with(ten_then_twelve, "start: 2024-10, horizon_years: 2"));
  for (Kernel kernel : {Kernel::events, Kernel::monthly}) {
    CAPTURE(static_cast<int>(kernel));
    const Money m = money(s, kernel);
    // Project year 1 = Oct 2024..Sep 2025: 9 x 10,000 + 3 x 12,000 = 126,000; year 2: 144,000.
    check(m.project_year, {126000.0, 144000.0});
    // Calendar 2024: 3 x 10,000; 2025: 6 x 10,000 + 6 x 12,000; 2026 (Jan-Sep): 9 x 12,000.
    check(m.calendar_year, {30000.0, 132000.0, 108000.0});
  }
}

TEST_CASE("rate changes: quarterly and yearly steps apply the change month by month within the step") {
  // From August: 7 x 10,000 + 5 x 12,000 = 130,000 in year 1; the change falls inside the
  // third quarter and inside the first yearly step.
  const std::string line =
      "{department: jobcenter, amount: 10000, expenditure_type: transfer, changes: [{from: 2025-08, amount: 12000}]}";
  for (const std::string cycle : {"quarter", "year"}) {
    CAPTURE(cycle);
    const auto s = test::scenario(scenario_with(line, "start: 2025-01, horizon_years: 2, cycle: " + cycle));
    for (Kernel kernel : {Kernel::events, Kernel::monthly}) {
      CAPTURE(static_cast<int>(kernel));
      const Money m = money(s, kernel);
      check(m.project_year, {130000.0, 144000.0});
      check(m.calendar_year, {130000.0, 144000.0});
    }
  }
}

TEST_CASE("rate changes: price years, changes before the start and after the horizon") {
  // The change's amount in 2024 prices: 12,000 x 102 / 100 = 12,240 in 2025 prices. A change
  // before the start (2024-06: 11,000) replaces the opening amount; one after the horizon
  // (2030-01) has no effect.
  const std::string line =
      "{department: jobcenter, amount: 10000, expenditure_type: transfer, changes: [{from: 2024-06, amount: 11000}, "
      "{from: 2025-07, amount: 12000, price_year: 2024}, {from: 2030-01, amount: 99999}]}";
  const auto s = test::scenario(scenario_with(line));
  for (Kernel kernel : {Kernel::events, Kernel::monthly}) {
    CAPTURE(static_cast<int>(kernel));
    const Money m = money(s, kernel);
    check(m.project_year, {6 * 11000.0 + 6 * 12240.0, 12 * 12240.0});
  }
  // Without its own price_year a change has the line's: both 2024 prices here.
  const auto t = test::scenario(scenario_with(
      "{department: jobcenter, amount: 10000, price_year: 2024, changes: [{from: 2025-07, amount: 12000}]}"));
  check(money(t, Kernel::events).project_year, {6 * 10200.0 + 6 * 12240.0, 12 * 12240.0});
}

TEST_CASE("rate changes: an uncertain change is a quantity of its own (central, fixed by path)") {
  const std::string line = "{department: jobcenter, amount: 10000, changes: [{from: 2025-07, amount: {uniform: [11000, 15000]}, "
                           "source: \"test\", note: \"reform\"}]}";
  const auto s = test::scenario(scenario_with(line));
  const std::string path = "costs.employment.benefit[0].changes[0].amount";
  bool listed = false;
  for (const Quantity* q : s.quantities())
    if (q->path == path) {
      listed = true;
      CHECK(q->source == "test");
      CHECK(q->dist.kind == DistributionKind::uniform);
    }
  CHECK(listed);
  REQUIRE(s.state_costs.at(0).lines.at(0).changes.size() == 1);
  CHECK(s.state_costs.at(0).lines.at(0).changes[0].note == "reform");
  ParameterSettings central;
  central.central = true; // the median, 13,000
  check(money(s, Kernel::events, "jobcenter", central).project_year, {60000.0 + 6 * 13000.0, 12 * 13000.0});
  ParameterSettings fixed;
  fixed.fixed[path] = 14000.0;
  check(money(s, Kernel::monthly, "jobcenter", fixed).project_year, {60000.0 + 6 * 14000.0, 12 * 14000.0});
}

TEST_CASE("rate changes: the cashable share splits every period's amount alike") {
  const std::string line = "{department: social, amount: 10000, cashable_share: 0.25, changes: [{from: 2025-07, amount: 12000}]}";
  const auto s = test::scenario(scenario_with(line));
  for (Kernel kernel : {Kernel::events, Kernel::monthly}) {
    CAPTURE(static_cast<int>(kernel));
    const Money m = money(s, kernel, "social");
    check(m.project_year, {0.25 * 132000.0, 0.25 * 144000.0});
    check(m.capacity_year, {0.75 * 132000.0, 0.75 * 144000.0});
  }
}

TEST_CASE("rate changes: a scenario without changes has one period (the reference prices unchanged)") {
  const auto s = test::scenario(scenario_with("{department: jobcenter, amount: 10000}"));
  check(money(s, Kernel::events).project_year, {120000.0, 120000.0});
  CHECK(s.state_costs.at(0).lines.at(0).changes.empty());
}

TEST_CASE("rate changes: bad input is reported with its key path and what is allowed") {
  auto with = [](const std::string& changes) {
    return test::errors_of(scenario_with("{department: jobcenter, amount: 10000, changes: " + changes + "}"));
  };
  std::string e = with("[{from: 2025-07, amount: 12000}, {from: 2025-07, amount: 13000}]");
  CHECK(e.find("costs.employment.benefit[0].changes[1].from") != std::string::npos);
  CHECK(e.find("strictly increasing") != std::string::npos);
  e = with("[{from: 2025-13, amount: 12000}]");
  CHECK(e.find("changes[0].from") != std::string::npos);
  CHECK(e.find("YYYY-MM") != std::string::npos);
  e = with("[{from: 2025-07}]");
  CHECK(e.find("changes[0].amount") != std::string::npos);
  CHECK(e.find("is required") != std::string::npos);
  e = with("[{from: 2025-07, amount: 12000, when: 1}]");
  CHECK(e.find("unknown key 'when'") != std::string::npos);
  e = with("{from: 2025-07, amount: 12000}");
  CHECK(e.find("expected a list of changes") != std::string::npos);
  e = with("[{from: 2025-07, amount: 12000, price_year: 2019}]");
  CHECK(e.find("price_index has no value for 2019") != std::string::npos);
  e = test::errors_of(scenario_with("{department: jobcenter, amount: 10000}", "start: 2025-01, horizon_years: 2",
                              "  transitions:\n    \"employment.benefit->employment.job\":\n"
                              "      - {department: jobcenter, amount: 500, changes: [{from: 2025-07, amount: 600}]}\n"));
  CHECK(e.find("only a state cost") != std::string::npos);
}

TEST_CASE("flexjob subsidy: § 123 of the formula at fixed wages, by hand") {
  // 2025 figures as in the catalogue: max 20,670, threshold 16,911 (GUESS-free hand numbers).
  auto subsidy = [](const std::string& wage) {
    const auto s = test::scenario(scenario_with("{department: jobcenter, amount: {flexjob_subsidy: {wage: " + wage +
                                                ", max: 20670, threshold: 16911}}}"));
    return money(s, Kernel::events).project_year.at(0) / 12.0;
  };
  CHECK(subsidy("8000") == doctest::Approx(20670.0 - 0.30 * 8000.0));                                  // 18,270
  CHECK(subsidy("20000") == doctest::Approx(20670.0 - 0.30 * 16911.0 - 0.55 * (20000.0 - 16911.0)));   // 13,897.75
  CHECK(subsidy("0") == doctest::Approx(20670.0));
  CHECK(subsidy("60000") == doctest::Approx(0.0)); // never below 0
  // The monthly kernel the same.
  const auto s = test::scenario(
      scenario_with("{department: jobcenter, amount: {flexjob_subsidy: {wage: 8000, max: 20670, threshold: 16911}}}"));
  CHECK(money(s, Kernel::monthly).project_year.at(1) == doctest::Approx(12 * 18270.0));
}

TEST_CASE("flexjob subsidy: an uncertain wage, its quantiles, mean, price year and rates") {
  const auto s = test::scenario(scenario_with(
      "{department: jobcenter, amount: {flexjob_subsidy: {wage: {uniform: [6000, 10000]}, max: 20670, threshold: 16911}}}"));
  const Distribution& d = s.state_costs.at(0).lines.at(0).amount.dist;
  REQUIRE(d.kind == DistributionKind::flexjob_subsidy);
  // A higher wage gives a lower subsidy: the 25 % quantile is at the wage's 75 % (9,000).
  CHECK(d.quantile(0.25) == doctest::Approx(20670.0 - 0.3 * 9000.0));
  CHECK(d.central() == doctest::Approx(20670.0 - 0.3 * 8000.0));
  CHECK(d.mean() == doctest::Approx(20670.0 - 0.3 * 8000.0));
  // Across the threshold: wage uniform on [16,000, 18,000], threshold 17,000: the mean is
  // 20,670 - 0.3 x E min(w, 17,000) - 0.55 x E max(0, w - 17,000)
  //      = 20,670 - 0.3 x (0.5 x 16,500 + 0.5 x 17,000) - 0.55 x 0.5 x 500 = 15,507.5.
  const auto t = test::scenario(scenario_with(
      "{department: jobcenter, amount: {flexjob_subsidy: {wage: {uniform: [16000, 18000]}, max: 20670, threshold: 17000}}}"));
  CHECK(t.state_costs.at(0).lines.at(0).amount.dist.mean() == doctest::Approx(15507.5));
  // In 2024 prices, moved to 2025 by 102/100: every kroner of the formula scales.
  const auto u = test::scenario(scenario_with("{department: jobcenter, price_year: 2024, amount: {flexjob_subsidy: "
                                              "{wage: 8000, max: 20000, threshold: 16000, low_rate: 0.2, high_rate: 0.5}}}"));
  CHECK(u.state_costs.at(0).lines.at(0).amount.dist.central() == doctest::Approx(1.02 * (20000.0 - 0.2 * 8000.0)));
  // Bad input.
  std::string e = test::errors_of(scenario_with("{department: jobcenter, amount: {flexjob_subsidy: {max: 20670, threshold: 16911}}}"));
  CHECK(e.find("flexjob_subsidy.wage") != std::string::npos);
  CHECK(e.find("is required") != std::string::npos);
  e = test::errors_of(scenario_with(
      "{department: jobcenter, amount: {flexjob_subsidy: {wage: 8000, max: 20670, threshold: 16911, low_rate: 1.3}}}"));
  CHECK(e.find("low_rate") != std::string::npos);
}

TEST_CASE("catalogue/denmark-under-30.yaml: the under-30 rates replace the cash-benefit line whole, without a warning") {
  // A young target group includes the national catalogue and then the under-30 file.
  const std::string yaml = R"(
scenario: young
include: [catalogue/denmark-2024.yaml, catalogue/denmark-under-30.yaml]
run: {start: 2024-01, horizon_years: 2, iterations: 10, seed: 1}
population:
  households: 100
  synthetic: {adults_per_household: 1, adult_age: {uniform: [18, 29]}, start_state: {employment: {cash_benefit: 1.0}}}
variants:
  baseline: {}
)";
  const Scenario s = load_scenario_text(yaml, "young.yaml", test::source_dir() + "/scenarios");
  CHECK(s.warnings.empty()); // every line of the national list is written out again
  const Domain* employment = nullptr;
  int domain = -1;
  for (std::size_t d = 0; d < s.domains.size(); ++d)
    if (s.domains[d].id == "employment") employment = &s.domains[d], domain = static_cast<int>(d);
  REQUIRE(employment);
  const StateCost* cash = nullptr;
  for (const auto& c : s.state_costs)
    if (c.domain == domain && employment->states[static_cast<std::size_t>(c.state)] == "cash_benefit") cash = &c;
  REQUIRE(cash);
  REQUIRE(cash->lines.size() == 4); // benefit, casework, municipal tax, state tax
  // LAS § 25 stk. 3, 2024, in 2024 prices: uniform 3,834..7,945, mean 5,889.5.
  CHECK(cash->lines[0].amount.dist.mean() == doctest::Approx(5889.5));
  REQUIRE(cash->lines[0].changes.size() == 1);
  CHECK(cash->lines[0].changes[0].from_month == 12); // 2025-01, a year after the start
  CHECK(cash->lines[2].amount.dist.mean() == doctest::Approx(-440.0));
  CHECK(cash->lines[3].amount.dist.mean() == doctest::Approx(-210.0));
}
