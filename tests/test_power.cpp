// `socinvest power` against the closed form. In the fixture every adult starts in state a
// and leaves for the absorbing state b with probability 0.05 a month; the project adds 0.02
// (a risk difference) from month 0 for every household. The indicator "in b" at month 12 is
// then 1 - 0.95^12 in the control arm and 1 - 0.93^12 in the treatment arm, exactly, and a
// household is one person: the simulated power of the two-proportion z-test must match the
// normal-approximation power computed here by hand, within Monte Carlo error. Had the arms
// common random numbers, the simulated power would be far above the closed form.
#include "support.hpp"

#include <socinvest/decision/power.hpp>
#include <socinvest/errors.hpp>

#include <boost/math/distributions/normal.hpp>
#include <doctest/doctest.h>

#include <cmath>
#include <fstream>
#include <iterator>
#include <utility>

namespace {

socinvest::Scenario fixture() {
  return socinvest::load_scenario(test::source_dir() + "/tests/fixtures/power.yaml");
}

/// The hand calculation: two-sided two-proportion z-test, pooled variance under the null,
/// normal approximation under the alternative.
double hand_power(double p1, double p0, double n1, double n0, double alpha) {
  const boost::math::normal z;
  const double q = boost::math::quantile(z, 1 - alpha / 2);
  const double pbar = (n1 * p1 + n0 * p0) / (n1 + n0);
  const double s0 = std::sqrt(pbar * (1 - pbar) * (1 / n1 + 1 / n0));
  const double s1 = std::sqrt(p1 * (1 - p1) / n1 + p0 * (1 - p0) / n0);
  return boost::math::cdf(z, (p1 - p0 - q * s0) / s1) + boost::math::cdf(z, (p0 - p1 - q * s0) / s1);
}

socinvest::PowerDesign design(const socinvest::Scenario& s) {
  socinvest::PowerDesign d;
  d.variant = s.variant_index("project");
  d.indicator = s.indicator_index("in_b");
  d.at_month = 12;
  d.households = 200;
  d.trials = 300;
  d.threads = 2;
  d.seed = 99;
  return d;
}

} // namespace

TEST_CASE("power: the simulated power of a trial matches the closed form of the two-proportion test") {
  const auto s = fixture();
  const double p0 = 1 - std::pow(0.95, 12), p1 = 1 - std::pow(0.93, 12);
  const socinvest::PowerResult r = socinvest::simulate_power(s, design(s));
  REQUIRE(r.curve.size() >= 4);
  const auto& at = r.curve[r.design_point];
  CHECK(at.households == 200);
  CHECK(at.arms.treatment == 100);
  CHECK(at.arms.control == 100);
  // One person per household, nobody dies or moves: the base is the arm.
  CHECK(at.persons_treatment == doctest::Approx(100));
  CHECK(at.persons_control == doctest::Approx(100));
  // The shares: 300 trials of 100 persons, standard error sqrt(p q / 30000) ~ 0.003.
  CHECK(std::abs(r.share_control - p0) < 4 * std::sqrt(p0 * (1 - p0) / (100.0 * 300)));
  CHECK(std::abs(r.share_treatment - p1) < 4 * std::sqrt(p1 * (1 - p1) / (100.0 * 300)));
  // The power at every sample size of the curve, against the hand calculation: Monte Carlo
  // error plus 0.02 for the normal approximation's own error at these sizes.
  int compared = 0;
  for (const auto& p : r.curve) {
    const double exact = hand_power(p1, p0, p.arms.treatment, p.arms.control, 0.05);
    const double se = std::sqrt(exact * (1 - exact) / p.trials);
    CHECK_MESSAGE(std::abs(p.power - exact) < 4 * se + 0.02,
                  p.households << " households: simulated " << p.power << ", closed form " << exact);
    CHECK(socinvest::two_proportion_power(p1, p0, p.arms.treatment, p.arms.control, 0.05) == doctest::Approx(exact));
    ++compared;
  }
  CHECK(compared == static_cast<int>(r.curve.size()));
  // The design's power is in the middle of the range (about 41 %), where a wrong variance shows.
  CHECK(hand_power(p1, p0, 100, 100, 0.05) == doctest::Approx(0.41).epsilon(0.05));

  // Households needed for 80 %, by hand: the smallest total with the closed-form power >= 0.8.
  int needed = 2;
  auto treated = [](int n) { return static_cast<double>(std::lround(n * 0.5)); };
  while (hand_power(p1, p0, treated(needed), needed - treated(needed), 0.05) < 0.8) ++needed;
  INFO("needed by hand: " << needed << ", simulated " << r.households_needed_simulated << ", closed form at the "
       "simulated shares " << r.households_needed_closed_form);
  CHECK(std::abs(r.households_needed_simulated - needed) <= 0.2 * needed);
  // The engine's closed form is the same search at the simulated shares (whose own error
  // is checked above): by hand at those shares, to the household.
  int needed_at_shares = 2;
  while (hand_power(r.share_treatment, r.share_control, treated(needed_at_shares),
                    needed_at_shares - treated(needed_at_shares), 0.05) < 0.8)
    ++needed_at_shares;
  CHECK(r.households_needed_closed_form == needed_at_shares);
  // The minimum detectable effect at 100 per arm, by hand at the exact control share.
  double lo = 0, hi = 1 - p0;
  for (int i = 0; i < 60; ++i) ((hand_power(p0 + (lo + hi) / 2, p0, 100, 100, 0.05) >= 0.8) ? hi : lo) = (lo + hi) / 2;
  CHECK(r.minimum_detectable_effect == doctest::Approx(hi).epsilon(0.05));
  // The effect is smaller than what the design can detect: power below 80 %.
  CHECK(p1 - p0 < r.minimum_detectable_effect);
}

