// Costs by attribute (a takst by area, CostLine::by_attribute) and results by attribute
// (by_attribute.csv, Results::by_attribute). The cost of a state is tallied per category of
// the attribute (Layout::split_attribute), so the expected cost is the closed-form Markov
// chain of each category times its own takst; both kernels must agree with it. The results
// by attribute are the tally's groups per household category, which add up to the whole.
#include "support.hpp"
#include "attribute_rows.hpp"

#include <socinvest/model/layout.hpp>
#include <socinvest/population/population.hpp>
#include <socinvest/report/html_report.hpp>
#include <socinvest/report/tables.hpp>

#include <Eigen/Dense>
#include <doctest/doctest.h>

#include <array>
#include <cmath>
#include <string>

namespace {

// Two areas: residential care is left at 5 % a month near the centre and at half that
// hazard far from it (a link on the attribute), and a month there costs 50,000 kr. near and
// 60,000 kr. far; a month at home costs 5,000 kr. everywhere.
const char* two_areas = R"(
scenario: attribute-costs
run: {start: 2024-01, horizon_years: 2, iterations: 40, seed: 21}
departments: {social: {name: Social}}
attributes:
  area: {level: household, categorical: {near: 0.4, far: 0.6}}
domains:
  care:
    applies_to: {role: adult, age: [18, 100]}
    states: [residential, home]
    transitions:
      residential: {to: {home: 0.05}}
      home: {to: {residential: 0.01}}
    links:
      - {when: {attribute: {area: far}}, transition: residential->home, hazard_ratio: 0.5}
population:
  households: 2000
  synthetic:
    adults_per_household: 1
    adult_age: {uniform: [30, 40]}
    start_state: {care: {residential: 1.0}}
costs:
  care.residential: {department: social, amount: 50000, by_attribute: {area: {far: 60000}}}
  care.home: {department: social, amount: 5000}
variants:
  baseline: {}
  project:
    interventions:
      team:
        uptake: 0.5
        start: 2024-01
        duration_months: 24
        effects: [{transition: care.residential->home, hazard_ratio: 2.0}]
)";

constexpr int months = 24;
constexpr double households = 2000, near_share = 0.4, far_share = 0.6;

/// Residential-care share of a category at each step, start x P^t of its own two-state chain
/// (the far chain's exit by hand: p' = 1 - (1 - 0.05)^0.5, a single destination).
std::vector<double> residential_share(bool far) {
  const double out = far ? 1.0 - std::pow(0.95, 0.5) : 0.05;
  Eigen::Matrix2d P;
  P << 1.0 - out, out, //
      0.01, 0.99;
  Eigen::RowVector2d pi(1.0, 0.0);
  std::vector<double> share;
  for (int t = 0; t < months; ++t) {
    share.push_back(pi(0));
    pi = pi * P;
  }
  return share;
}

/// The expected baseline cost over the horizon for the households of one category (or all).
double expected_cost(double share_of_households, bool far, double residential_amount) {
  double total = 0.0;
  for (double r : residential_share(far)) total += households * share_of_households * (r * residential_amount + (1 - r) * 5000.0);
  return total;
}

constexpr auto row_of = test::attribute_row;

} // namespace

