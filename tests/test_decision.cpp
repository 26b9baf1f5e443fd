// Compare, sweep and threshold: paired differences equal those of separate runs, the tornado
// is ordered by swing, and a threshold with a closed-form answer is found.
#include "support.hpp"

#include <socinvest/decision/compare.hpp>
#include <socinvest/decision/sweep.hpp>

#include <doctest/doctest.h>

#include <algorithm>
#include <cmath>
#include <memory>

namespace {

const char* two_variants = R"(
scenario: decide
run: {start: 2024-01, horizon_years: 5, iterations: 12, seed: 5}
departments: {jobcenter: {name: J}, state: {name: S, level: state}}
domains:
  work:
    applies_to: {role: adult, age: [18, 100]}
    states: [unemployed, job]
    transitions:
      unemployed: {to: {job: {beta: {mean: 0.03, sd: 0.01}}}}
      job: {to: {unemployed: 0.01}}
population:
  households: 600
  synthetic: {adults_per_household: 1, adult_age: {uniform: [30, 40]}, start_state: {work: {unemployed: 1.0}}}
costs:
  work.unemployed: [{department: jobcenter, amount: {gamma: {mean: 10000, sd: 500}}}]
variants:
  baseline: {}
  big:
    interventions:
      team:
        start: 2024-01
        duration_months: 24
        costs: [{department: jobcenter, fte: 4, monthly_cost_per_fte: {uniform: [40000, 60000]}}]
        effects: [{transition: work.unemployed->job, hazard_ratio: {lognormal: {median: 1.8, ci95: [1.2, 2.6]}}}]
  small:
    extends: big
    interventions:
      team: {duration_months: 12}
)";

// Deterministic: nobody finds a job without the project; with it, everybody does in the
// first month. The net present value is linear in the staff cost, with a closed form.
const char* deterministic = R"(
scenario: threshold
run: {start: 2024-01, horizon_years: 5, iterations: 4, seed: 1, discount: {rate: 0.035}}
departments: {jobcenter: {name: J}}
domains:
  work:
    applies_to: {role: adult, age: [18, 100]}
    states: [unemployed, job]
population:
  households: 100
  synthetic: {adults_per_household: 1, adult_age: {uniform: [30, 40]}, start_state: {work: {unemployed: 1.0}}}
costs:
  work.unemployed: [{department: jobcenter, amount: 10000}]
variants:
  baseline: {}
  project:
    interventions:
      team:
        start: 2024-01
        duration_months: 60
        costs: [{department: jobcenter, fte: 1, monthly_cost_per_fte: 500000}]
        effects: [{transition: work.unemployed->job, risk_difference: 1.0}]
)";

} // namespace

TEST_CASE("compare: paired differences equal those of two separate runs") {
  const auto s = test::scenario(two_variants);
  auto both = test::analyse(s, 12);
  socinvest::RunOptions o;
  o.iterations = 12;
  o.threads = 2;
  o.variants = {s.variant_index("big")};
  auto big = socinvest::analyse(s, o);
  o.variants = {s.variant_index("small")};
  auto small = socinvest::analyse(s, o);
  const auto nb = socinvest::npv_samples(*big, 1, "total");
  const auto ns = socinvest::npv_samples(*small, 2, "total");
  const auto cmp = socinvest::compare_options({{"f", &s, both.get(), {1, 2}}});
  REQUIRE(cmp.options.size() == 3);
  CHECK(cmp.options[1].samples == nb);
  CHECK(cmp.options[2].samples == ns);
  std::vector<double> diff(nb.size());
  for (std::size_t i = 0; i < nb.size(); ++i) diff[i] = nb[i] - ns[i];
  const auto expected = socinvest::summarize(diff);
  const auto& pair = cmp.pairs[2]; // big - small
  CHECK(pair.a == 1);
  CHECK(pair.b == 2);
  CHECK(pair.difference.mean == doctest::Approx(expected.mean));
  CHECK(pair.difference.p95 == doctest::Approx(expected.p95));
  // Ranking, probability of being best and the value of perfect information, recomputed
  // from the paired samples: E[max over options] - max over options of E.
  REQUIRE(cmp.options[0].samples == std::vector<double>(nb.size(), 0.0)); // "do nothing"
  std::vector<int> wins(3, 0);
  double mean_of_max = 0.0;
  for (std::size_t i = 0; i < nb.size(); ++i) {
    const double best = std::max({0.0, nb[i], ns[i]});
    wins[best == nb[i] ? 1 : best == ns[i] ? 2 : 0]++;
    mean_of_max += best / static_cast<double>(nb.size());
  }
  const double max_of_mean = std::max({0.0, socinvest::summarize(nb).mean, socinvest::summarize(ns).mean});
  CAPTURE(mean_of_max);
  CAPTURE(max_of_mean);
  CHECK(cmp.expected_value_of_best == doctest::Approx(max_of_mean));
  CHECK(cmp.expected_value_perfect_info == doctest::Approx(mean_of_max));
  CHECK(cmp.evpi == doctest::Approx(mean_of_max - max_of_mean));
  for (std::size_t k = 0; k < 3; ++k) CHECK(cmp.options[k].p_best == doctest::Approx(wins[k] / 12.0));
  for (const auto& opt : cmp.options)
    for (const auto& other : cmp.options)
      if (opt.npv.mean > other.npv.mean) CHECK(opt.rank < other.rank);
}