TEST_CASE("power: the same seed gives the same result whatever the thread count") {
  const auto s = fixture();
  auto d = design(s);
  d.trials = 40;
  d.threads = 1;
  const auto a = socinvest::simulate_power(s, d);
  d.threads = 2;
  const auto b = socinvest::simulate_power(s, d);
  REQUIRE(a.curve.size() == b.curve.size());
  for (std::size_t k = 0; k < a.curve.size(); ++k) {
    CHECK(a.curve[k].rejections == b.curve[k].rejections);
    CHECK(a.curve[k].share_treatment == b.curve[k].share_treatment);
  }
}

TEST_CASE("power: a bad design is refused with what is allowed") {
  const auto s = fixture();
  auto message = [&](socinvest::PowerDesign d) -> std::string {
    try {
      socinvest::check_power_design(s, d);
    } catch (const socinvest::Error& e) {
      CHECK(e.code() == socinvest::ExitCode::usage);
      return e.what();
    }
    return {};
  };
  auto d = design(s);
  CHECK(message(d).empty());
  d.indicator = s.indicator_index("no_such");
  CHECK(message(d).find("--indicator: no such indicator (indicators: in_b)") != std::string::npos);
  d = design(s);
  d.at_month = 24;
  CHECK(message(d).find("months 12, 24, ... up to the horizon's 12") != std::string::npos);
  d.at_month = 6;
  CHECK(message(d).find("ends of project years") != std::string::npos);
  d = design(s);
  d.households = 0;
  CHECK(message(d).find("--households: at least 2") != std::string::npos);
  d = design(s);
  d.treatment_share = 1.0;
  CHECK(!message(d).empty());
  d = design(s);
  d.alpha = 0.0;
  CHECK(!message(d).empty());
}