TEST_CASE("costs by attribute: each category's occupancy follows its own exact chain, in both kernels") {
  using namespace socinvest;
  const auto s = test::scenario(two_areas);
  const Layout L = make_layout(s);
  // Only the state whose cost varies is split: residential by the two areas, home not.
  CHECK(L.split_attribute[0][0] == 0);
  CHECK(L.categories[0][0] == 2);
  CHECK(L.categories[0][1] == 1);
  CHECK(L.cells == 3);
  const std::vector<double> exact_near = residential_share(false), exact_far = residential_share(true);
  CHECK(exact_far[12] > exact_near[12] + 0.1); // the two chains differ: a kernel that mixed them up would fail
  for (auto kernel : {Kernel::events, Kernel::monthly}) {
    CAPTURE(kernel == Kernel::events ? "events" : "monthly");
    const int I = 40;
    // [iteration][step][category]: the share of the category's persons in residential care.
    std::vector<std::vector<std::array<double, 2>>> share(I);
    RunOptions o;
    o.iterations = I;
    o.threads = 2;
    o.kernel = kernel;
    run_monte_carlo(s, o, [&](const IterationData& data) {
      const Population& pop = *data.population;
      std::array<double, 2> persons{};
      for (std::size_t p = 0; p < static_cast<std::size_t>(pop.persons()); ++p) persons[static_cast<std::size_t>(pop.attribute_of(p, 0))] += 1;
      auto& out = share[data.iteration];
      out.assign(months, {0.0, 0.0});
      for (int t = 0; t < months; ++t)
        for (int c = 0; c < L.cells; ++c)
          if (L.cell_state[c] == 0)
            out[t][static_cast<std::size_t>(L.cell_category[c])] += data.tallies[0].occupied(0, t, c) / persons[static_cast<std::size_t>(L.cell_category[c])];
    });
    double worst = 0.0;
    for (int t = 1; t < months; ++t)
      for (int k = 0; k < 2; ++k) {
        double mean = 0.0, ss = 0.0;
        for (int i = 0; i < I; ++i) mean += share[i][t][k] / I;
        for (int i = 0; i < I; ++i) ss += (share[i][t][k] - mean) * (share[i][t][k] - mean);
        const double se = std::sqrt(ss / (I - 1) / I);
        const double exact = (k == 0 ? exact_near : exact_far)[static_cast<std::size_t>(t)];
        const double z = std::abs(mean - exact) / std::max(se, 1e-12);
        worst = std::max(worst, z);
        CHECK_MESSAGE(z < 4.5, "step " << t << " category " << k << ": MC " << mean << " exact " << exact);
      }
    MESSAGE("largest deviation: " << worst << " standard errors");
  }
}

TEST_CASE("costs by attribute: the expected cost is each category's chain times its own takst, in both kernels") {
  using namespace socinvest;
  const auto s = test::scenario(two_areas);
  const double near = expected_cost(near_share, false, 50000), far = expected_cost(far_share, true, 60000);
  // Priced as if everybody cost 50,000 kr.: what a pricing that ignored the attribute gives.
  const double ignored = expected_cost(near_share, false, 50000) + expected_cost(far_share, true, 50000);
  std::array<Stat, 2> baseline{};
  for (auto kernel : {Kernel::events, Kernel::monthly}) {
    CAPTURE(kernel == Kernel::events ? "events" : "monthly");
    RunOptions o;
    o.iterations = 40;
    o.threads = 2;
    o.kernel = kernel;
    const auto a = analyse(s, o);
    const Results& r = a->results;
    const int social = test::account(r, "social");
    const Stat& cost = r.money_at(1, social, -1, Measure::gross_cost_baseline);
    CHECK(std::abs(cost.mean - (near + far)) < 4.5 * cost.se);
    CHECK(std::abs(cost.mean - ignored) > 10 * cost.se); // the check can fail
    baseline[kernel == Kernel::events ? 0 : 1] = cost;
    // The same per category (by_attribute.csv), each against its own closed form.
    const AttributeRow* n = row_of(r, 1, 0, AttributeKind::money, "social", -1, "gross_cost_baseline");
    const AttributeRow* f = row_of(r, 1, 1, AttributeKind::money, "social", -1, "gross_cost_baseline");
    REQUIRE(n);
    REQUIRE(f);
    CHECK(std::abs(n->stat.mean - near) < 4.5 * n->stat.se);
    CHECK(std::abs(f->stat.mean - far) < 4.5 * f->stat.se);
    CHECK(std::abs(f->stat.mean - expected_cost(far_share, true, 50000)) > 10 * f->stat.se);
  }
  // The kernels agree with each other too (independent runs: the combined standard error).
  CHECK(std::abs(baseline[0].mean - baseline[1].mean) < 4.5 * std::hypot(baseline[0].se, baseline[1].se));
}

