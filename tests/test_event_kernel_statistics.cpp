// The event kernel across persons (issue 16: the `calibrate --by` overdispersion seen with
// the event kernel). A two-state chain a <-> b with known monthly probabilities, every person
// starting in a, simulated as a register panel (socinvest panel's own path: the run's trace)
// by the event kernel, then checked against closed forms that know nothing of the kernel:
//  (a) occupancy: P(in a at month m) = pi + (1 - pi) (1 - p - q)^m, pi = q / (p + q) (the
//      two-state chain's eigen-decomposition, by hand);
//  (b) dispersion: in every month the exits from a state among the n persons in it are
//      Binomial(n, p) when persons are independent, so z = (exits - n p) / sqrt(n p (1 - p))
//      has variance 1 (a correlation between persons would inflate it; the seeds-1-20 figure
//      was 2.5); and each person's first spell in a is geometric(p): mean 1/p, variance
//      (1 - p) / p^2, its tail P(T > k) = (1 - p)^k across the clock windows (12, 24, 36);
//  (c) no correlation between persons neighbouring in the key space (persons 2h and 2h + 1
//      share a household, 2h + 1 and 2h + 2 do not), nor between a person's first spell in a
//      and the spell in b that follows it (a Markov chain forgets);
//  (d) the panel fed to calibrate --by, seeds 1-100: the near/far difference of b -> a (the
//      same 0.05 in both groups) has z with variance 1 within the chi-square bounds.
// Tolerances are stated at each check (four standard errors, or a chi-square quantile).
//
// What was found (the fixture of test_calibrate_by.cpp, 1,500 persons, 24 months): the
// overdispersion is seeds 1-50's alone. Mean z^2 of b's near/far difference, events kernel,
// by blocks of 50 seeds from 1 to 600: 1.70 0.69 0.82 0.71 0.71 1.04 0.93 0.86 0.86 0.71 0.89
// 0.78 (0.90 over 600); seeds 1001-1050, 999,951-1,000,000, 2^32 - 99 .. 2^32 - 50 and 2^40 - 149
// .. 2^40 - 100: 1.25 1.19 1.20 1.11; over the 800, 0.97. The same z computed from the panel
// directly (no CSV, no calibrate) gives the same figures, and the persons' b exits spread 1.00 x
// the binomial's (events and monthly, 200 seeds); the monthly kernel 1.03 over seeds 1-200. So
// chance: one block of 50 at about +3.5 standard deviations (seeds 1, 2 and 5 at |z| 3.9, 3.3,
// 2.8), no correlation between or within persons. The event kernel is unchanged.
#include "support.hpp"

#include <socinvest/evidence/calibrate.hpp>
#include <socinvest/evidence/panel.hpp>

#include <doctest/doctest.h>

#include <cmath>
#include <fstream>
#include <iterator>
#include <string>
#include <vector>

namespace {

using namespace socinvest;

const char* chain = R"(
scenario: event-kernel-statistics
run: {start: 2024-01, horizon_years: 5, iterations: 1, seed: 7}
departments: {d: {name: D}}
domains:
  work:
    applies_to: {role: adult, age: [18, 100]}
    states: [a, b]
    transitions:
      a: {to: {b: 0.2}}
      b: {to: {a: 0.1}}
population:
  households: 100
  synthetic:
    adults_per_household: 2
    adult_age: {uniform: [25, 60]}
    start_state: {work: {a: 1.0}}
variants:
  baseline: {}
)";

constexpr double p = 0.2, q = 0.1; // a -> b and b -> a a month, as the scenario says
constexpr int months = 60;

Panel simulated(const Scenario& s, std::uint64_t seed, int persons, Kernel kernel = Kernel::events) {
  PanelRequest r;
  r.persons = persons;
  r.months = months;
  r.run.seed = seed;
  r.run.has_seed = true;
  r.run.threads = 1;
  r.run.kernel = kernel;
  return simulate_panel(s, r);
}

double mean(const std::vector<double>& x) {
  double m = 0;
  for (double v : x) m += v;
  return m / static_cast<double>(x.size());
}