namespace {

/// An analysis whose per-iteration total net present values are given by hand:
/// npv[v - 1][i] for variant v in iteration i.
std::unique_ptr<socinvest::Analysis> table(const std::vector<std::vector<double>>& npv) {
  auto a = std::make_unique<socinvest::Analysis>();
  a->plan.iterations = static_cast<int>(npv[0].size());
  a->results.accounts.id = {"total"};
  for (std::size_t v = 0; v < npv.size(); ++v)
    for (std::size_t i = 0; i < npv[v].size(); ++i)
      a->results.per_iteration.push_back({static_cast<double>(v + 1), static_cast<double>(i), npv[v][i]});
  return a;
}

} // namespace

TEST_CASE("compare: ranking, chance of being best and EVPI on a table worked by hand") {
  const auto s = test::scenario(two_variants); // variants 1 = big, 2 = small
  SUBCASE("the best option differs between iterations") {
    // iteration:  1    2   3   4       mean
    // baseline    0    0   0   0        0
    // big        10   -4   6  -2        2.5
    // small      -5    8   1  -1        0.75
    // best       10    8   6   0        6     (big, small, big, baseline)
    const auto a = table({{10, -4, 6, -2}, {-5, 8, 1, -1}});
    const auto c = socinvest::compare_options({{"f", &s, a.get(), {1, 2}}});
    REQUIRE(c.options.size() == 3);
    CHECK(c.options[1].label == "big");
    CHECK(c.options[1].npv.mean == doctest::Approx(2.5));
    CHECK(c.options[2].npv.mean == doctest::Approx(0.75));
    CHECK(c.options[1].rank == 1);
    CHECK(c.options[2].rank == 2);
    CHECK(c.options[0].rank == 3);
    CHECK(c.options[0].p_best == doctest::Approx(0.25));
    CHECK(c.options[1].p_best == doctest::Approx(0.5));
    CHECK(c.options[2].p_best == doctest::Approx(0.25));
    CHECK(c.expected_value_of_best == doctest::Approx(2.5));
    CHECK(c.expected_value_perfect_info == doctest::Approx(6.0));
    CHECK(c.evpi == doctest::Approx(3.5));
    // big - small: 15, -12, 5, -1.
    REQUIRE(c.pairs.size() == 3);
    const auto& pair = c.pairs[2];
    CHECK(pair.a == 1);
    CHECK(pair.b == 2);
    CHECK(pair.difference.mean == doctest::Approx(1.75));
    CHECK(pair.p_a_better == doctest::Approx(0.5));
  }
  SUBCASE("one option is best in every iteration: perfect information is worth nothing") {
    const auto a = table({{3, 5, 7, 1}, {1, 2, 3, 0.5}});
    const auto c = socinvest::compare_options({{"f", &s, a.get(), {1, 2}}});
    REQUIRE(c.options.size() == 3);
    CHECK(c.options[1].p_best == 1.0);
    CHECK(c.expected_value_of_best == doctest::Approx(4.0));
    CHECK(c.expected_value_perfect_info == doctest::Approx(4.0));
    CHECK(c.evpi == doctest::Approx(0.0));
  }
}

