// The refusion clock (reimbursement.<rule>.clock; lov om kommunernes finansiering af visse
// offentlige ydelser, LBK nr. 221 af 12.2.2021, §§ 5-6) against hand calculations, on both
// kernels: one person on deterministic paths (a move with monthly probability 1 after a
// fixed number of months), the state's share month by month and the state's money by year.
//
// The law's table (§ 5 stk. 2): 80 % in weeks 1-4, 40 % in weeks 5-26, 30 % in weeks 27-52,
// 20 % from week 53, counted over the person's weeks on public support in every benefit
// (§ 5), starting over only after 52 weeks of self-support within 3 years (§ 6). The
// model counts months of 52/12 weeks: month n on support (n = 0 the first) covers weeks
// n x 52/12 to (n + 1) x 52/12, so
//   n = 0:      (4 x 80 % + (52/12 - 4) x 40 %) / (52/12) = (3.2 + 0.1333) / 4.3333 = 10/13 = 76.923 %
//   n = 1..5:   weeks 4.33 to 26:  40 %
//   n = 6..11:  weeks 26 to 52:    30 %
//   n >= 12:    weeks 52 and on:   20 %
// and the reset is 52 weeks = 12 months of self-support within 156 weeks = 36 months.
#include "support.hpp"

#include <socinvest/population/population.hpp>
#include <socinvest/scenario/diagnostics.hpp>

#include <doctest/doctest.h>

#include <cmath>
#include <fstream>
#include <string>
#include <vector>

using namespace socinvest;

namespace {

constexpr double first = 10.0 / 13.0; // month 0 on support, by hand above
constexpr double none = -1.0;         // a month in a state without reimbursement

/// One adult, starting on benefit, on a two-year horizon; `paths` gives the transitions of
/// the employment domain (deterministic: probability 1 from a duration band on).
std::string one_person(const std::string& paths, const std::string& extra_population = "",
                       const std::string& start = "{benefit: 1.0}") {
  return R"(
scenario: refusion
run: {start: 2024-01, horizon_years: 2, iterations: 1, seed: 5}
departments:
  jobcenter: {name: Jobcenter}
  state: {name: Staten, level: state}
reimbursement:
  staircase:
    weeks: [4, 26, 52]
    state_share: [0.8, 0.4, 0.3, 0.2]
    clock:
      support: [employment.benefit, employment.flexjob]
      self_support: [employment.job]
    legacy_state_share: {employment.flexjob: 0.65}
domains:
  employment:
    applies_to: {role: adult, age: [18, 100]}
    states: [benefit, job, flexjob]
    transitions:
)" + paths + R"(
population:
  households: 1
  synthetic:
    adults_per_household: 1
    adult_age: 30
    start_state: {employment: )" + start + "}\n" + extra_population + R"(
costs:
  employment.benefit: [{department: jobcenter, amount: 1000, reimbursement: staircase}]
  employment.flexjob: [{department: jobcenter, amount: 1000, reimbursement: staircase}]
variants:
  baseline: {}
)";
}

RunOptions options(Kernel kernel) {
  RunOptions o;
  o.iterations = 1;
  o.threads = 1;
  o.kernel = kernel;
  o.keep_books = true;
  return o;
}

/// The state's share of the person's month, step by step (none in a state without
/// reimbursement), from the cell the tally counts the person in.
std::vector<double> monthly_share(const Scenario& s, Kernel kernel) {
  std::vector<double> out;
  run_monte_carlo(s, options(kernel), [&](const IterationData& data) {
    const Layout& L = *data.layout;
    const ReimbursementRule& rule = s.reimbursements[static_cast<std::size_t>(L.refusion_rule)];
    for (int t = 0; t < L.steps; ++t) {
      double share = -2.0; // nobody counted: a test failure below
      for (int c = 0; c < L.cells; ++c) {
        if (data.tallies[0].occupied(0, t, c) != 1) continue;
        const int level = L.cell_level[c];
        if (level < 0) share = none;
        else if (level == L.refusion_levels()) share = rule.clock.legacy_share[static_cast<std::size_t>(L.cell_state[c])];
        else share = rule.share_for_month(L.refusion_level_from[static_cast<std::size_t>(level)]);
      }
      out.push_back(share);
    }
  });
  return out;
}