double variance(const std::vector<double>& x) {
  const double m = mean(x);
  double s = 0;
  for (double v : x) s += (v - m) * (v - m);
  return s / static_cast<double>(x.size() - 1);
}

double correlation(const std::vector<double>& x, const std::vector<double>& y) {
  const double mx = mean(x), my = mean(y);
  double sxy = 0, sxx = 0, syy = 0;
  for (std::size_t k = 0; k < x.size(); ++k) {
    sxy += (x[k] - mx) * (y[k] - my);
    sxx += (x[k] - mx) * (x[k] - mx);
    syy += (y[k] - my) * (y[k] - my);
  }
  return sxy / std::sqrt(sxx * syy);
}

/// The month of a person's first move from a (every person starts in a), and, when that was
/// by month 20, how long the spell in b that follows lasts, capped at 30 months: every such
/// spell is seen for 30 months (the panel has 60), so the cap, not the panel's end, censors it
/// and the censoring does not depend on the spell in a (the panel's end would: a late move
/// leaves less time to see a long spell in b, a correlation of the method, not the kernel).
/// -1: not seen.
struct Spells {
  double first_a = -1, then_b = -1;
};

constexpr int last_first_move = 20, b_cap = 30;
static_assert(last_first_move + b_cap <= months);

Spells spells_of(const Panel& panel, int person) {
  const int a = 0, b = 1;
  Spells out;
  int m = 1;
  while (m < panel.months && panel.state_at(person, m, 0) == a) ++m;
  if (m == panel.months) return out;
  out.first_a = m; // in a at months 0 .. m - 1: left in the m-th month
  if (m > last_first_move) return out;
  const int entered = m;
  while (m < entered + b_cap && panel.state_at(person, m, 0) == b) ++m;
  out.then_b = m - entered;
  return out;
}

} // namespace

