// Results by person attribute (a person's own category, Layout::attribute_group for a person
// attribute) and transition costs by attribute (a transition cost line's by_attribute,
// Layout::move_attribute). Each category's occupancy and moves are checked against the
// closed-form Markov chain of that category, on both kernels; the categories add up to the
// whole iteration by iteration; a transition cost by attribute costs each category's moves
// at its own amount; re-pricing a kept simulation gives the full run's figures.
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
#include <fstream>
#include <string>

namespace {

// Two adults per household, each young (30 %) or older (70 %) on their own: residential care
// is left at 5 % a month by the older and at half that hazard by the young (a link on the
// person attribute). A move home costs the health department 1,000 kr., for the young
// 4,000 kr. (a transition cost by attribute).
const char* two_ages = R"(
scenario: person-attributes
run: {start: 2024-01, horizon_years: 2, iterations: 40, seed: 33}
departments: {social: {name: Social}, health: {name: Health}}
attributes:
  age_band: {level: person, categorical: {young: 0.3, older: 0.7}}
domains:
  care:
    applies_to: {role: adult, age: [18, 100]}
    states: [residential, home]
    transitions:
      residential: {to: {home: 0.05}}
      home: {to: {residential: 0.01}}
    links:
      - {when: {attribute: {age_band: young}}, transition: residential->home, hazard_ratio: 0.5}
population:
  households: 1000
  synthetic:
    adults_per_household: 2
    adult_age: {uniform: [30, 40]}
    start_state: {care: {residential: 1.0}}
costs:
  care.residential: {department: social, amount: 50000}
  care.home: {department: social, amount: 5000}
  transitions:
    care.residential->care.home: {department: health, amount: 1000, by_attribute: {age_band: {young: 4000}}}
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
constexpr double persons = 2000, young_share = 0.3, older_share = 0.7;

/// A category's monthly exit from residential care: 0.05 for the older; for the young the
/// hazard halved, p' = 1 - (1 - 0.05)^0.5 (a single destination).
double exit_of(bool young) { return young ? 1.0 - std::pow(0.95, 0.5) : 0.05; }

/// The residential share of a category at each step: start x P^t of its own two-state chain.
std::vector<double> residential_share(bool young) {
  const double out = exit_of(young);
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

/// Expected moves home per person of a category over the horizon: the sum over steps of the
/// share in residential care times the exit.
double moves_home_per_person(bool young) {
  double total = 0.0;
  for (double r : residential_share(young)) total += r * exit_of(young);
  return total;
}

/// Expected person-years in residential care per person of a category in calendar year c
/// (the run starts in January: year c is steps 12c .. 12c + 11).
double residential_years_per_person(bool young, int c) {
  const std::vector<double> r = residential_share(young);
  double total = 0.0;
  for (int t = 12 * c; t < 12 * c + 12; ++t) total += r[static_cast<std::size_t>(t)] / 12.0;
  return total;
}

constexpr auto row_of = test::attribute_row;

} // namespace

TEST_CASE("person attributes: each category's occupancy and moves follow its own exact chain, in both kernels") {
  using namespace socinvest;
  const auto s = test::scenario(two_ages);
  const Layout L = make_layout(s);
  // The moves of care are split by age band (the transition cost's attribute): two blocks of
  // 2 x 2; the cells are not (no state cost varies). Groups: 2 variants x (1 + 2 categories).
  CHECK(L.move_attribute[0] == 0);
  CHECK(L.move_categories[0] == 2);
  CHECK(L.transitions == 8);
  CHECK(L.cells == 2);
  CHECK(L.person_attribute_groups);
  CHECK(L.attribute_categories == 2);
  CHECK(L.groups == 6);
  const int home_move[2] = {L.transition(0, 0, 1, 0), L.transition(0, 0, 1, 1)};
  CHECK(home_move[1] - home_move[0] == 4);
  const std::array<std::vector<double>, 2> exact{residential_share(true), residential_share(false)};
  CHECK(exact[0][12] > exact[1][12] + 0.1); // the two chains differ: a kernel that mixed them up would fail
  for (auto kernel : {Kernel::events, Kernel::monthly}) {
    CAPTURE(kernel == Kernel::events ? "events" : "monthly");
    const int I = 40;
    // [iteration][step][category]: per person of the category, the share in residential care
    // (from the category's group) and the moves home (from the category's block of moves).
    std::vector<std::vector<std::array<double, 2>>> share(I), moved(I);
    RunOptions o;
    o.iterations = I;
    o.threads = 2;
    o.kernel = kernel;
    run_monte_carlo(s, o, [&](const IterationData& data) {
      const Population& pop = *data.population;
      std::array<double, 2> count{};
      for (std::size_t p = 0; p < static_cast<std::size_t>(pop.persons()); ++p) count[static_cast<std::size_t>(pop.attribute_of(p, 0))] += 1;
      auto& sh = share[data.iteration];
      auto& mv = moved[data.iteration];
      sh.assign(months, {0.0, 0.0});
      mv.assign(months, {0.0, 0.0});
      const Tally& base = data.tallies[0];
      for (int t = 0; t < months; ++t)
        for (int k = 0; k < 2; ++k) {
          sh[t][static_cast<std::size_t>(k)] = base.occupied(L.attribute_group(k, 0), t, 0) / count[static_cast<std::size_t>(k)];
          mv[t][static_cast<std::size_t>(k)] = base.moved(0, t, home_move[k]) / count[static_cast<std::size_t>(k)];
          // A category's group holds only its own persons' moves: the other block is empty.
          CHECK(base.moved(L.attribute_group(k, 0), t, home_move[1 - k]) == 0);
        }
      // Exact, in every tally and step: the categories of the person attribute add up to
      // everybody (group 0) and to the participants (group 1), cell by cell and move by move.
      for (const Tally& tally : data.tallies)
        for (int t = 0; t < months; ++t)
          for (int g : {0, 1}) {
            for (int c = 0; c < L.cells; ++c)
              CHECK(tally.occupied(L.attribute_group(0, g), t, c) + tally.occupied(L.attribute_group(1, g), t, c) ==
                    tally.occupied(g, t, c));
            for (int m = 0; m < L.transitions; ++m)
              CHECK(tally.moved(L.attribute_group(0, g), t, m) + tally.moved(L.attribute_group(1, g), t, m) == tally.moved(g, t, m));
          }
    });
    double worst = 0.0;
    auto check = [&](const std::vector<std::vector<std::array<double, 2>>>& mc, int t, int k, double expected, const char* what) {
      double mean = 0.0, ss = 0.0;
      for (int i = 0; i < I; ++i) mean += mc[i][t][k] / I;
      for (int i = 0; i < I; ++i) ss += (mc[i][t][k] - mean) * (mc[i][t][k] - mean);
      const double se = std::sqrt(ss / (I - 1) / I);
      const double z = std::abs(mean - expected) / std::max(se, 1e-12);
      worst = std::max(worst, z);
      CHECK_MESSAGE(z < 4.5, what << " step " << t << " category " << k << ": MC " << mean << " exact " << expected);
    };
    for (int t = 0; t < months; ++t)
      for (int k = 0; k < 2; ++k) {
        const double r = exact[static_cast<std::size_t>(k)][static_cast<std::size_t>(t)];
        if (t > 0) check(share, t, k, r, "residential share");
        check(moved, t, k, r * exit_of(k == 0), "moves home");
      }
    MESSAGE("largest deviation: " << worst << " standard errors");
  }
}

TEST_CASE("transition costs by attribute: each category's moves at its own amount, and results by person attribute, in both kernels") {
  using namespace socinvest;
  const auto s = test::scenario(two_ages);
  const double young = persons * young_share * moves_home_per_person(true) * 4000.0;
  const double older = persons * older_share * moves_home_per_person(false) * 1000.0;
  // Priced as if every move cost 1,000 kr.: what a pricing that ignored the attribute gives.
  const double ignored = young / 4.0 + older;
  std::array<Stat, 2> baseline{};
  for (auto kernel : {Kernel::events, Kernel::monthly}) {
    CAPTURE(kernel == Kernel::events ? "events" : "monthly");
    RunOptions o;
    o.iterations = 40;
    o.threads = 2;
    o.kernel = kernel;
    const auto a = analyse(s, o);
    const Results& r = a->results;
    const int health = test::account(r, "health");
    const Stat& cost = r.money_at(1, health, -1, Measure::gross_cost_baseline);
    CHECK(std::abs(cost.mean - (young + older)) < 4.5 * cost.se);
    CHECK(std::abs(cost.mean - ignored) > 10 * cost.se); // the check can fail
    baseline[kernel == Kernel::events ? 0 : 1] = cost;
    // By person attribute (by_attribute.csv): each category's moves at its own amount, and
    // its person-years in residential care in each calendar year, against the closed form.
    const AttributeRow* y = row_of(r, 1, 0, AttributeKind::money, "health", -1, "gross_cost_baseline");
    const AttributeRow* od = row_of(r, 1, 1, AttributeKind::money, "health", -1, "gross_cost_baseline");
    REQUIRE(y);
    REQUIRE(od);
    CHECK(std::abs(y->stat.mean - young) < 4.5 * y->stat.se);
    CHECK(std::abs(od->stat.mean - older) < 4.5 * od->stat.se);
    CHECK(std::abs(y->stat.mean - young / 4.0) > 10 * y->stat.se);
    for (int c = 0; c < 2; ++c)
      for (int k = 0; k < 2; ++k) {
        const AttributeRow* py = row_of(r, 1, k, AttributeKind::person_years, "care.residential", c, "baseline");
        REQUIRE(py);
        const double expected = persons * (k == 0 ? young_share : older_share) * residential_years_per_person(k == 0, c);
        CHECK_MESSAGE(std::abs(py->stat.mean - expected) < 4.5 * py->stat.se,
                      "year " << c << " category " << k << ": MC " << py->stat.mean << " exact " << expected);
      }
    // A person attribute has no households row (its households' members can differ), but its persons.
    CHECK(row_of(r, 1, 0, AttributeKind::population, "households", -1, "value") == nullptr);
    const AttributeRow* n = row_of(r, 1, 0, AttributeKind::population, "persons", -1, "value");
    REQUIRE(n);
    CHECK(std::abs(n->stat.mean - persons * young_share) < 4.5 * n->stat.se);
  }
  // The kernels agree with each other too (independent runs: the combined standard error).
  CHECK(std::abs(baseline[0].mean - baseline[1].mean) < 4.5 * std::hypot(baseline[0].se, baseline[1].se));
}

TEST_CASE("results by person attribute: the categories add up to the whole, iteration by iteration; csv and report") {
  using namespace socinvest;
  const auto s = test::scenario(two_ages);
  const auto a = test::analyse(s, 6);
  REQUIRE(a->books.size() == 6);
  const Layout L = make_layout(s);
  for (const IterationBook& book : a->books)
    for (int v : {0, 1}) {
      const VariantBook& b = book.variants[static_cast<std::size_t>(v)];
      CHECK(b.category_persons[0] + b.category_persons[1] == b.persons);
      CHECK(b.category_persons[0] > 500); // about 30 % of 2000
      CHECK(b.category_persons[0] < 700);
      // A household counts in a category when a member is in it: some have both.
      CHECK(b.category_households[0] + b.category_households[1] > 1000);
      for (int c = 0; c < b.calendar_years; ++c)
        for (int acc = 0; acc < b.accounts; ++acc) {
          const double whole = b.gross_by_calendar[b.at_calendar(acc, c)];
          const double parts = b.category_gross_by_calendar[b.at_category(0, acc, c)] + b.category_gross_by_calendar[b.at_category(1, acc, c)];
          CHECK(parts == doctest::Approx(whole).epsilon(1e-12));
        }
    }
  const Results& r = a->results;
  const int health = test::account(r, "health");
  const AttributeRow* y = row_of(r, 1, 0, AttributeKind::money, "health", -1, "savings");
  const AttributeRow* o = row_of(r, 1, 1, AttributeKind::money, "health", -1, "savings");
  REQUIRE(y);
  REQUIRE(o);
  // More moves home with the project: negative savings at health, split by category.
  const double savings = r.money_at(1, health, -1, Measure::savings).mean;
  CHECK(savings < 0);
  CHECK(y->stat.mean + o->stat.mean == doctest::Approx(savings).epsilon(1e-9));
  const std::string csv = by_attribute_csv(r);
  CHECK(csv.find("project,age_band,young,money,health,total,24,savings_pv,mean,") != std::string::npos);
  CHECK(csv.find("project,age_band,older,population,persons,total,24,value,p5,") != std::string::npos);
  CHECK(csv.find("project,age_band,young,population,households,") == std::string::npos);
  CHECK(csv.find("project,age_band,young,person_years,care.residential,2025,12,difference,mean,") != std::string::npos);
  // The report: a table of its own, with persons, in both languages; no household table.
  const std::string en = html_report(r, Manifest{}, Language::en), da = html_report(r, Manifest{}, Language::da);
  CHECK(en.find("<h3>By attribute of the person</h3>") != std::string::npos);
  CHECK(en.find("<h3>By attribute</h3>") == std::string::npos);
  CHECK(en.find("<td>age_band</td><td>young</td>") != std::string::npos);
  CHECK(en.find("<th class=\"n\">Persons</th>") != std::string::npos);
  CHECK(da.find("<h3>Efter kendetegn ved personen</h3>") != std::string::npos);
  CHECK(da.find("<th class=\"n\">Personer</th>") != std::string::npos);
}

TEST_CASE("results by person attribute: the same bytes on one thread and on two, on both kernels") {
  using namespace socinvest;
  const auto s = test::scenario(two_ages);
  for (auto kernel : {Kernel::events, Kernel::monthly}) {
    CAPTURE(kernel == Kernel::events ? "events" : "monthly");
    std::string csv[2];
    for (int threads : {1, 2}) {
      RunOptions o;
      o.iterations = 6;
      o.threads = threads;
      o.kernel = kernel;
      csv[threads - 1] = by_attribute_csv(analyse(s, o)->results);
    }
    CHECK(csv[0].size() > 1000);
    CHECK(csv[0] == csv[1]);
  }
}

TEST_CASE("transition costs by attribute: a kept simulation re-priced at another category amount equals a full run") {
  using namespace socinvest;
  const auto s = test::scenario(two_ages);
  // The category's amount is a price of its own, named by its key path.
  std::string path;
  for (const Quantity* q : s.price_quantities())
    if (q->path.find("by_attribute") != std::string::npos) path = q->path;
  CHECK(path == "costs.transitions.care.residential->care.home.by_attribute.age_band.young");
  for (auto kernel : {Kernel::events, Kernel::monthly}) {
    CAPTURE(kernel == Kernel::events ? "events" : "monthly");
    RunOptions o;
    o.iterations = 4;
    o.threads = 2;
    o.kernel = kernel;
    KeptSimulation kept;
    kept.limit_bytes = std::size_t{64} << 20;
    (void)analyse(s, o, nullptr, &kept);
    REQUIRE(kept.complete);
    auto other = o;
    other.parameters.fixed[path] = 9000.0;
    CHECK(same_simulation(s, o, other));
    const auto full = analyse(s, other);
    const auto again = reprice(s, other, kept);
    const auto first = analyse(s, o);
    const int health = test::account(full->results, "health");
    const Stat a = full->results.money_at(1, health, -1, Measure::gross_cost_baseline);
    const Stat b = again->results.money_at(1, health, -1, Measure::gross_cost_baseline);
    CHECK(exact_number(a.mean) == exact_number(b.mean));
    CHECK(exact_number(a.p5) == exact_number(b.p5));
    // The new amount changed the health money (so the comparison is not of two equal runs).
    CHECK(a.mean > first->results.money_at(1, health, -1, Measure::gross_cost_baseline).mean * 1.5);
    CHECK(by_attribute_csv(full->results) == by_attribute_csv(again->results));
  }
}

TEST_CASE("transition costs by attribute: mistakes are named by key path, with what is allowed") {
  const std::string s = two_ages;
  auto error = [&](const std::string& from, const std::string& to) { return test::errors_of(test::replaced(s, from, to)); };
  const std::string line = "by_attribute: {age_band: {young: 4000}}";
  const std::string unknown = error(line, "by_attribute: {age_bnad: {young: 4000}}");
  CHECK(unknown.find("unknown attribute 'age_bnad'") != std::string::npos);
  CHECK(unknown.find("did you mean 'age_band'") != std::string::npos);
  const std::string category = error(line, "by_attribute: {age_band: {yuong: 4000}}");
  CHECK(category.find("costs.transitions.care.residential->care.home.by_attribute.age_band") != std::string::npos);
  CHECK(category.find("unknown category of 'age_band' 'yuong'") != std::string::npos);
  CHECK(category.find("(defined: young, older)") != std::string::npos);
  CHECK(error(line, "by_attribute: {age_band: {young: 4000}, x: {}}").find("with one attribute") != std::string::npos);
  // Two attributes on the moves of one domain: refused, naming both and where the first was chosen.
  const std::string two = test::errors_of(test::replaced(
      test::replaced(s, "attributes:\n", "attributes:\n  area: {level: household, categorical: {near: 0.5, far: 0.5}}\n"),
      "variants:", "    care.home->care.residential: {department: health, amount: 500, by_attribute: {area: {far: 700}}}\nvariants:"));
  CHECK(two.find("the transition costs of domain 'care' vary by two attributes ('age_band' at "
                 "'care.residential->care.home' and 'area' here)") != std::string::npos);
  // The same attribute on two transitions of the domain is fine.
  CHECK(test::errors_of(test::replaced(s, "variants:",
                                       "    care.home->care.residential: {department: health, amount: 500, by_attribute: {age_band: {older: 700}}}\nvariants:"))
            .empty());
}

// Households with a member in a person attribute's category (by_attribute.csv's item
// households_with_member, report.html's column), counted by hand on a CSV extract of four
// households: h1 {a far, b near}, h2 {c, d, i near}, h3 {e far, f near}, h4 {g, h far}.
// distance near: persons b, c, d, i, f = 5, households h1, h2, h3 = 3; far: persons a, e, g,
// h = 4, households h1, h3, h4 = 3 (3 + 3 = 6 > 4 households: they overlap). The household
// attribute area (h1, h2 north; h3, h4 south) keeps its households row and has no such row.
TEST_CASE("results by person attribute: the households with a member in each category, by hand") {
  using namespace socinvest;
  const test::TempDir dir;
  std::ofstream(dir.path / "people.csv") << "household_id,person_id,role,age,work,work_months,area,distance\n"
                                            "h1,a,adult,40,u,3,north,far\n"
                                            "h1,b,adult,38,j,,north,near\n"
                                            "h2,c,adult,50,u,1,north,near\n"
                                            "h2,d,adult,45,u,1,north,near\n"
                                            "h2,i,adult,20,j,1,north,near\n"
                                            "h3,e,adult,30,j,2,south,far\n"
                                            "h3,f,adult,33,u,2,south,near\n"
                                            "h4,g,adult,60,u,9,south,far\n"
                                            "h4,h,adult,61,u,9,south,far\n";
  std::ofstream(dir.path / "s.yaml") << R"(
scenario: households-with-member
run: {start: 2024-01, horizon_years: 1, iterations: 3, seed: 5}
departments: {d: {name: D}}
domains:
  work:
    applies_to: {role: adult, age: [18, 100]}
    states: [u, j]
    transitions:
      u: {to: {j: 0.10}}
      j: {to: {u: 0.05}}
attributes:
  area: {level: household, categories: [north, south]}
  distance: {level: person, categories: [near, far]}
population: {csv: people.csv}
costs:
  work.u: {department: d, amount: 1000}
variants:
  baseline: {}
  v:
    interventions:
      team: {effects: [{transition: work.u->j, hazard_ratio: 2.0}]}
)";
  const Scenario s = load_scenario((dir.path / "s.yaml").string());
  const auto a = test::analyse(s, 3);
  const Results& r = a->results;
  auto row = [&](const std::string& attribute, int category, const std::string& item) -> const AttributeRow* {
    const int at = attribute == "area" ? 0 : 1;
    for (const AttributeRow& x : r.by_attribute)
      if (x.variant == 1 && x.attribute == at && x.category == category && x.kind == AttributeKind::population &&
          x.item == item && x.year == -1 && std::string(x.measure) == "value")
        return &x;
    return nullptr;
  };
  REQUIRE(s.attributes.size() == 2);
  REQUIRE(s.attributes[1].id == "distance");
  // The same households in every iteration (an extract): the count is exact, no spread.
  const double near_households = 3, far_households = 3, near_persons = 5, far_persons = 4;
  for (auto [category, households, persons] : {std::array{0.0, near_households, near_persons},
                                               std::array{1.0, far_households, far_persons}}) {
    const int k = static_cast<int>(category);
    CAPTURE(k);
    const AttributeRow* h = row(std::string("distance"), k, "households_with_member");
    const AttributeRow* p = row(std::string("distance"), k, "persons");
    REQUIRE(h);
    REQUIRE(p);
    CHECK(h->stat.mean == households);
    CHECK(h->stat.p5 == households);
    CHECK(h->stat.p95 == households);
    CHECK(p->stat.mean == persons);
    // A person attribute has no plain households row: nobody should add these up.
    CHECK(row("distance", k, "households") == nullptr);
  }
  // The household attribute: its households (2 and 2, adding up to the 4), no such row.
  REQUIRE(row("area", 0, "households"));
  CHECK(row("area", 0, "households")->stat.mean == 2.0);
  CHECK(row("area", 1, "households")->stat.mean == 2.0);
  CHECK(row("area", 0, "persons")->stat.mean == 5.0);
  CHECK(row("area", 0, "households_with_member") == nullptr);
  // by_attribute.csv: the rows, named so.
  const std::string csv = by_attribute_csv(r);
  CHECK(csv.find("v,distance,near,population,households_with_member,total,12,value,mean,3\n") != std::string::npos);
  CHECK(csv.find("v,distance,far,population,households_with_member,total,12,value,mean,3\n") != std::string::npos);
  CHECK(csv.find("v,distance,far,population,persons,total,12,value,mean,4\n") != std::string::npos);
  CHECK(csv.find("v,area,north,population,households,total,12,value,mean,2\n") != std::string::npos);
  CHECK(csv.find("v,area,north,population,households_with_member,") == std::string::npos);
  // report.html: the person table has the column and the note; the household table neither.
  const std::string en = html_report(r, Manifest{}, Language::en), da = html_report(r, Manifest{}, Language::da);
  const std::size_t person_table = en.find("<h3>By attribute of the person</h3>");
  REQUIRE(person_table != std::string::npos);
  CHECK(en.find("Households with a member in it") > person_table);
  CHECK(en.find("<th class=\"n\">Persons</th><th class=\"n\">Households with a member in it</th>") != std::string::npos);
  CHECK(en.find("<td>distance</td><td>near</td><td class=\"n\">5</td><td class=\"n\">3</td>") != std::string::npos);
  CHECK(en.find("<td>distance</td><td>far</td><td class=\"n\">4</td><td class=\"n\">3</td>") != std::string::npos);
  CHECK(en.find("<td>area</td><td>north</td><td class=\"n\">2</td><td class=\"n\">") != std::string::npos);
  CHECK(en.find("these households add up to more than all households and are not persons: do not sum them") !=
        std::string::npos);
  CHECK(da.find("<th class=\"n\">Personer</th><th class=\"n\">Husstande med et medlem heri</th>") != std::string::npos);
  CHECK(da.find("læg dem ikke sammen") != std::string::npos);
}

// The same on a synthetic population: two adults per household, each young with 0.3 on
// their own, so a household has a young member with 1 - 0.7^2 = 0.51 and an older one with
// 1 - 0.3^2 = 0.91 (binomial over 1000 households, redrawn each iteration).
TEST_CASE("results by person attribute: households with a member, against the binomial on a synthetic population") {
  using namespace socinvest;
  const auto s = test::scenario(two_ages);
  constexpr int iterations = 8;
  const auto a = test::analyse(s, iterations);
  for (auto [k, p] : {std::pair{0, 0.51}, std::pair{1, 0.91}}) {
    CAPTURE(k);
    const AttributeRow* h = row_of(a->results, 1, k, AttributeKind::population, "households_with_member", -1, "value");
    REQUIRE(h);
    const double se = std::sqrt(1000.0 * p * (1.0 - p) / iterations);
    CHECK(std::abs(h->stat.mean - 1000.0 * p) < 4.5 * se);
  }
}
