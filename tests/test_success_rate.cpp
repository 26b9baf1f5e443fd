// Effects given as net success rates (scenarios/README.md § 13.6): the engine solves, per
// iteration and on common random numbers, the hazard ratio that gives the difference asked
// for among participants (montecarlo/success_rate.hpp).
//
// The closed form: in a two-state chain a -> b (b absorbing) with monthly probability p, the
// share in b after m months is 1 - (1 - p)^m; a hazard ratio r on a -> b makes it
// 1 - (1 - p)^(r m) (the hazard -ln(1 - p) times r, constant). A difference d at month m is
// therefore given by (1 - p)^(r m) = (1 - p)^m - d, r = ln((1 - p)^m - d) / (m ln(1 - p)).
// With p = 0.05, m = 12, d = 0.10: r = ln(0.95^12 - 0.1) / (12 ln 0.95) = 1.3323...
#include "support.hpp"

#include <socinvest/montecarlo/runner.hpp>
#include <socinvest/montecarlo/success_rate.hpp>

#include <doctest/doctest.h>

#include <cmath>
#include <mutex>
#include <string>
#include <vector>

namespace {

const char* two_state = R"(
scenario: success-rate
run: {start: 2024-01, horizon_years: 2, iterations: 16, seed: 11}
departments: {d: {name: D}}
domains:
  work:
    applies_to: {role: adult, age: [18, 100]}
    states: [a, b, c]
    transitions:
      a: {to: {b: 0.05}}
population:
  households: 3000
  synthetic:
    adults_per_household: 1
    adult_age: {uniform: [30, 40]}
    start_state: {work: {a: 1.0}}
indicators:
  in_b: {label: "In b", domain: work, states: [b], role: adult}
variants:
  baseline: {}
  project:
    interventions:
      team:
        duration_months: 24
        effects:
          - on: {indicator: in_b, at_month: 12}
            difference: 0.10
            via: work.a->b
            evidence: {grade: randomised_trial, source: "a hand calculation"}
)";

/// Per iteration: the solved ratio, the drawn difference and the participants' realised
/// difference at the success rate's month (variant minus baseline, the same households).
struct Solved {
  std::vector<double> ratio, target, realised;
};

Solved solved(const socinvest::Scenario& s, int threads, socinvest::Kernel kernel = socinvest::Kernel::events) {
  socinvest::RunOptions o;
  o.threads = threads;
  o.kernel = kernel;
  const int iterations = socinvest::plan_run(s, o).iterations;
  Solved out;
  out.ratio.assign(iterations, 0.0);
  out.target.assign(iterations, 0.0);
  out.realised.assign(iterations, 0.0);
  std::mutex m;
  socinvest::run_monte_carlo(s, o, [&](const socinvest::IterationData& data) {
    const auto& sr = data.model->variants[1].success_rates.at(0);
    const double d = data.tallies[1].indicator_share(1, sr.point, sr.indicator) -
                     data.tallies[0].indicator_share(1, sr.point, sr.indicator);
    const std::lock_guard lock(m);
    out.ratio[data.iteration] = sr.hazard_ratio;
    out.target[data.iteration] = sr.difference;
    out.realised[data.iteration] = d;
  });
  return out;
}

double mean(const std::vector<double>& v) {
  double t = 0.0;
  for (double x : v) t += x;
  return t / static_cast<double>(v.size());
}

} // namespace

TEST_CASE("success rate: the solved hazard ratio of a two-state chain matches the hand calculation") {
  const auto s = test::scenario(two_state);
  const double hand = std::log(std::pow(0.95, 12) - 0.10) / (12 * std::log(0.95));
  CHECK(hand == doctest::Approx(1.3323).epsilon(1e-3));
  const Solved r = solved(s, 2);
  for (std::size_t i = 0; i < r.ratio.size(); ++i) {
    CAPTURE(i);
    // The difference reached is the target, up to a few persons of 3000 about the final
    // bracket (the realised difference is a step function of the ratio).
    CHECK(std::abs(r.realised[i] - 0.10) < 0.002);
    // One iteration's ratio: the sd of the share of 3000 persons with their clock between
    // the two exits (~0.0055) over the slope 0.95^(12 r) x 12 (-ln 0.95) ~ 0.27 of the
    // difference in r: ~0.02.
    CHECK(std::abs(r.ratio[i] - hand) < 0.1);
  }
  // Over 16 iterations: sd ~ 0.005. (An effect that started a month late would need
  // r = (ln(0.95^12 - 0.1) / ln 0.95 - 1) / 11 = 1.363: 0.03 away, six of these sd.)
  CHECK(std::abs(mean(r.ratio) - hand) < 0.02);

  // The results report the same ratios (mean over iterations), the summary and the report say so.
  const auto a = test::analyse(s, 16, 2);
  REQUIRE(a->results.variants.size() == 1);
  REQUIRE(a->results.variants[0].solved_hazard_ratios.size() == 1);
  CHECK(a->results.variants[0].solved_hazard_ratios[0].mean == doctest::Approx(mean(r.ratio)).epsilon(1e-12));
  CHECK(a->results.variants[0].solved_hazard_ratios[0].n == 16);
}