TEST_CASE("compare: files that do not share a baseline are refused") {
  const auto a = test::scenario(two_variants);
  std::string other_text = two_variants;
  other_text.replace(other_text.find("households: 600"), 15, "households: 601");
  const auto b = test::scenario(other_text);
  auto ra = test::analyse(a, 4), rb = test::analyse(b, 4);
  CHECK_THROWS_AS(socinvest::compare_options({{"a.yaml", &a, ra.get(), {1}}, {"b.yaml", &b, rb.get(), {1}}}),
                  socinvest::InvalidInput);
}

TEST_CASE("tornado: rows ordered by swing, the dominant parameter first") {
  const auto s = test::scenario(two_variants);
  socinvest::RunOptions o;
  o.iterations = 6;
  o.threads = 2;
  socinvest::SweepTarget target;
  target.variant = s.variant_index("big");
  const auto t = socinvest::tornado(s, o, target);
  REQUIRE(t.rows.size() >= 3);
  for (std::size_t k = 1; k < t.rows.size(); ++k) CHECK(t.rows[k - 1].swing >= t.rows[k].swing);
  // 4 staff x 24 months x (60,000 - 40,000) x 0.9 is about 1.7 m kr. of swing: more than the
  // unit cost's 5 %-95 % range, so the staff cost or the effect leads, never the unit cost.
  CHECK(t.rows.front().path.find("costs.work.unemployed") == std::string::npos);
  // Each row tries its parameter's 5th and 95th percentiles; the swing is the distance
  // between the two values.
  for (const auto& row : t.rows) {
    CAPTURE(row.path);
    const auto& q = socinvest::find_parameter(s, row.path);
    CHECK(row.low == doctest::Approx(q.dist.quantile(0.05)));
    CHECK(row.high == doctest::Approx(q.dist.quantile(0.95)));
    CHECK(row.low < row.high);
    CHECK(row.swing == doctest::Approx(std::abs(row.at_high.npv.mean - row.at_low.npv.mean)));
  }
}

TEST_CASE("threshold: the largest staff cost at which the project pays, against its closed form") {
  const auto s = test::scenario(deterministic);
  socinvest::RunOptions o;
  o.iterations = 4;
  o.threads = 2;
  socinvest::SweepTarget target;
  target.variant = 1;
  double saved = 0.0, months = 0.0;
  for (int m = 0; m < 60; ++m) {
    const double df = std::pow(1.035, -(m + 0.5) / 12.0);
    if (m >= 1) saved += 100 * 10000.0 * df; // everybody in a job from the second month
    months += df;
  }
  const double exact = saved / months;
  const std::string path = "variants.project.interventions.team.costs[0].monthly_cost_per_fte";
  const auto t = socinvest::threshold(s, o, target, path, 0.0, 2e6, 0.8, 10.0);
  CHECK(t.found);
  CAPTURE(exact);
  CAPTURE(t.value);
  CHECK(t.lower <= exact + 1e-6);
  CHECK(t.upper >= exact - 1e-6);
  CHECK(std::abs(t.value - exact) <= 10.0);
  CHECK(t.probability_at_value >= 0.8);
}

TEST_CASE("sweeps name parameters by key path, with did-you-mean for a typo") {
  const auto s = test::scenario(two_variants);
  CHECK_NOTHROW((void)socinvest::find_parameter(s, "variants.big.interventions.team.effects[0].hazard_ratio"));
  try {
    (void)socinvest::find_parameter(s, "variants.big.interventions.team.effects[0].hazard_ration");
    FAIL("a typo must be refused");
  } catch (const socinvest::Error& e) {
    CHECK(e.code() == socinvest::ExitCode::usage);
    CHECK(std::string(e.what()).find("did you mean 'variants.big.interventions.team.effects[0].hazard_ratio'?") !=
          std::string::npos);
  }
}
