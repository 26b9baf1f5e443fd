// How much of the result rests on each evidence grade (decision/evidence.hpp) and the sweep
// that scales every effect of one grade together (decision/sweep.hpp, grade_sweep).
//
// The hand-checkable case: two effects of different grades act in two separate domains of
// the same adults (work and housing), each with its own costs. A domain's paths use their own
// random numbers, so the savings of the two effects add up exactly: what is lost without the
// trial's effect plus what is lost without the guess is what both bring, the parts sum to
// 100 %, and without any effect the variant's paths are the baseline's, so its net present
// value is minus its investment.
#include "support.hpp"

#include <socinvest/decision/evidence.hpp>
#include <socinvest/decision/sweep.hpp>
#include <socinvest/report/html_report.hpp>
#include <socinvest/report/tables.hpp>

#include <doctest/doctest.h>

#include <cmath>
#include <string>

namespace {

const char* two_grades = R"(
scenario: evidence-shares
run: {start: 2024-01, horizon_years: 3, iterations: 6, seed: 21}
departments: {jc: {name: Jobcenter}, social: {name: Social}}
domains:
  work:
    applies_to: {role: adult, age: [18, 100]}
    states: [benefit, job]
    transitions:
      benefit: {to: {job: 0.02}}
  housing:
    applies_to: {role: adult, age: [18, 100]}
    states: [shelter, home]
    transitions:
      shelter: {to: {home: 0.03}}
population:
  households: 400
  synthetic:
    adults_per_household: 1
    adult_age: {uniform: [30, 50]}
    start_state: {work: {benefit: 1.0}, housing: {shelter: 1.0}}
costs:
  work.benefit: [{department: jc, amount: 15000}]
  housing.shelter: [{department: social, amount: 30000}]
variants:
  baseline: {}
  project:
    interventions:
      team:
        duration_months: 36
        costs: [{department: jc, fte: 2, monthly_cost_per_fte: 50000}]
        effects:
          - {transition: work.benefit->job, hazard_ratio: 2.25, evidence: {grade: randomised_trial, source: "trial"}}
          - {transition: housing.shelter->home, hazard_ratio: 1.5, evidence: {grade: expert_guess}}
)";

socinvest::RunOptions options() {
  socinvest::RunOptions o;
  o.threads = 2;
  return o;
}

double npv(const socinvest::Analysis& a) {
  return a.results.money_at(1, test::account(a.results, "total"), -1, socinvest::Measure::npv).mean;
}

} // namespace

TEST_CASE("evidence shares: switching a grade off on common random numbers; the parts of separate domains add up") {
  const auto s = test::scenario(two_grades);
  const auto all = socinvest::analyse(s, options());
  const auto shares = socinvest::evidence_shares(s, options(), all->results);
  REQUIRE(shares.size() == 1);
  const auto& e = shares[0];
  CHECK(e.variant == 1);
  CHECK(e.npv_all == doctest::Approx(npv(*all)).epsilon(1e-12));
  // No effect: the baseline's paths, so nothing is saved and the NPV is minus the investment.
  const double invested = all->results.variants[0].investment_pv.mean;
  CHECK(invested > 0.0);
  CHECK(e.npv_none == doctest::Approx(-invested).epsilon(1e-9));
  // Without the trial's effect: the same as a scenario written without it.
  const std::string without_trial = test::replaced(
      two_grades,
      "          - {transition: work.benefit->job, hazard_ratio: 2.25, evidence: {grade: randomised_trial, source: \"trial\"}}\n",
      "");
  const auto by_hand = socinvest::analyse(test::scenario(without_trial), options());
  const int trial = static_cast<int>(socinvest::EvidenceGrade::randomised_trial);
  const int guess = static_cast<int>(socinvest::EvidenceGrade::expert_guess);
  CHECK(e.npv_without[trial] == doctest::Approx(npv(*by_hand)).epsilon(1e-12));
  CHECK(std::isnan(e.npv_without[static_cast<int>(socinvest::EvidenceGrade::before_after)]));
  // Separate domains: the parts add up to what both bring, 100 %.
  CHECK(e.share(trial) > 0.0);
  CHECK(e.share(guess) > 0.0);
  CHECK(e.share(trial) + e.share(guess) == doctest::Approx(1.0).epsilon(1e-9));

  // The report's first page and summary.json say it when the run measured it.
  socinvest::Results r = std::move(all->results);
  r.evidence_shares = shares;
  socinvest::Manifest m;
  m.evidence_shares = true;
  const std::string html = socinvest::html_report(r, m);
  CHECK(html.find("How much of the net present value rests on each grade") != std::string::npos);
  CHECK(html.find("Method: the run is repeated with the effects of one grade switched off") != std::string::npos);
  const std::string json = socinvest::summary_json(r, m);
  CHECK(json.find("\"evidence_shares\": {\"npv_all\"") != std::string::npos);
  CHECK(json.find("\"grade\": \"randomised_trial\"") != std::string::npos);
}

TEST_CASE("sweep by grade: every effect of one grade scaled together") {
  const auto s = test::scenario(two_grades);
  socinvest::SweepTarget target;
  const auto g = socinvest::grade_sweep(s, options(), target, socinvest::EvidenceGrade::randomised_trial, {0.0, 0.5, 1.0});
  REQUIRE(g.at.size() == 3);
  CHECK(g.effects == 1);
  // Scale 1: the scenario as it is.
  CHECK(g.at[2].npv.mean == doctest::Approx(npv(*socinvest::analyse(s, options()))).epsilon(1e-12));
  // Scale 0.5 on a hazard ratio of 2.25: a ratio of 2.25^0.5 = 1.5, as if written so.
  const auto half = socinvest::analyse(
      test::scenario(test::replaced(two_grades, "hazard_ratio: 2.25", "hazard_ratio: 1.5")), options());
  CHECK(g.at[1].npv.mean == doctest::Approx(npv(*half)).epsilon(1e-12));
  // Scale 0: the trial's effect off (a ratio of 1), the guess untouched.
  const auto off = socinvest::analyse(
      test::scenario(test::replaced(two_grades, "hazard_ratio: 2.25", "hazard_ratio: 1.0")), options());
  CHECK(g.at[0].npv.mean == doctest::Approx(npv(*off)).epsilon(1e-12));
  CHECK(g.at[0].npv.mean < g.at[1].npv.mean);
  CHECK(g.at[1].npv.mean < g.at[2].npv.mean);
  // A grade the variant does not use, and a negative scale, are refused.
  CHECK_THROWS_AS(socinvest::grade_sweep(s, options(), target, socinvest::EvidenceGrade::before_after, {1.0}),
                  socinvest::Error);
  CHECK_THROWS_AS(socinvest::grade_sweep(s, options(), target, socinvest::EvidenceGrade::expert_guess, {-1.0}),
                  socinvest::Error);
}