// Difference-in-differences with a pre-period: the fixture over two years, the effect for
// the whole of them. At month 12 (before, on baseline paths in both arms, an independent
// sample) the share in b is 1 - 0.95^12 in each arm; at month 24 it is 1 - 0.95^24 in the
// control arm and 1 - 0.93^24 in the treatment arm. The DiD of independent samples has the
// variance of the four shares summed, p (1 - p) / n each: the power of its two-sided z-test
// computed by hand here must match the simulated one within Monte Carlo error.
TEST_CASE("power: difference-in-differences with independent pre and post samples matches the closed form") {
  std::string yaml;
  {
    std::ifstream in(test::source_dir() + "/tests/fixtures/power.yaml");
    yaml.assign(std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>());
  }
  yaml = test::replaced(yaml, "horizon_years: 1", "horizon_years: 2");
  yaml = test::replaced(yaml, "duration_months: 12", "duration_months: 24");
  const auto s = test::scenario(yaml, "power-did.yaml");
  auto d = design(s);
  d.at_month = 24;
  d.pre_month = 12;
  d.households = 300;
  d.trials = 300;
  d.max_households = 600;
  const double pre = 1 - std::pow(0.95, 12), c = 1 - std::pow(0.95, 24), t = 1 - std::pow(0.93, 24);
  const socinvest::PowerResult r = socinvest::simulate_power(s, d);
  const auto& at = r.curve[r.design_point];
  CHECK(at.persons_pre_treatment == doctest::Approx(150));
  CHECK(at.persons_pre_control == doctest::Approx(150));
  CHECK(std::abs(at.share_pre_treatment - pre) < 4 * std::sqrt(pre * (1 - pre) / (150.0 * 300)));
  CHECK(std::abs(at.share_pre_control - pre) < 4 * std::sqrt(pre * (1 - pre) / (150.0 * 300)));
  const boost::math::normal z;
  for (const auto& p : r.curve) {
    const double nt = p.arms.treatment, nc = p.arms.control;
    const double sd = std::sqrt(t * (1 - t) / nt + pre * (1 - pre) / nt + c * (1 - c) / nc + pre * (1 - pre) / nc);
    const double q = boost::math::quantile(z, 0.975);
    const double hand = boost::math::cdf(z, (t - c) / sd - q) + boost::math::cdf(z, -(t - c) / sd - q);
    const double se = std::sqrt(hand * (1 - hand) / p.trials);
    CHECK_MESSAGE(std::abs(p.did_power - hand) < 4 * se + 0.02,
                  p.households << " households: simulated " << p.did_power << ", closed form " << hand);
    CHECK(socinvest::did_power_closed_form(t, pre, c, pre, nt, nt, nc, nc, 0.05) == doctest::Approx(hand));
    // Two more samples' noise: the DiD sees less than the comparison of the arms after.
    CHECK(hand < socinvest::two_proportion_power(t, c, nt, nc, 0.05));
  }
  // A pre-period at or after the measurement, or off a project-year end, is refused.
  d.pre_month = 24;
  try {
    socinvest::check_power_design(s, d);
    FAIL("a pre-period at the month of measurement was accepted");
  } catch (const socinvest::Error& e) {
    CHECK(std::string(e.what()).find("--pre-month 24") != std::string::npos);
  }
  d.pre_month = 6;
  CHECK_THROWS_AS(socinvest::check_power_design(s, d), socinvest::Error);
}

