// Money against hand-worked and closed-form values: reimbursement, discounting, the net
// present value by department of a two-state scenario, and attribution that adds up.
#include "support.hpp"

#include <socinvest/ledger/discounting.hpp>
#include <socinvest/scenario/diagnostics.hpp>

#include <doctest/doctest.h>

#include <cmath>
#include <stdexcept>
#include <string>

using socinvest::DiscountSegment;
using socinvest::Measure;

namespace {

const char* two_state = R"(
scenario: ledger
run: {start: 2024-01, horizon_years: 5, iterations: 20, seed: 3, discount: {rate: 0.035}}
departments:
  jobcenter: {name: Jobcenter}
  state: {name: Staten, level: state}
  fund: {name: Fond, level: external}
reimbursement:
  staircase: {weeks: [4, 26, 52], state_share: [0.8, 0.4, 0.3, 0.2], to: state}
domains:
  work:
    applies_to: {role: adult, age: [18, 100]}
    states: [unemployed, job]
    transitions:
      unemployed: {to: {job: 0.05}}
population:
  households: 4000
  synthetic: {adults_per_household: 1, adult_age: {uniform: [30, 40]}, start_state: {work: {unemployed: 1.0}}}
costs:
  work.unemployed: [{department: jobcenter, amount: 10000, reimbursement: staircase}]
variants:
  baseline: {}
  project:
    interventions:
      team:
        start: 2024-01
        duration_months: 60
        costs:
          - {department: jobcenter, fte: 1, monthly_cost_per_fte: 50000}
          - {department: fund, total: 600000, finances: [jobcenter]}
        effects: [{transition: work.unemployed->job, hazard_ratio: 2.0}]
)";

const socinvest::Stat& money(const socinvest::Results& r, const std::string& account, int year, Measure measure) {
  for (const auto& row : r.money)
    if (r.accounts.id[row.account] == account && row.year == year && row.measure == measure) return row.stat;
  FAIL("no money row " << account << " " << name(measure));
  static socinvest::Stat none;
  return none;
}

} // namespace

TEST_CASE("reimbursement: the state's share of each benefit month, worked by hand") {
  socinvest::ReimbursementRule rule{"staircase", {4, 26, 52}, {0.8, 0.4, 0.3, 0.2}, 0, {}};
  // Month 1 holds weeks 0 to 4 1/3: four weeks at 80 % and a third of a week at 40 %.
  CHECK(rule.share_for_month(0) == doctest::Approx((4 * 0.8 + (52.0 / 12 - 4) * 0.4) / (52.0 / 12)));
  CHECK(rule.share_for_month(1) == doctest::Approx(0.4));
  CHECK(rule.share_for_month(5) == doctest::Approx(0.4)); // weeks 21 2/3 to 26
  CHECK(rule.share_for_month(6) == doctest::Approx(0.3)); // weeks 26 to 30 1/3
  CHECK(rule.share_for_month(11) == doctest::Approx(0.3));
  CHECK(rule.share_for_month(12) == doctest::Approx(0.2));
  CHECK(rule.share_for_month(100) == doctest::Approx(0.2));
  for (int m = 0; m < 20; ++m) CHECK(rule.share_for_month(m) == doctest::Approx(test::staircase_share(m)).epsilon(1e-5));
}

TEST_CASE("discounting: mid-month timing and a two-rate schedule, worked by hand") {
  const std::vector<DiscountSegment> danish{{0.0, 0.035}, {35.0, 0.025}};
  CHECK(socinvest::discount_factor(danish, 0.0) == 1.0);
  CHECK(socinvest::discount_factor(danish, 1.0) == doctest::Approx(1.0 / 1.035));
  CHECK(socinvest::discount_factor(danish, 10.0) == doctest::Approx(std::pow(1.035, -10.0)));
  CHECK(socinvest::discount_factor(danish, 40.0) == doctest::Approx(std::pow(1.035, -35.0) * std::pow(1.025, -5.0)));
  socinvest::RunSettings run;
  run.horizon_years = 2;
  run.discount = danish;
  const auto f = socinvest::monthly_discount_factors(run);
  REQUIRE(f.size() == 24);
  CHECK(f[0] == doctest::Approx(std::pow(1.035, -0.5 / 12))); // the middle of the first month
  CHECK(f[12] == doctest::Approx(std::pow(1.035, -12.5 / 12)));
}

