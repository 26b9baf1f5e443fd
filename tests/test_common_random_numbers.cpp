// Baseline and variants share their random numbers: a null intervention changes nothing,
// the paired difference is far less noisy than either arm, and adding a variant changes no
// other variant's results.
#include "support.hpp"

#include <socinvest/report/tables.hpp>

#include <doctest/doctest.h>

#include <cmath>

namespace {

std::string scenario_with(const std::string& variants) {
  return R"(
scenario: crn
run: {start: 2024-01, horizon_years: 6, iterations: 30, seed: 7}
departments:
  jobcenter: {name: Jobcenter}
  state: {name: Staten, level: state}
reimbursement:
  staircase: {weeks: [4, 26, 52], state_share: [0.8, 0.4, 0.3, 0.2], to: state}
domains:
  work:
    applies_to: {role: adult, age: [18, 67]}
    states: [benefit, job]
    transitions:
      benefit:
        - {months_in_state: [0, 12], to: {job: {beta: {mean: 0.04, sd: 0.01}}}}
        - {months_in_state: [12, null], to: {job: 0.015}}
      job: {to: {benefit: 0.02}}
  school:
    applies_to: {role: child, age: [6, 16]}
    states: [regular, absent]
    entry: {regular: 1.0}
    transitions:
      regular: {to: {absent: 0.02}}
      absent: {to: {regular: 0.05}}
    links:
      - {when: {household_any: {work: job}}, transition: regular->absent, hazard_ratio: 0.7}
exits: {mortality: {adult: 0.0005, child: 0.0001}, moving_away: 0.002}
population:
  households: 800
  synthetic:
    adults_per_household: {categorical: {1: 0.6, 2: 0.4}}
    children_per_household: {poisson: 1.2, max: 5}
    start_state:
      work: {benefit: 0.7, job: 0.3}
      school: {regular: 0.8, absent: 0.2}
    months_in_start_state: {work.benefit: {lognormal: {median: 24, p95: 90}}}
costs:
  work.benefit: [{department: jobcenter, amount: {gamma: {mean: 12000, sd: 1000}}, reimbursement: staircase}]
  work.job: [{department: state, amount: -8000}]
indicators:
  working: {domain: work, states: [job]}
variants:
  baseline: {}
)" + variants;
}

const std::string null_variant = R"(
  null_project:
    interventions:
      team:
        eligible: {any_member: {state: work.benefit}}
        uptake: 0.8
        capacity: {households: 100}
        start: 2024-03
        duration_months: 36
        stay_months: 12
        effects:
          - {transition: work.benefit->job, hazard_ratio: 1.0, ramp_up_months: 3, decay_half_life_months: 6}
          - {transition: school.absent->regular, risk_difference: 0.0}
)";

const std::string real_variant = R"(
  project:
    interventions:
      team:
        eligible: {any_member: {state: work.benefit}}
        uptake: 0.8
        capacity: {households: 100}
        start: 2024-03
        duration_months: 36
        stay_months: 12
        costs: [{department: jobcenter, fte: 4, monthly_cost_per_fte: 50000}]
        effects:
          - {transition: work.benefit->job, hazard_ratio: {lognormal: {median: 1.6, ci95: [1.2, 2.1]}}, ramp_up_months: 3}
)";

double variance(const std::vector<double>& v) {
  double m = 0.0, ss = 0.0;
  for (double x : v) m += x / static_cast<double>(v.size());
  for (double x : v) ss += (x - m) * (x - m);
  return ss / static_cast<double>(v.size() - 1);
}

} // namespace

TEST_CASE("a null intervention gives exactly zero difference in every iteration") {
  const auto s = test::scenario(scenario_with(null_variant));
  auto a = test::analyse(s, 30);
  const int v = s.variant_index("null_project");
  REQUIRE(v == 1);
  int participants = 0;
  for (const auto& book : a->books) {
    const auto& base = book.variants[0];
    const auto& var = book.variants[v];
    participants += var.participant_households;
    CHECK(var.gross == base.gross);             // bit for bit, every account and year
    CHECK(var.gross_pv == base.gross_pv);
    CHECK(var.person_years == base.person_years);
    CHECK(var.moves == base.moves);
    for (std::size_t i = 0; i < var.indicator_met.size(); ++i) CHECK(var.indicator_met[i] == base.indicator_met[i]);
  }
  CHECK(participants > 0); // the intervention did enrol households: the null effect was exercised
  for (const auto& row : a->results.money)
    if (row.measure == socinvest::Measure::npv || row.measure == socinvest::Measure::savings_pv) CHECK(row.stat.mean == 0.0);
}

TEST_CASE("the same test with a real effect does show a difference (the null test can fail)") {
  const auto s = test::scenario(scenario_with(real_variant));
  auto a = test::analyse(s, 10);
  int differing = 0;
  for (const auto& book : a->books) differing += book.variants[1].gross != book.variants[0].gross ? 1 : 0;
  CHECK(differing == 10);
}

TEST_CASE("common random numbers: the paired difference varies far less than either arm") {
  auto s = test::scenario(scenario_with(real_variant));
  socinvest::RunOptions o;
  o.keep_books = true;
  o.iterations = 30;
  o.threads = 2;
  o.parameters.central = true; // only individual randomness
  auto a = socinvest::analyse(s, o);
  const int total = a->results.accounts.total();
  std::vector<double> base, diff;
  for (const auto& book : a->books) {
    double b = 0.0, v = 0.0;
    for (int y = 0; y < s.run.horizon_years; ++y) {
      b += book.variants[0].gross_pv[book.variants[0].at(total, y)];
      v += book.variants[1].gross_pv[book.variants[1].at(total, y)];
    }
    base.push_back(b);
    diff.push_back(v - b);
  }
  const double ratio = variance(diff) / variance(base);
  MESSAGE("variance of the difference / variance of the baseline = " << ratio);
  CHECK(ratio < 0.1);
  CHECK(variance(diff) > 0.0);
}

TEST_CASE("adding a variant changes no other variant's results") {
  const auto one = test::scenario(scenario_with(real_variant));
  const auto two = test::scenario(scenario_with(null_variant + real_variant));
  auto a = test::analyse(one, 8);
  auto b = test::analyse(two, 8);
  const int va = one.variant_index("project"), vb = two.variant_index("project");
  for (std::size_t i = 0; i < a->books.size(); ++i) {
    CHECK(a->books[i].variants[va].gross == b->books[i].variants[vb].gross);
    CHECK(a->books[i].variants[va].invest == b->books[i].variants[vb].invest);
    CHECK(a->books[i].variants[0].gross == b->books[i].variants[0].gross);
  }
}
