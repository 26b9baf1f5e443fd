// Attributes of persons and households (scenarios/README.md § 9.3): how they are declared and
// drawn or read, that a scenario with them draws every other number exactly as without (so
// the shipped scenarios' outputs stay the same), and eligibility by attribute. The links on
// attributes are checked against the exact chain in test_markov_exact.cpp.
#include "support.hpp"

#include <socinvest/interventions/enrolment.hpp>
#include <socinvest/population/population.hpp>
#include <socinvest/report/assumptions.hpp>

#include <doctest/doctest.h>

#include <cmath>
#include <limits>
#include <string>

namespace {

const char* base = R"(
scenario: attributes
run: {start: 2024-01, horizon_years: 2, iterations: 4, seed: 5}
departments: {d: {name: D}}
domains:
  work:
    applies_to: {role: adult, age: [18, 100]}
    states: [u, j]
    transitions:
      u: {to: {j: 0.10}}
      j: {to: {u: 0.05}}
population:
  households: 4000
  synthetic:
    adults_per_household: {categorical: {1: 0.5, 2: 0.5}}
    children_per_household: {poisson: 1.0, max: 4}
    adult_age: {uniform: [25, 60]}
    start_state: {work: {u: 0.6, j: 0.4}}
    months_in_start_state: {work.u: {uniform: [0, 40]}}
variants:
  baseline: {}
)";

const char* attributes = R"(
attributes:
  area: {level: household, categorical: {north: 0.2, middle: 0.3, south: 0.5}, source: "test"}
  distance: {level: person, categorical: {near: 0.75, far: 0.25}}
)";

/// The base scenario with the attributes above (before its variants).
std::string with_attributes() { return test::replaced(base, "variants:", std::string(attributes) + "variants:"); }

} // namespace

TEST_CASE("attributes: drawn on their own stream, so every other draw is the same as without them") {
  using namespace socinvest;
  const Scenario without = test::scenario(base);
  const Scenario with = test::scenario(with_attributes());
  REQUIRE(with.attributes.size() == 2);
  CHECK(with.attributes[0].level == Attribute::Level::household);
  CHECK(with.attributes[1].level == Attribute::Level::person);
  const Streams streams(5);
  const Population a = synthesize_population(without, streams, 3);
  const Population b = synthesize_population(with, streams, 3);
  CHECK(a.attributes == 0);
  CHECK(a.attribute.empty());
  CHECK(a.household_size == b.household_size);
  CHECK(a.age_months == b.age_months);
  CHECK(a.state == b.state);
  CHECK(a.months_in_state == b.months_in_state);
  REQUIRE(b.attributes == 2);
  REQUIRE(b.attribute.size() == 2 * b.role.size());
  // Shares: area per household, distance per person, each within 4 binomial standard errors.
  const int H = b.households(), P = b.persons();
  int south = 0, far = 0, mixed_area = 0, mixed_distance = 0;
  for (int h = 0; h < H; ++h) {
    const std::size_t f = b.household_first[h];
    south += b.attribute_of(f, 0) == 2;
    for (std::size_t p = f; p < f + b.household_size[h]; ++p) {
      mixed_area += b.attribute_of(p, 0) != b.attribute_of(f, 0);
      mixed_distance += b.attribute_of(p, 1) != b.attribute_of(f, 1);
    }
  }
  for (int p = 0; p < P; ++p) far += b.attribute_of(static_cast<std::size_t>(p), 1) == 1;
  CHECK(mixed_area == 0);      // a household attribute is the household's
  CHECK(mixed_distance > 100); // a person attribute differs within households
  CHECK(std::abs(south / double(H) - 0.5) < 4 * std::sqrt(0.25 / H));
  CHECK(std::abs(far / double(P) - 0.25) < 4 * std::sqrt(0.25 * 0.75 / P));
  // Another iteration draws other attributes.
  const Population c = synthesize_population(with, streams, 4);
  CHECK(c.attribute != b.attribute);
}