TEST_CASE("event kernel: occupancy, binomial dispersion and geometric spells across persons") {
  const Scenario s = test::scenario(chain, "event-kernel-statistics.yaml");
  const int persons = 8000, seeds = 3;
  const double pi = q / (p + q);
  std::vector<double> in_a(months, 0.0);   // persons in a at each month, over the seeds
  std::vector<double> z_exits;             // (b): one per month, state and seed
  std::vector<double> first_a;             // (b): first spells in a
  double person_spread[2] = {0, 0}, person_expected[2] = {0, 0}; // (b): within persons
  std::vector<double> mate_x, mate_y, next_x, next_y, a_then, b_after; // (c)
  for (std::uint64_t seed = 1; seed <= seeds; ++seed) {
    const Panel panel = simulated(s, seed, persons);
    REQUIRE(static_cast<int>(panel.persons.size()) == persons);
    for (int m = 0; m < months; ++m) {
      double n[2] = {0, 0}, left[2] = {0, 0};
      for (int i = 0; i < persons; ++i) {
        const int now = panel.state_at(i, m, 0);
        REQUIRE((now == 0 || now == 1));
        in_a[m] += now == 0;
        if (m + 1 == months) continue;
        ++n[now];
        left[now] += panel.state_at(i, m + 1, 0) != now;
      }
      if (m + 1 == months) continue;
      const double prob[2] = {p, q};
      for (int k = 0; k < 2; ++k)
        if (n[k] > 100)
          z_exits.push_back((left[k] - n[k] * prob[k]) / std::sqrt(n[k] * prob[k] * (1 - prob[k])));
    }
    // Per person: exits from each state and months at risk in it (the person's months are
    // not independent draws, but each month's exit given the state is: the sum over a
    // person's months of exit - p is a martingale, so its variance is p (1 - p) months).
    for (int i = 0; i < persons; ++i) {
      double exits[2] = {0, 0}, at_risk[2] = {0, 0};
      for (int m = 0; m + 1 < months; ++m) {
        const int now = panel.state_at(i, m, 0);
        at_risk[now] += 1;
        exits[now] += panel.state_at(i, m + 1, 0) != now;
      }
      const double prob[2] = {p, q};
      for (int k = 0; k < 2; ++k) {
        person_spread[k] += (exits[k] - prob[k] * at_risk[k]) * (exits[k] - prob[k] * at_risk[k]);
        person_expected[k] += prob[k] * (1 - prob[k]) * at_risk[k];
      }
    }
    std::vector<Spells> sp;
    for (int i = 0; i < persons; ++i) sp.push_back(spells_of(panel, i));
    for (int i = 0; i < persons; ++i) {
      // P(T > 60) = 0.8^60, about 1.5e-6: every first spell in a is seen.
      REQUIRE(sp[i].first_a > 0);
      first_a.push_back(sp[i].first_a);
      if (sp[i].then_b > 0) a_then.push_back(sp[i].first_a), b_after.push_back(sp[i].then_b);
      if (i % 2 == 0) mate_x.push_back(sp[i].first_a), mate_y.push_back(sp[i + 1].first_a); // one household
      else if (i + 1 < persons) next_x.push_back(sp[i].first_a), next_y.push_back(sp[i + 1].first_a);
    }
  }
  const double total = static_cast<double>(persons) * seeds;

  // (a) Occupancy against the closed form, within four binomial standard errors.
  CHECK(in_a[0] == total);
  for (int m : {1, 2, 6, 11, 12, 13, 23, 24, 25, 36, 59}) {
    const double expected = pi + (1 - pi) * std::pow(1 - p - q, m);
    const double share = in_a[m] / total, se = std::sqrt(expected * (1 - expected) / total);
    INFO("month " << m << ": " << share << " in a, closed form " << expected);
    CHECK(std::abs(share - expected) < 4 * se);
  }

  // (b) The month-by-month exits: z's variance (mean of z^2, z's mean being 0 by
  // construction of the expectation) is 1 within four standard errors, sqrt(2 / n).
  double z2 = 0, zsum = 0;
  for (double z : z_exits) z2 += z * z, zsum += z;
  z2 /= static_cast<double>(z_exits.size());
  const double z_mean = zsum / static_cast<double>(z_exits.size());
  MESSAGE("event kernel, " << z_exits.size() << " months x states x seeds: mean z " << z_mean << ", mean z^2 " << z2);
  CHECK(z_exits.size() >= 300);
  CHECK(std::abs(z2 - 1.0) < 4 * std::sqrt(2.0 / static_cast<double>(z_exits.size())));
  CHECK(std::abs(z_mean) < 4 / std::sqrt(static_cast<double>(z_exits.size())));
  // The first spell in a: geometric(0.2), mean 5, variance 20. The variance's standard error
  // from the geometric's fourth central moment: excess kurtosis 6 + p^2 / (1 - p).
  const double n = static_cast<double>(first_a.size());
  const double sd = std::sqrt((1 - p) / (p * p));
  CHECK(std::abs(mean(first_a) - 1 / p) < 4 * sd / std::sqrt(n));
  const double kurtosis = 3 + 6 + p * p / (1 - p);
  CHECK(std::abs(variance(first_a) - sd * sd) < 4 * sd * sd * std::sqrt((kurtosis - 1) / n));
  // The tail across the clock windows (boundaries at months 12, 24, 36).
  for (int k : {6, 11, 12, 13, 24, 25}) {
    double longer = 0;
    for (double t : first_a) longer += t > k;
    const double expected = std::pow(1 - p, k), se = std::sqrt(expected * (1 - expected) / n);
    INFO("P(T > " << k << ") = " << longer / n << ", closed form " << expected);
    CHECK(std::abs(longer / n - expected) < 4 * se);
  }
  // Within persons: the spread of each person's exits about p x months at risk, against the
  // binomial's; a person's clocks drawn again from a shared word would make it larger (a
  // person with a long spell having long spells again). Observed 1.00 within 0.02 here.
  for (int k = 0; k < 2; ++k) {
    const double ratio = person_spread[k] / person_expected[k];
    MESSAGE("state " << (k == 0 ? "a" : "b") << ": persons' exits spread " << ratio << " x the binomial's");
    CHECK(std::abs(ratio - 1.0) < 0.08);
  }
  MESSAGE("first spell in a: mean " << mean(first_a) << " (5), variance " << variance(first_a) << " (20)");

  // (c) Correlations: zero within four standard errors, 1 / sqrt(pairs).
  const double r_mate = correlation(mate_x, mate_y), r_next = correlation(next_x, next_y),
               r_markov = correlation(a_then, b_after);
  MESSAGE("correlations: same household " << r_mate << " (" << mate_x.size() << " pairs), neighbours in another household "
                                          << r_next << " (" << next_x.size() << "), a spell and the b spell after it "
                                          << r_markov << " (" << a_then.size() << ")");
  CHECK(std::abs(r_mate) < 4 / std::sqrt(static_cast<double>(mate_x.size())));
  CHECK(std::abs(r_next) < 4 / std::sqrt(static_cast<double>(next_x.size())));
  CHECK(std::abs(r_markov) < 4 / std::sqrt(static_cast<double>(a_then.size())));
}