TEST_CASE("results by attribute: the categories add up to the whole, iteration by iteration") {
  using namespace socinvest;
  const auto s = test::scenario(two_areas);
  const auto a = test::analyse(s, 6);
  REQUIRE(a->books.size() == 6);
  const Layout L = make_layout(s);
  REQUIRE(L.attribute_categories == 2);
  REQUIRE(L.groups == 2 * 3);
  for (const IterationBook& book : a->books)
    for (int v : {0, 1}) {
      const VariantBook& b = book.variants[static_cast<std::size_t>(v)];
      CHECK(b.category_households[0] + b.category_households[1] == 2000.0);
      CHECK(b.category_persons[0] + b.category_persons[1] == b.persons);
      CHECK(b.category_households[0] > 700); // about 40 % of 2000
      CHECK(b.category_households[0] < 900);
      for (int c = 0; c < b.calendar_years; ++c)
        for (int acc = 0; acc < b.accounts; ++acc) {
          const double whole = b.gross_by_calendar[b.at_calendar(acc, c)];
          const double parts = b.category_gross_by_calendar[b.at_category(0, acc, c)] + b.category_gross_by_calendar[b.at_category(1, acc, c)];
          CHECK(parts == doctest::Approx(whole).epsilon(1e-12));
        }
      // Person-years: integer counts, so the categories' sum is the whole to the last bit.
      for (int c = 0; c < b.calendar_years; ++c)
        for (int item = 0; item < b.state_items; ++item) {
          auto py = [&](int g) { return b.person_years_by_calendar[(static_cast<std::size_t>(g) * b.calendar_years + c) * b.state_items + item]; };
          CHECK(py(L.attribute_group(0, 0)) + py(L.attribute_group(1, 0)) == doctest::Approx(py(0)).epsilon(1e-15));
        }
    }
  // The participants of each category among the project's participants (group v), both the
  // baseline's counts of them and the project's own.
  for (const IterationBook& book : a->books)
    for (int v : {0, 1}) {
      const VariantBook& b = book.variants[static_cast<std::size_t>(v)];
      for (int c = 0; c < b.calendar_years; ++c) {
        auto py = [&](int g) { return b.person_years_by_calendar[(static_cast<std::size_t>(g) * b.calendar_years + c) * b.state_items]; };
        CHECK(py(L.attribute_group(0, 1)) + py(L.attribute_group(1, 1)) == doctest::Approx(py(1)).epsilon(1e-15));
        CHECK(py(1) > 0);
      }
    }
  // The table: savings by category sum to the account's savings in money.csv.
  const Results& r = a->results;
  const int social = test::account(r, "social");
  const AttributeRow* n = row_of(r, 1, 0, AttributeKind::money, "social", -1, "savings");
  const AttributeRow* f = row_of(r, 1, 1, AttributeKind::money, "social", -1, "savings");
  REQUIRE(n);
  REQUIRE(f);
  const double savings = r.money_at(1, social, -1, Measure::savings).mean;
  CHECK(savings > 0);
  CHECK(n->stat.mean + f->stat.mean == doctest::Approx(savings).epsilon(1e-9));
  const std::string csv = by_attribute_csv(r);
  CHECK(csv.rfind("variant,attribute,category,kind,item,year,months,measure,statistic,value\n", 0) == 0);
  CHECK(csv.find("project,area,far,money,social,total,24,savings_pv,mean,") != std::string::npos);
  CHECK(csv.find("project,area,near,population,households,total,24,value,p5,") != std::string::npos);
  CHECK(csv.find("project,area,near,person_years,care.residential,2025,12,difference,mean,") != std::string::npos);
  // The report's table, in both languages, from the catalogue.
  const std::string en = html_report(r, Manifest{}, Language::en), da = html_report(r, Manifest{}, Language::da);
  CHECK(en.find("<h3>By attribute</h3>") != std::string::npos);
  CHECK(en.find("<td>area</td><td>far</td>") != std::string::npos);
  CHECK(da.find("<h3>Efter område og andre kendetegn</h3>") != std::string::npos);
}