/// The state department's money (reimbursement; gross, nominal) in each year.
std::vector<double> state_money(const Scenario& s, Kernel kernel) {
  const auto analysis = analyse(s, options(kernel));
  const Results& r = analysis->results;
  int state = -1;
  for (int a = 0; a < r.accounts.size(); ++a)
    if (r.accounts.id[a] == "state") state = a;
  REQUIRE(state >= 0);
  const VariantBook& b = analysis->books.at(0).variants.at(0);
  std::vector<double> out;
  for (int y = 0; y < b.years; ++y) out.push_back(b.gross[b.at(state, y)]);
  return out;
}

void check_months(const std::vector<double>& got, const std::vector<double>& expected) {
  REQUIRE(got.size() == expected.size());
  for (std::size_t m = 0; m < got.size(); ++m) {
    CAPTURE(m);
    CHECK(got[m] == doctest::Approx(expected[m]).epsilon(1e-9));
  }
}

// benefit for 6 months, then the given next state.
const std::string benefit_6_months_then(const std::string& next) {
  return "      benefit:\n        - {months_in_state: [0, 5], to: {" + next + ": 0.0}}\n"
         "        - {months_in_state: [5, null], to: {" + next + ": 1.0}}\n";
}
const std::string back_to_benefit_after(const std::string& state, int months) {
  return "      " + state + ":\n        - {months_in_state: [0, " + std::to_string(months - 1) + "], to: {benefit: 0.0}}\n"
         "        - {months_in_state: [" + std::to_string(months - 1) + ", null], to: {benefit: 1.0}}\n";
}

} // namespace

TEST_CASE("refusion clock: cash benefit, 5 months (about 20 weeks) in a job, cash benefit again: the count goes on") {
  // Months 0-5 benefit (support months 0-5), 6-10 job (5 months of self-support: no reset,
  // which needs 12), 11-16 benefit (support months 6-11), 17-21 job (10 months of
  // self-support in all, still no reset), 22-23 benefit (support months 12-13).
  const auto s = test::scenario(one_person(benefit_6_months_then("job") + back_to_benefit_after("job", 5)));
  const std::vector<double> expected = {first, .4, .4, .4, .4, .4,   none, none, none, none, none,
                                        .3,    .3, .3, .3, .3, .3,   none, none, none, none, none,
                                        .2,    .2};
  // Year 0: 769.23 + 5 x 400 + 300 (month 11); year 1: 5 x 300 + 2 x 200.
  const std::vector<double> money = {1000 * first + 2000 + 300, 1500 + 400};
  for (Kernel kernel : {Kernel::events, Kernel::monthly}) {
    CAPTURE(static_cast<int>(kernel));
    check_months(monthly_share(s, kernel), expected);
    const auto got = state_money(s, kernel);
    REQUIRE(got.size() == 2);
    CHECK(got[0] == doctest::Approx(money[0]));
    CHECK(got[1] == doctest::Approx(money[1]));
  }
}

TEST_CASE("refusion clock: 14 months (about 60 weeks) of self-support start the count over") {
  // Months 0-5 benefit, 6-19 job: the 12th month of self-support (month 17) resets the
  // count (§ 6), so the benefit from month 20 starts again at 80/40 %.
  const auto s = test::scenario(one_person(benefit_6_months_then("job") + back_to_benefit_after("job", 14)));
  std::vector<double> expected = {first, .4, .4, .4, .4, .4};
  for (int m = 6; m < 20; ++m) expected.push_back(none);
  for (double share : {first, .4, .4, .4}) expected.push_back(share);
  const std::vector<double> money = {1000 * first + 2000, 1000 * first + 1200};
  for (Kernel kernel : {Kernel::events, Kernel::monthly}) {
    CAPTURE(static_cast<int>(kernel));
    check_months(monthly_share(s, kernel), expected);
    const auto got = state_money(s, kernel);
    CHECK(got[0] == doctest::Approx(money[0]));
    CHECK(got[1] == doctest::Approx(money[1]));
  }
}