namespace {

std::string fixture_text() {
  std::ifstream in(test::source_dir() + "/tests/fixtures/calibrate-by.yaml");
  return {std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>()};
}

/// calibrate --by distance on the fixture's panel (1,500 persons, 24 months, as `panel`
/// simulates it; test_calibrate_by.cpp takes it through the CSV, which gives the same
/// counts: the figures below are the same either way), and the z of state b's
/// near/far difference in its rate of leaving (the same 0.05 in both groups): the difference
/// of the two groups' exit shares over its standard error under the pooled share.
double b_difference_z(const Scenario& s, std::uint64_t seed, Kernel kernel) {
  PanelRequest r;
  r.persons = 1500;
  r.months = 24;
  r.run.seed = seed;
  r.run.has_seed = true;
  r.run.threads = 1;
  r.run.kernel = kernel;
  const Panel back = simulate_panel(s, r);
  CalibrationOptions o;
  o.band_starts = {0};
  o.by = "distance";
  o.min_count = 20;
  const Calibration c = calibrate(s, back, o, "panel.csv");
  REQUIRE(c.groups.size() == 2);
  const int b = s.domains[0].state_index("b");
  for (const auto& sc : c.states) {
    if (sc.state != b) continue;
    REQUIRE(sc.split.bands.size() == 2);
    double exits[2] = {0, 0}, at_risk[2] = {0, 0};
    for (int g = 0; g < 2; ++g)
      for (const BandCounts& band : sc.split.bands[static_cast<std::size_t>(g)]) {
        exits[g] += static_cast<double>(band.exit_total());
        at_risk[g] += static_cast<double>(band.exposure());
      }
    const double pooled = (exits[0] + exits[1]) / (at_risk[0] + at_risk[1]);
    return (exits[0] / at_risk[0] - exits[1] / at_risk[1]) /
           std::sqrt(pooled * (1 - pooled) * (1 / at_risk[0] + 1 / at_risk[1]));
  }
  FAIL("no state b");
  return 0;
}

} // namespace

TEST_CASE("event kernel: calibrate --by's near/far difference of an equal rate is not overdispersed over 100 seeds") {
  const Scenario s = test::scenario(fixture_text(), "calibrate-by.yaml");
  // Seeds 1-100, the block of the original report (seeds 1-50) included.
  std::vector<double> z;
  for (std::uint64_t seed = 1; seed <= 100; ++seed) z.push_back(b_difference_z(s, seed, Kernel::events));
  double z2 = 0, zsum = 0;
  for (double v : z) z2 += v * v, zsum += v;
  z2 /= static_cast<double>(z.size());
  MESSAGE("events kernel, calibrate --by distance, seeds 1-100: mean z^2 " << z2 << ", mean z " << zsum / 100);
  // 100 z^2 is chi-square with 100 degrees of freedom: its 0.1 % and 99.9 % quantiles are
  // 61.9 and 149.4, so the mean lies in [0.62, 1.49] but one time in 500; the mean z within
  // four standard errors (0.4) of 0.
  CHECK(z2 > 0.62);
  CHECK(z2 < 1.49);
  CHECK(std::abs(zsum / 100) < 0.4);
}