TEST_CASE("success rate: the solve does not depend on the thread count, and the kernels agree") {
  // Smaller than above (800 households, 6 iterations), to stay quick with the monthly kernel.
  const auto s = test::scenario(
      test::replaced(test::replaced(two_state, "households: 3000", "households: 800"), "iterations: 16", "iterations: 6"));
  const Solved one = solved(s, 1), two = solved(s, 2);
  CHECK(one.ratio == two.ratio);
  CHECK(one.realised == two.realised);
  // The monthly kernel (other random numbers) reaches the target too, with a ratio near the hand value.
  const Solved monthly = solved(s, 2, socinvest::Kernel::monthly);
  const double hand = std::log(std::pow(0.95, 12) - 0.10) / (12 * std::log(0.95));
  for (std::size_t i = 0; i < monthly.ratio.size(); ++i) CHECK(std::abs(monthly.realised[i] - 0.10) < 0.004);
  // 800 persons: sd ~0.04 an iteration, ~0.016 over 6.
  CHECK(std::abs(mean(monthly.ratio) - hand) < 0.06);
}

TEST_CASE("success rate: an uncertain difference via two transitions is reached in every iteration, among participants") {
  // Work or flexjob after 24 months, with returns to benefit: no closed form, but every
  // iteration's realised difference among participants (half of the households) must be
  // that iteration's drawn difference.
  const std::string yaml = R"(
scenario: success-rate-work
run: {start: 2024-01, horizon_years: 3, iterations: 6, seed: 5}
departments: {jc: {name: Jobcenter}}
domains:
  employment:
    applies_to: {role: adult, age: [18, 100]}
    states: [cash_benefit, job, flexjob]
    transitions:
      cash_benefit: {to: {job: 0.02, flexjob: 0.005}}
      job: {to: {cash_benefit: 0.01}}
population:
  households: 1600
  synthetic:
    adults_per_household: 1
    adult_age: {uniform: [30, 50]}
    start_state: {employment: {cash_benefit: 1.0}}
indicators:
  in_work: {label: "In work", domain: employment, states: [job, flexjob], role: adult}
costs:
  employment.cash_benefit: [{department: jc, amount: 15000}]
variants:
  baseline: {}
  project:
    interventions:
      team:
        uptake: 0.5
        duration_months: 36
        costs: [{department: jc, fte: 2, monthly_cost_per_fte: 50000}]
        effects:
          - on: {indicator: in_work, at_month: 24}
            difference: {triangular: {min: 0.04, mode: 0.08, max: 0.12}}
            via: [employment.cash_benefit->job, employment.cash_benefit->flexjob]
            evidence: {grade: quasi_experimental, source: "a test"}
)";
  const auto s = test::scenario(yaml);
  const Solved r = solved(s, 2);
  bool varied = false;
  for (std::size_t i = 0; i < r.ratio.size(); ++i) {
    CAPTURE(i);
    CHECK(r.ratio[i] > 1.0);
    // ~800 participants: a person is 0.00125.
    CHECK(std::abs(r.realised[i] - r.target[i]) < 0.006);
    varied = varied || std::abs(r.target[i] - r.target[0]) > 1e-6;
  }
  CHECK(varied); // the difference is drawn per iteration
  CHECK(mean(r.target) == doctest::Approx(0.08).epsilon(0.5));
}

TEST_CASE("success rate: bad input is refused with its place and what is allowed") {
  const std::string good = two_state;
  CHECK(test::errors_of(good).empty());
  const std::string unknown = test::errors_of(test::replaced(good, "indicator: in_b, at_month", "indicator: in_c, at_month"));
  CHECK(unknown.find("in_c") != std::string::npos);
  CHECK(unknown.find("effects[0].on.indicator") != std::string::npos);
  const std::string beyond = test::errors_of(test::replaced(good, "at_month: 12", "at_month: 36"));
  CHECK(beyond.find("at_month") != std::string::npos);
  CHECK(beyond.find("24") != std::string::npos); // the horizon's months, what is allowed
  const std::string odd = test::errors_of(test::replaced(good, "at_month: 12", "at_month: 18"));
  CHECK(odd.find("project years") != std::string::npos);
  const std::string state = test::errors_of(test::replaced(good, "via: work.a->b", "via: work.a->x"));
  CHECK(state.find("effects[0].via") != std::string::npos);
  CHECK(state.find("'x'") != std::string::npos);
  // A->c exists as states but has no transition to scale (a hazard ratio needs a route).
  const std::string route = test::errors_of(test::replaced(good, "via: work.a->b", "via: work.a->c"));
  CHECK(!route.empty());
  const std::string domain = test::errors_of(test::replaced(good, "via: work.a->b", "via: school.a->b"));
  CHECK(domain.find("school") != std::string::npos);
  const std::string both =
      test::errors_of(test::replaced(good, "via: work.a->b", "via: work.a->b\n            hazard_ratio: 1.2"));
  CHECK(both.find("solves its own hazard ratio") != std::string::npos);
  const std::string missing = test::errors_of(test::replaced(good, "            difference: 0.10\n", ""));
  CHECK(missing.find("difference") != std::string::npos);

  // Unreachable: at most 1 - 0.95^1200 - (1 - 0.95^12) ~ 0.54 with a ratio of 100.
  const auto far = test::scenario(test::replaced(good, "difference: 0.10", "difference: 0.9"));
  try {
    (void)test::analyse(far, 2, 2);
    FAIL("an unreachable difference was not refused");
  } catch (const socinvest::Error& e) {
    const std::string m = e.what();
    CHECK(e.code() == socinvest::ExitCode::invalid_scenario);
    CHECK(m.find("variants.project.interventions.team.effects[0]") != std::string::npos);
    CHECK(m.find("test.yaml:") != std::string::npos);
    CHECK(m.find("reachable range") != std::string::npos);
    CHECK(m.find("+90 percentage points") != std::string::npos);
    CHECK(m.find("work.a->b") != std::string::npos);
  }
}