TEST_CASE("population: a draw is skipped only when every word gives the same, even with a value listed twice") {
  using namespace socinvest;
  // One adult for sure: no composition block is needed, and the households all have one.
  const Scenario one = test::scenario(test::replaced(base, "adults_per_household: {categorical: {1: 0.5, 2: 0.5}}",
                                                     "adults_per_household: 1"));
  const Population a = synthesize_population(one, Streams(5), 3);
  for (int h = 0; h < a.households(); ++h) REQUIRE(a.household_size[h] >= 1);
  // 1, 2, then 1 again ("01"): both ends of the uniform give one adult, the middle half two.
  // A test at the ends alone would call it certain and give every household one adult.
  const Scenario twice = test::scenario(test::replaced(base, "adults_per_household: {categorical: {1: 0.5, 2: 0.5}}",
                                                       "adults_per_household: {categorical: {1: 0.25, 2: 0.5, 01: 0.25}}"));
  const Population b = synthesize_population(twice, Streams(5), 3);
  int two = 0;
  for (int h = 0; h < b.households(); ++h) {
    int adults = 0;
    for (std::size_t p = b.household_first[h]; p < b.household_first[h] + b.household_size[h]; ++p)
      adults += b.role[p] == static_cast<std::uint8_t>(Role::adult);
    two += adults == 2;
  }
  CHECK(std::abs(two / double(b.households()) - 0.5) < 4 * std::sqrt(0.25 / b.households()));
  // The same for a start state listed on both sides of another.
  const Scenario states = test::scenario(test::replaced(base, "start_state: {work: {u: 0.6, j: 0.4}}",
                                                        "start_state: {work: {u: 0.25, j: 0.5, u: 0.25}}"));
  const Population c = synthesize_population(states, Streams(5), 3);
  int in_j = 0, adults = 0;
  for (int p = 0; p < c.persons(); ++p)
    if (c.role[static_cast<std::size_t>(p)] == static_cast<std::uint8_t>(Role::adult)) {
      ++adults;
      in_j += c.state[static_cast<std::size_t>(p) * c.domains] == 1;
    }
  CHECK(std::abs(in_j / double(adults) - 0.5) < 4 * std::sqrt(0.25 / adults));
}

TEST_CASE("attributes: declaration errors name the key path and what is allowed") {
  const std::string s = base;
  const auto sum = test::errors_of(s + "attributes:\n  area: {categorical: {north: 0.2, south: 0.5}}\n");
  CHECK(sum.find("attributes.area.categorical: shares must sum to 1 (they sum to 0.7") != std::string::npos);
  const auto level = test::errors_of(s + "attributes:\n  area: {level: street, categorical: {north: 1}}\n");
  CHECK(level.find("attributes.area.level") != std::string::npos);
  CHECK(level.find("household") != std::string::npos);
  const auto list = test::errors_of(s + "attributes:\n  area: {categories: [north, south]}\n");
  CHECK(list.find("attributes.area.categories: a synthetic population draws attributes from shares") != std::string::npos);
  const auto missing = test::errors_of(s + "attributes:\n  area: {level: household}\n");
  CHECK(missing.find("attributes.area.categorical: is required") != std::string::npos);
}

TEST_CASE("attributes: eligibility by a household attribute and by a member's attribute") {
  using namespace socinvest;
  // Three households from a CSV extract, by hand: h1 north (a far adult), h2 south (all
  // near), h3 middle (a far child only).
  const std::string yaml = std::string(R"(
scenario: attributes-csv
run: {start: 2024-01, horizon_years: 1, iterations: 2, seed: 5}
departments: {d: {name: D}}
domains:
  work:
    applies_to: {role: adult, age: [18, 100]}
    states: [u, j]
    transitions:
      u: {to: {j: 0.10}}
      j: {to: {u: 0.05}}
attributes:
  area: {level: household, categories: [north, middle, south]}
  distance: {level: person, categorical: {near: 0.5, far: 0.5}}
population: {csv: attributes.csv}
variants:
  baseline: {}
  v:
    interventions:
      by_area: {eligible: {attribute: {area: [north, middle]}}}
      far_adult: {eligible: {any_member: {role: adult, attribute: {distance: far}}}}
      far_anyone: {eligible: {any_member: {attribute: {distance: far}}}}
      far_in_u: {eligible: {any_member: {state: work.u, attribute: {distance: far}}}}
      south: {eligible: {attribute: {area: south}}}
)");
  const Scenario s = test::scenario(yaml);
  const std::string csv = "household_id,person_id,role,age,work,work_months,area,distance\n"
                          "h1,a,adult,40,u,3,north,far\n"
                          "h1,b,adult,38,j,,north,near\n"
                          "h2,c,adult,50,u,1,south,near\n"
                          "h3,d,adult,30,j,2,middle,near\n"
                          "h3,e,child,8,,,middle,far\n";
  const Population pop = read_population_csv_text(s, csv, "attributes.csv");
  REQUIRE(pop.households() == 3);
  REQUIRE(pop.attributes == 2);
  const auto cases = case_departments(s);
  const auto& ivs = s.variants[1].interventions;
  REQUIRE(ivs.size() == 5);
  auto eligible = [&](int i) {
    std::string out;
    for (int h = 0; h < 3; ++h) out += is_eligible(ivs[static_cast<std::size_t>(i)].eligible, pop, h, cases) ? '1' : '0';
    return out;
  };
  CHECK(eligible(0) == "101"); // north, middle
  CHECK(eligible(1) == "100"); // a far adult: h1 only
  CHECK(eligible(2) == "101"); // a far member: h1's adult, h3's child
  CHECK(eligible(3) == "100"); // far and on u: h1's a
  CHECK(eligible(4) == "010"); // south
}