TEST_CASE("refusion clock: 14 months in a flexjob do not start the count over, they advance it") {
  // Flexjob is wage-subsidised work (§ 6 stk. 2: not self-support) and fleksløntilskud is a
  // benefit of the law (§ 3): months 6-19 are support months 6-19 (30 % to month 11, 20 %
  // from month 12), and the benefit from month 20 goes on at 20 %.
  const auto s = test::scenario(one_person(benefit_6_months_then("flexjob") + back_to_benefit_after("flexjob", 14)));
  std::vector<double> expected = {first, .4, .4, .4, .4, .4, .3, .3, .3, .3, .3, .3};
  for (int m = 12; m < 24; ++m) expected.push_back(.2);
  const std::vector<double> money = {1000 * first + 2000 + 1800, 2400};
  for (Kernel kernel : {Kernel::events, Kernel::monthly}) {
    CAPTURE(static_cast<int>(kernel));
    check_months(monthly_share(s, kernel), expected);
    const auto got = state_money(s, kernel);
    CHECK(got[0] == doctest::Approx(money[0]));
    CHECK(got[1] == doctest::Approx(money[1]));
  }
}

TEST_CASE("refusion clock: without a clock the rule counts the months in the current spell (as before)") {
  // The first scenario with the clock taken out: month 11 starts a new spell at 76.9 %.
  std::string text = one_person(benefit_6_months_then("job") + back_to_benefit_after("job", 5));
  text.replace(text.find("    clock:"), text.find("domains:") - text.find("    clock:"), "");
  const auto s = test::scenario(text);
  // Year 0: months 0-5 (769.23 + 5 x 400) and month 11 (769.23).
  for (Kernel kernel : {Kernel::events, Kernel::monthly}) {
    const auto got = state_money(s, kernel);
    CHECK(got[0] == doctest::Approx(2000 * first + 2000));
    CHECK(got[1] == doctest::Approx(5 * 400 + 1000 * first + 400)); // months 12-16 at 40 %, 22 at 76.9 %, 23 at 40 %
  }
}

