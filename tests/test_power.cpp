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