// The panel difference-in-differences (--design panel-did): the same persons measured at
// month 12 and at month 24, tested on each person's change. A two-state chain, a -> b 0.02 and
// b -> a 0.03 a month, everyone in a at the start; the project (from month 12, for everyone)
// raises a -> b to 0.04. By hand, with the two-state chain's n-step probabilities
// P^n(a, b) = a/(a+b) (1 - l^n) and P^n(b, b) = a/(a+b) + b/(a+b) l^n (l = 1 - a - b): the share
// in b before is q = P^12(a, b) in both arms; a person's change (after - before) is +1 with
// probability (1 - q) P'^12(a, b) and -1 with q (1 - P'^12(b, b)), P' the arm's chain over
// months 12-24. The variance of the change is that of a three-point variable, and the
// within-person correlation of before and after is (q P^12(b, b) - q p_after) / sqrt(q (1 - q)
// p_after (1 - p_after)), about 0.46 in the control arm and 0.33 in the treatment arm. The simulated power must match the
// closed form of the z-test on the mean changes, and be above the power of independent samples.
TEST_CASE("power: a panel difference-in-differences matches the closed form on a two-state chain") {
  const std::string yaml = R"(scenario: power-panel-did
run: {start: 2024-01, horizon_years: 2, iterations: 10, seed: 7}
departments: {d: {name: D}}
domains:
  work:
    applies_to: {role: adult, age: [18, 100]}
    states: [a, b]
    transitions:
      a: {to: {b: 0.02}}
      b: {to: {a: 0.03}}
population:
  households: 600
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
        start: 2025-01
        duration_months: 12
        effects:
          - {transition: work.a->b, risk_difference: 0.02}
)";
  const auto s = test::scenario(yaml, "power-panel-did.yaml");
  auto d = design(s);
  d.at_month = 24;
  d.pre_month = 12;
  d.did_design = socinvest::DidDesign::panel;
  d.households = 200;
  d.trials = 300;
  d.max_households = 800;
  auto chain = [](double a, double b, int n) {
    const double l = 1 - a - b;
    return std::pair{a / (a + b) * (1 - std::pow(l, n)), a / (a + b) + b / (a + b) * std::pow(l, n)};
  };
  const double q = chain(0.02, 0.03, 12).first;
  auto change = [&](double a) { // mean and variance of a person's change, the arm's a -> b from month 12
    const auto [ab, bb] = chain(a, 0.03, 12);
    const double up = (1 - q) * ab, down = q * (1 - bb), mean = up - down;
    return std::pair{mean, up + down - mean * mean};
  };
  const auto [mean_t, var_t] = change(0.04);
  const auto [mean_c, var_c] = change(0.02);
  const auto [ab_c, bb_c] = chain(0.02, 0.03, 12);
  const double after_c = q * bb_c + (1 - q) * ab_c;
  const double correlation_c = (q * bb_c - q * after_c) / std::sqrt(q * (1 - q) * after_c * (1 - after_c));
  CHECK(correlation_c == doctest::Approx(0.4646).epsilon(0.001)); // the hand figure above

  const socinvest::PowerResult r = socinvest::simulate_power(s, d);
  const auto& at = r.curve[r.design_point];
  // One person per household, nobody dies or moves: every person is in the panel at both points.
  CHECK(at.panel_persons_treatment == doctest::Approx(100));
  CHECK(at.panel_persons_control == doctest::Approx(100));
  // Means over 300 trials of 100 persons: standard error sqrt(var / 30000) ~ 0.003.
  CHECK(std::abs(at.change_treatment - mean_t) < 4 * std::sqrt(var_t / 30000));
  CHECK(std::abs(at.change_control - mean_c) < 4 * std::sqrt(var_c / 30000));
  CHECK(std::abs(at.share_pre_control - q) < 4 * std::sqrt(q * (1 - q) / 30000));
  CHECK(at.change_variance_control == doctest::Approx(var_c).epsilon(0.05));
  // The correlation: both arms' averaged. The treatment arm's by hand, the same way with its
  // own chain over months 12-24: 0.330.
  const auto [ab_t0, bb_t0] = chain(0.04, 0.03, 12);
  const double after_t0 = q * bb_t0 + (1 - q) * ab_t0;
  const double correlation_t = (q * bb_t0 - q * after_t0) / std::sqrt(q * (1 - q) * after_t0 * (1 - after_t0));
  CHECK(correlation_t == doctest::Approx(0.3298).epsilon(0.001));
  CHECK(std::abs(at.pre_post_correlation - (correlation_c + correlation_t) / 2) < 0.03);
  const boost::math::normal z;
  const double crit = boost::math::quantile(z, 0.975);
  for (const auto& p : r.curve) {
    const double nt = p.arms.treatment, nc = p.arms.control;
    const double sd = std::sqrt(var_t / nt + var_c / nc);
    const double hand = boost::math::cdf(z, (mean_t - mean_c) / sd - crit) + boost::math::cdf(z, -(mean_t - mean_c) / sd - crit);
    const double se = std::sqrt(hand * (1 - hand) / p.trials);
    CHECK_MESSAGE(std::abs(p.did_power - hand) < 4 * se + 0.02,
                  p.households << " households: simulated " << p.did_power << ", closed form " << hand);
    CHECK(socinvest::panel_did_power_closed_form(mean_t, var_t, nt, mean_c, var_c, nc, 0.05) == doctest::Approx(hand));
    // The same persons twice see more than independent samples before and after.
    const auto [ab_t, bb_t] = chain(0.04, 0.03, 12);
    const double after_t = q * bb_t + (1 - q) * ab_t;
    CHECK(hand > socinvest::did_power_closed_form(after_t, q, after_c, q, nt, nt, nc, nc, 0.05));
  }
  // At 100 per arm, by hand 0.46 (independent samples: 0.31).
  CHECK(socinvest::panel_did_power_closed_form(mean_t, var_t, 100, mean_c, var_c, 100, 0.05) ==
        doctest::Approx(0.4617).epsilon(0.01));
}

TEST_CASE("power: the change sums of a panel") {
  socinvest::ChangeSums c;
  c.add(0, 1);
  c.add(1, 1);
  c.add(1, 0);
  c.add(0, 0);
  CHECK(c.n == 4);
  CHECK(c.mean() == doctest::Approx(0.0));
  CHECK(c.variance() == doctest::Approx(2.0 / 3.0)); // changes +1, 0, -1, 0
  CHECK(c.both == 1);
  socinvest::ChangeSums t;
  t.add(0, 1);
  CHECK(!socinvest::panel_did_rejects(t, c, 0.05)); // one person: no variance to test with
}