TEST_CASE("net present value by department matches the closed form of a two-state scenario") {
  const auto s = test::scenario(two_state);
  auto a = test::analyse(s, 20);
  const auto& r = a->results;
  const double N = 4000, unit = 10000;
  double jobcenter = 0.0, state = 0.0, fund = 0.0;
  for (int m = 0; m < 60; ++m) {
    const double df = std::pow(1.035, -(m + 0.5) / 12.0);
    // Baseline: still unemployed after m months with 0.95^m; with the project the hazard
    // doubles: (1 - p')^m = (0.95^2)^m.
    const double fewer = N * (std::pow(0.95, m) - std::pow(0.9025, m));
    const double share = test::staircase_share(m); // months on benefit = m
    jobcenter += df * (unit * (1.0 - share) * fewer - (50000.0 - 10000.0)); // staff less the grant
    state += df * unit * share * fewer;
    fund += df * -10000.0;
  }
  for (auto [id, exact] : {std::pair{"jobcenter", jobcenter}, {"state", state}, {"total", jobcenter + state + fund}}) {
    const auto& npv = money(r, id, -1, Measure::npv);
    CAPTURE(id);
    CAPTURE(npv.mean);
    CAPTURE(exact);
    CHECK(std::abs(npv.mean - exact) < 4.5 * npv.se + 1e-6 * std::abs(exact));
    CHECK(npv.se > 0.0);
  }
  CHECK(money(r, "fund", -1, Measure::npv).mean == doctest::Approx(fund).epsilon(1e-9));
  // Budget-year investment, nominal: 12 x (50,000 - 10,000) for the job centre every year.
  for (int y = 0; y < 5; ++y) CHECK(money(r, "jobcenter", y, Measure::investment).mean == doctest::Approx(480000.0));
  // Financing levels and the public sector.
  CHECK(money(r, "level:municipality", -1, Measure::npv).mean == doctest::Approx(money(r, "jobcenter", -1, Measure::npv).mean));
  CHECK(money(r, "level:external", -1, Measure::npv).mean == doctest::Approx(fund));
  CHECK(money(r, "public_sector", -1, Measure::npv).mean ==
        doctest::Approx(money(r, "jobcenter", -1, Measure::npv).mean + money(r, "state", -1, Measure::npv).mean));
}

TEST_CASE("typed lookups find every money row and refuse the ones that do not exist") {
  const auto s = test::scenario(std::string(two_state) + "indicators:\n  in_work: {domain: work, states: [job], role: adult}\n");
  auto a = test::analyse(s, 5);
  const auto& r = a->results;
  REQUIRE(!r.money.empty());
  for (const auto& row : r.money) CHECK(&r.money_at(row.variant, row.account, row.year, row.measure) == &row.stat);
  // One row per (variant, account, year) and measure of that year, in the declared order.
  std::size_t per_year = 0, horizon = 0;
  for (const auto& m : socinvest::money_measures) per_year += m.per_year, horizon += m.horizon;
  CHECK(r.money.size() == static_cast<std::size_t>(r.accounts.size()) * (5 * per_year + horizon));
  const int total = r.accounts.total();
  CHECK_THROWS_AS((void)r.money_at(1, total, 0, Measure::npv), std::logic_error);        // npv: the horizon only
  CHECK_THROWS_AS((void)r.money_at(1, total, -1, Measure::net), std::logic_error);       // net: per year only
  CHECK_THROWS_AS((void)r.money_at(0, total, -1, Measure::npv), std::logic_error);       // the baseline has no money rows
  CHECK_THROWS_AS((void)r.money_at(1, total + 1, -1, Measure::npv), std::logic_error);   // no such account
  CHECK_THROWS_AS((void)r.money_at(1, total, 5, Measure::net_pv), std::logic_error);     // beyond the horizon
  int indicator_rows = 0;
  for (const auto& row : r.outcomes)
    if (row.kind == socinvest::OutcomeKind::indicator) {
      CHECK(&r.indicator_at(row.variant, 0, row.group, row.year, row.measure) == &row.stat);
      ++indicator_rows;
    }
  CHECK(indicator_rows == 5 + 2 * 5 * 3); // baseline: everyone's value; project: both groups' three
  CHECK(r.has_indicator(1, 0, socinvest::Group::participants));
  CHECK(!r.has_indicator(0, 0, socinvest::Group::participants)); // the baseline has no participants
  CHECK_THROWS_AS((void)r.indicator_at(0, 0, socinvest::Group::all, 0, socinvest::OutcomeMeasure::baseline), std::logic_error);
}

TEST_CASE("headline figures: names read back, single numbers have no spread") {
  const auto s = test::scenario(two_state);
  auto a = test::analyse(s, 5);
  REQUIRE(a->results.variants.size() == 1);
  const auto& vs = a->results.variants[0];
  for (const auto& h : socinvest::headlines) {
    CAPTURE(h.name);
    CHECK(socinvest::headline_named(h.name) == h.headline);
    const socinvest::Stat st = vs.headline(h.headline);
    if (h.single) CHECK((st.se == 0.0 && st.n == 0 && (st.p5 == st.mean || std::isnan(st.mean))));
    else CHECK(st.n > 0);
  }
  CHECK(vs.headline(socinvest::Headline::npv).mean == vs.npv.mean);
  CHECK(!socinvest::headline_named("np_v"));
}