TEST_CASE("refusion clock: weeks on support and the old rules from the population") {
  const std::string stays = "      benefit: {to: {job: 0.0}}\n";
  SUBCASE("synthetic: refusion_weeks_at_start, not the months in the state") {
    // 30 weeks = 6.92 months, to the nearest: 7. Months 0-4 are support months 7-11 (30 %),
    // months 5-11 months 12-18 (20 %): 1500 + 1400. The 100 months in the state would give 20 %.
    const auto s = test::scenario(one_person(stays, R"(    months_in_start_state: {employment.benefit: 100}
    refusion_weeks_at_start: {employment.benefit: 30}
)"));
    for (Kernel kernel : {Kernel::events, Kernel::monthly}) CHECK(state_money(s, kernel)[0] == doctest::Approx(2900));
  }
  SUBCASE("synthetic: by default the months in the state") {
    // 3 months: months 0-2 at 40 %, 3-8 at 30 %, 9-11 at 20 %: 1200 + 1800 + 600.
    const auto s = test::scenario(one_person(stays, "    months_in_start_state: {employment.benefit: 3}\n"));
    for (Kernel kernel : {Kernel::events, Kernel::monthly}) CHECK(state_money(s, kernel)[0] == doctest::Approx(3600));
  }
  SUBCASE("synthetic: a legacy award keeps the old share while it lasts") {
    const std::string flex = "      flexjob: {to: {benefit: 0.0}}\n";
    const auto legacy = test::scenario(
        one_person(flex, "    legacy_refusion_share: {employment.flexjob: 1.0}\n", "{flexjob: 1.0}"));
    const auto current = test::scenario(
        one_person(flex, "    legacy_refusion_share: {employment.flexjob: 0.0}\n", "{flexjob: 1.0}"));
    for (Kernel kernel : {Kernel::events, Kernel::monthly}) {
      CHECK(state_money(legacy, kernel)[0] == doctest::Approx(12 * 650));
      CHECK(state_money(current, kernel)[0] == doctest::Approx(1000 * first + 2000 + 1800));
    }
  }
  SUBCASE("a legacy award ends when the person leaves the state") {
    // Flexjob (legacy, 65 %) for 6 months, then benefit: a new award on the staircase,
    // counted on from the 6 support months of the flexjob (30 %, then 20 % from month 12).
    const std::string paths = "      flexjob:\n        - {months_in_state: [0, 5], to: {benefit: 0.0}}\n"
                              "        - {months_in_state: [5, null], to: {benefit: 1.0}}\n";
    const auto s = test::scenario(one_person(paths, "    legacy_refusion_share: {employment.flexjob: 1.0}\n", "{flexjob: 1.0}"));
    std::vector<double> expected(6, .65);
    for (int m = 6; m < 12; ++m) expected.push_back(.3);
    for (int m = 12; m < 24; ++m) expected.push_back(.2);
    for (Kernel kernel : {Kernel::events, Kernel::monthly}) check_months(monthly_share(s, kernel), expected);
  }
  SUBCASE("CSV: refusion_weeks and legacy_refusion columns") {
    test::TempDir dir;
    const auto csv = dir.path / "people.csv";
    std::ofstream(csv) << "household_id,person_id,role,age,employment,employment_months,refusion_weeks,legacy_refusion\n"
                          "h1,a,adult,40,flexjob,30,,1\n"  // the old rules: 12 x 650
                          "h2,b,adult,40,benefit,100,30,\n" // 7 months on support: 2900 (above)
                          "h3,c,adult,40,benefit,3,,0\n";   // the months in the state: 3600 (above)
    std::string text = one_person(stays + "      flexjob: {to: {benefit: 0.0}}\n");
    const auto from = text.find("population:"), to = text.find("costs:");
    text.replace(from, to - from, "population:\n  csv: " + csv.string() + "\n");
    const auto s = test::scenario(text);
    for (Kernel kernel : {Kernel::events, Kernel::monthly}) CHECK(state_money(s, kernel)[0] == doctest::Approx(7800 + 2900 + 3600));
  }
}

TEST_CASE("refusion clock: bad population input is refused with file, line, column and what is allowed") {
  const auto s = test::scenario(one_person("      benefit: {to: {job: 0.0}}\n"));
  auto message = [&](const std::string& rows) {
    try {
      (void)read_population_csv_text(
          s, "household_id,person_id,role,age,employment,employment_months,refusion_weeks,legacy_refusion\n" + rows,
          "people.csv");
    } catch (const InvalidInput& e) {
      return std::string(e.what());
    }
    return std::string("accepted");
  };
  const std::string weeks = message("h1,a,adult,40,benefit,3,ten,\n");
  CHECK(weeks.find("people.csv:2:") != std::string::npos);
  CHECK(weeks.find("refusion_weeks") != std::string::npos);
  CHECK(weeks.find("'ten' is not a number of weeks (allowed: 0 to 280000") != std::string::npos);
  const std::string job = message("h1,a,adult,40,job,3,12,\n");
  CHECK(job.find("does not start on it (allowed only in employment states benefit, flexjob") != std::string::npos);
  const std::string legacy = message("h1,a,adult,40,benefit,3,,1\n");
  CHECK(legacy.find("legacy_refusion") != std::string::npos);
  CHECK(legacy.find("allowed only in employment states flexjob") != std::string::npos);
  const std::string yes = message("h1,a,adult,40,flexjob,3,,yes\n");
  CHECK(yes.find("'yes' is not allowed (allowed: 1 for an award under the old refusion rules, 0 or empty") != std::string::npos);
  // Without a clock the columns are unknown.
  std::string text = one_person("      benefit: {to: {job: 0.0}}\n");
  text.replace(text.find("    clock:"), text.find("domains:") - text.find("    clock:"), "");
  const auto plain = test::scenario(text);
  try {
    (void)read_population_csv_text(plain, "household_id,person_id,role,age,employment,refusion_weeks\nh,a,adult,40,benefit,3\n", "p.csv");
    FAIL("accepted");
  } catch (const InvalidInput& e) {
    CHECK(std::string(e.what()).find("unknown column 'refusion_weeks'") != std::string::npos);
  }
}