TEST_CASE("costs by attribute: a rate change gives each category its own new amount") {
  using namespace socinvest;
  // Nobody moves: the cost is persons x months x the amount in force, by category.
  const auto s = test::scenario(R"(
scenario: attribute-changes
run: {start: 2024-01, horizon_years: 2, iterations: 3, seed: 4}
departments: {social: {name: Social}}
attributes:
  area: {level: household, categorical: {near: 0.5, far: 0.5}}
domains:
  care:
    applies_to: {role: adult, age: [18, 100]}
    states: [residential, home]
    transitions:
      residential: {to: {home: 0}}
      home: {to: {residential: 0}}
population:
  households: 300
  synthetic:
    adults_per_household: 1
    adult_age: {uniform: [30, 40]}
    start_state: {care: {residential: 1.0}}
costs:
  care.residential:
    department: social
    amount: 50000
    by_attribute: {area: {far: 60000}}
    changes:
      - {from: 2025-01, amount: 55000, by_attribute: {area: {far: 70000}}}
variants:
  baseline: {}
)");
  const auto a = test::analyse(s, 3);
  REQUIRE(a->books.size() == 3);
  for (const IterationBook& book : a->books) {
    const VariantBook& b = book.variants[0];
    const double near = b.category_persons[0], far = b.category_persons[1];
    CHECK(near + far == 300);
    CHECK(near > 100);
    CHECK(b.gross_by_calendar[b.at_calendar(0, 0)] == doctest::Approx(12 * (near * 50000 + far * 60000)).epsilon(1e-12));
    CHECK(b.gross_by_calendar[b.at_calendar(0, 1)] == doctest::Approx(12 * (near * 55000 + far * 70000)).epsilon(1e-12));
    CHECK(b.category_gross_by_calendar[b.at_category(1, 0, 1)] == doctest::Approx(12 * far * 70000).epsilon(1e-12));
  }
}

TEST_CASE("costs by attribute: mistakes are named by key path, with what is allowed") {
  const std::string s = two_areas;
  auto error = [&](const std::string& from, const std::string& to) { return test::errors_of(test::replaced(s, from, to)); };
  const std::string unknown = error("by_attribute: {area: {far: 60000}}", "by_attribute: {aera: {far: 60000}}");
  CHECK(unknown.find("unknown attribute 'aera'") != std::string::npos);
  CHECK(unknown.find("did you mean 'area'") != std::string::npos);
  const std::string category = error("by_attribute: {area: {far: 60000}}", "by_attribute: {area: {fra: 60000}}");
  CHECK(category.find("costs.care.residential.by_attribute.area") != std::string::npos);
  CHECK(category.find("unknown category of 'area' 'fra'") != std::string::npos);
  CHECK(category.find("(defined: near, far)") != std::string::npos);
  const std::string two = error("by_attribute: {area: {far: 60000}}", "by_attribute: {area: {far: 60000}, size: {}}");
  CHECK(two.find("with one attribute") != std::string::npos);
  const std::string move =
      error("variants:", "  transitions:\n    care.residential->care.home: {department: social, amount: 1000, by_attribute: {area: {far: 2000}}}\nvariants:");
  CHECK(move.empty()); // a transition cost may vary by attribute too (tests/test_person_attributes.cpp)
  const std::string change = error("by_attribute: {area: {far: 60000}}",
                                   "by_attribute: {area: {far: 60000}}, changes: [{from: 2025-01, amount: 55000}]");
  CHECK(change.find("costs.care.residential.changes[0].by_attribute: is required") != std::string::npos);
  CHECK(change.find("by_attribute: {area: {}}") != std::string::npos);
  const std::string lonely = error("care.home: {department: social, amount: 5000}",
                                   "care.home: {department: social, amount: 5000, changes: [{from: 2025-01, amount: 5500, by_attribute: {area: {far: 1}}}]}");
  CHECK(lonely.find("does not vary by attribute") != std::string::npos);
  const std::string both = error("attributes:\n", "attributes:\n  size: {level: household, categorical: {small: 0.5, large: 0.5}}\n");
  CHECK(both.empty()); // a second attribute alone is fine
  const std::string mixed = test::errors_of(test::replaced(
      test::replaced(s, "attributes:\n", "attributes:\n  size: {level: household, categorical: {small: 0.5, large: 0.5}}\n"),
      "care.residential: {department: social, amount: 50000, by_attribute: {area: {far: 60000}}}",
      "care.residential:\n    - {department: social, amount: 50000, by_attribute: {area: {far: 60000}}}\n"
      "    - {department: social, amount: 1000, by_attribute: {size: {large: 2000}}}"));
  CHECK(mixed.find("vary by two attributes ('area' and 'size')") != std::string::npos);
}