TEST_CASE("attribution: flows add up to each department's savings, departments to the total") {
  const auto s = test::scenario(two_state);
  auto a = test::analyse(s, 10);
  const auto& r = a->results;
  REQUIRE(r.variants.size() == 1);
  const auto& flows = r.variants[0].flows;
  const int D = r.accounts.departments;
  double all = 0.0;
  for (int h = 0; h < D; ++h) {
    double into = 0.0;
    for (int i = 0; i < D; ++i) into += flows[i][h];
    CHECK(into == doctest::Approx(money(r, r.accounts.id[h], -1, Measure::savings_pv).mean).epsilon(1e-9));
    all += money(r, r.accounts.id[h], -1, Measure::npv).mean;
  }
  CHECK(all == doctest::Approx(money(r, "total", -1, Measure::npv).mean).epsilon(1e-9));
  // Who invested: the job centre (staff net of the grant) and the fund, 4:1.
  double from_jobcenter = 0.0, from_fund = 0.0;
  for (int h = 0; h < D; ++h) {
    from_jobcenter += flows[0][h];
    from_fund += flows[2][h];
  }
  CHECK(from_jobcenter == doctest::Approx(4.0 * from_fund).epsilon(1e-9));
}

TEST_CASE("break-even year: the first year the cumulative discounted net turns positive") {
  CHECK(socinvest::break_even_year({-10, -5, 8, 10}) == 4.0);
  CHECK(socinvest::break_even_year({-10, 11}) == 2.0);
  CHECK(socinvest::break_even_year({5}) == 1.0);
  CHECK(std::isinf(socinvest::break_even_year({-10, 2, 3})));
}

TEST_CASE("haircut on effects: a hazard ratio of 2 cut by half acts as 2^0.5, by the closed form") {
  // Green Book-style optimism bias: 50 % of the log hazard ratio taken away. The scenario's
  // 90 % is replaced by the intervention's own 50 %.
  std::string yaml = two_state;
  yaml.replace(yaml.find("discount: {rate: 0.035}}"), 24,
               "discount: {rate: 0.035}, effect_haircut: {share: 0.9, source: scenario-wide}}");
  yaml.replace(yaml.find("        effects:"), 16, "        effect_haircut: {share: 0.5, source: Green Book}\n        effects:");
  const auto s = test::scenario(yaml);
  CHECK(s.uses_effect_haircut());
  auto a = test::analyse(s, 20);
  const auto& r = a->results;
  const double N = 4000, unit = 10000, q = std::pow(0.95, std::sqrt(2.0)); // (1 - p)^(2^0.5)
  double jobcenter = 0.0, state = 0.0;
  for (int m = 0; m < 60; ++m) {
    const double df = std::pow(1.035, -(m + 0.5) / 12.0);
    const double fewer = N * (std::pow(0.95, m) - std::pow(q, m));
    const double share = test::staircase_share(m);
    jobcenter += df * (unit * (1.0 - share) * fewer - (50000.0 - 10000.0));
    state += df * unit * share * fewer;
  }
  for (auto [id, exact] : {std::pair{"jobcenter", jobcenter}, {"state", state}}) {
    const auto& npv = money(r, id, -1, Measure::npv);
    CAPTURE(id);
    CAPTURE(npv.mean);
    CAPTURE(exact);
    CHECK(std::abs(npv.mean - exact) < 4.5 * npv.se + 1e-6 * std::abs(exact));
  }
  // Without a haircut the same seed gives the uncut effect: more is saved.
  const auto uncut = test::scenario(two_state);
  CHECK(!uncut.uses_effect_haircut());
  auto b = test::analyse(uncut, 20);
  CHECK(money(b->results, "state", -1, Measure::npv).mean > money(r, "state", -1, Measure::npv).mean);
}

TEST_CASE("haircut on effects: a share of 1 or more is refused with what is allowed") {
  std::string yaml = two_state;
  yaml.replace(yaml.find("        effects:"), 16, "        effect_haircut: {share: 1.0}\n        effects:");
  try {
    (void)test::scenario(yaml);
    FAIL("a haircut of 100 % was accepted");
  } catch (const socinvest::InvalidInput& e) {
    const std::string what = e.what();
    CHECK(what.find("variants.project.interventions.team.effect_haircut.share") != std::string::npos);
    CHECK(what.find("a share from 0 to 0.99") != std::string::npos);
  }
}