TEST_CASE("attributes: the CSV column, its categories and a household's one value are checked by line and column") {
  using namespace socinvest;
  const Scenario s = test::scenario(std::string(R"(
scenario: attributes-csv
run: {start: 2024-01, horizon_years: 1, iterations: 2, seed: 5}
departments: {d: {name: D}}
domains:
  work:
    applies_to: {role: adult, age: [18, 100]}
    states: [u, j]
    transitions: {u: {to: {j: 0.10}}, j: {to: {u: 0.05}}}
attributes:
  area: {level: household, categories: [north, middle, south]}
population: {csv: attributes.csv}
variants: {baseline: {}}
)"));
  auto error = [&](const std::string& csv) {
    try {
      (void)read_population_csv_text(s, csv, "p.csv");
    } catch (const InvalidInput& e) {
      return std::string(e.what());
    }
    return std::string();
  };
  const auto unknown = error("household_id,person_id,role,age,work,area\nh1,a,adult,40,u,nord\n");
  CHECK(unknown.find("p.csv:2:17: area: unknown category 'nord' of attribute 'area'; did you mean 'north'? (allowed: north, middle, south)") !=
        std::string::npos);
  const auto missing = error("household_id,person_id,role,age,work\nh1,a,adult,40,u\n");
  CHECK(missing.find("p.csv:1: area: required column is missing: the scenario declares attribute 'area'") != std::string::npos);
  const auto mixed = error("household_id,person_id,role,age,work,area\nh1,a,adult,40,u,north\nh1,b,adult,41,u,south\n");
  CHECK(mixed.find("p.csv:3: area: household 'h1' has area 'south' here but 'north' on line 2") != std::string::npos);
  const auto empty = error("household_id,person_id,role,age,work,area\nh1,a,adult,40,u,\n");
  CHECK(empty.find("area: is empty (allowed: north, middle, south)") != std::string::npos);
}

TEST_CASE("attributes: conditions refer to declared attributes and categories") {
  const std::string s = with_attributes();
  const auto unknown = test::errors_of(
      s + "  v:\n    interventions:\n      t: {eligible: {any_member: {attribute: {areal: [north]}}}}\n");
  CHECK(unknown.find("variants.v.interventions.t.eligible.any_member.attribute.areal: unknown attribute 'areal'; did you mean 'area'?") !=
        std::string::npos);
  const auto category = test::errors_of(s + "  v:\n    interventions:\n      t: {eligible: {attribute: {area: [nord]}}}\n");
  CHECK(category.find("unknown category 'nord'; did you mean 'north'?") != std::string::npos);
  const auto person = test::errors_of(s + "  v:\n    interventions:\n      t: {eligible: {attribute: {distance: far}}}\n");
  CHECK(person.find("'distance' is a person attribute: ask it of a member") != std::string::npos);
  const auto link = test::errors_of(test::replaced(s, "      j: {to: {u: 0.05}}\n",
                                                   "      j: {to: {u: 0.05}}\n    links:\n      - {when: {attribute: {distance: farther}}, transition: u->j, hazard_ratio: 0.5}\n"));
  CHECK(link.find("domains.work.links[0].when.attribute.distance") != std::string::npos);
  CHECK(link.find("unknown category 'farther'") != std::string::npos);
}

TEST_CASE("links on age: a range in years, checked like applies_to's") {
  const std::string s = base;
  auto with_link = [&](const std::string& when) {
    return test::replaced(s, "      j: {to: {u: 0.05}}\n",
                          "      j: {to: {u: 0.05}}\n    links:\n      - {when: " + when + ", transition: u->j, hazard_ratio: 0.5}\n");
  };
  const auto reversed = test::errors_of(with_link("{age: [50, 30]}"));
  CHECK(reversed.find("domains.work.links[0].when.age: the age range must have min < max") != std::string::npos);
  const auto scalar = test::errors_of(with_link("{age: 30}"));
  CHECK(scalar.find("domains.work.links[0].when.age: expected [min, max] in years (max may be null for no upper limit)") !=
        std::string::npos);
  const auto null = test::errors_of(with_link("{age: null}"));
  CHECK(null.find("domains.work.links[0].when.age: expected [min, max] in years") != std::string::npos);
  CHECK(null.find("unknown key 'age'") == std::string::npos);
  const auto old = test::errors_of(with_link("{age: [30, 130]}"));
  CHECK(old.find("domains.work.links[0].when.age[1]") == std::string::npos); // 130 is allowed (up to 200)
  const auto young = test::errors_of(with_link("{age: [-1, 30]}"));
  CHECK(young.find("domains.work.links[0].when.age[0]") != std::string::npos);
  // A range the domain never reaches (it applies to ages 18 to under 100) is run, with a
  // warning that names it.
  const socinvest::Scenario never = test::scenario(with_link("{age: [10, 18]}"));
  REQUIRE(never.warnings.size() == 1);
  CHECK(never.warnings[0].format_warning().find(
            "domains.work.links[0].when.age: the link on age never holds: ages 10 to under 18 lie outside the domain's "
            "applies_to.age (18 to under 100)") != std::string::npos);
  CHECK(never.warnings[0].format_warning(socinvest::Language::da).find("linket efter alder gælder aldrig: alderen 10 til under 18") !=
        std::string::npos);
  CHECK(test::scenario(with_link("{age: [17, 19]}")).warnings.empty());
  // An open range: from 50 on, no upper end.
  const socinvest::Scenario open = test::scenario(with_link("{age: [50, null]}") + "");
  REQUIRE(open.domains[0].links.size() == 1);
  REQUIRE(open.domains[0].links[0].age.has_value());
  CHECK(open.domains[0].links[0].age->first_month == 600);
  CHECK(open.domains[0].links[0].age->end_month == std::numeric_limits<int>::max());
  CHECK(open.domains[0].links[0].when.domain == -1);
  // The assumptions table says it in words, in both languages.
  auto label = [&](const socinvest::Scenario& sc, socinvest::Language lang) {
    for (const auto& row : socinvest::assumption_rows(sc, lang))
      if (row.path == "domains.work.links[0].hazard_ratio") return row.label;
    return std::string("(no row)");
  };
  CHECK(label(open, socinvest::Language::en).find("the person is 50 years old or older") != std::string::npos);
  CHECK(label(open, socinvest::Language::da).find("personen er 50 år eller ældre") != std::string::npos);
  const socinvest::Scenario range = test::scenario(with_link("{age: [30, 42.5]}"));
  CHECK(label(range, socinvest::Language::en).find("the person is 30 to under 42.50 years old") != std::string::npos);
  CHECK(label(range, socinvest::Language::da).find("personen er fra 30 til under 42,50 år") != std::string::npos);
}

TEST_CASE("attributes: the Viborg variant for two areas enrols only households of those two areas") {
  using namespace socinvest;
  const Scenario s = load_scenario(test::source_dir() + "/scenarios/viborg-two-areas.yaml");
  const int all = s.variant_index("relationel_velfaerd"), two = s.variant_index("two_areas");
  REQUIRE(all > 0);
  REQUIRE(two > 0);
  const int area = s.attribute_index("area");
  REQUIRE(area == 0);
  const Attribute& a = s.attributes[0];
  const int karup = a.category_index("karup_koelvraa");
  REQUIRE(karup >= 0);
  const Population pop = synthesize_population(s, Streams(s.run.seed), 0);
  const auto cases = case_departments(s);
  const EligibilityRule& rule_all = s.variants[static_cast<std::size_t>(all)].interventions[0].eligible;
  const EligibilityRule& rule_two = s.variants[static_cast<std::size_t>(two)].interventions[0].eligible;
  int eligible_all = 0, eligible_two = 0, in_karup = 0;
  for (int h = 0; h < pop.households(); ++h) {
    const bool e_all = is_eligible(rule_all, pop, h, cases), e_two = is_eligible(rule_two, pop, h, cases);
    const bool k = pop.attribute_of(pop.household_first[h], area) == karup;
    eligible_all += e_all;
    eligible_two += e_two;
    in_karup += e_all && k;
    // The two-area rule is the case's rule and "not in Karup/Kølvrå".
    CHECK(e_two == (e_all && !k));
  }
  CHECK(in_karup > 0);
  CHECK(eligible_two == eligible_all - in_karup);
  MESSAGE("eligible: " << eligible_all << " in three areas, " << eligible_two << " in two");
}
