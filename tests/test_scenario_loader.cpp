// The scenario language: what it accepts, what it refuses and how it says so.
#include "support.hpp"

#include <socinvest/population/population.hpp>

#include <doctest/doctest.h>

#include <cmath>
#include <filesystem>
#include <fstream>

using socinvest::InvalidInput;

namespace {


const char* minimal = R"(
scenario: minimal
run: {start: 2024-01, horizon_years: 2, iterations: 5, seed: 1}
departments: {jobcenter: {name: "Beskæftigelse – Jobcenter Århus", level: municipality}}
domains:
  work:
    applies_to: {role: adult, age: [18, 67]}
    states: [benefit, job]
    transitions: {benefit: {to: {job: 0.05}}}
population: {households: 10, synthetic: {start_state: {work: {benefit: 1.0}}}}
variants: {baseline: {}}
)";

} // namespace

TEST_CASE("the sketch from SCENARIO-SKETCH.md validates and keeps what it says") {
  const auto s = socinvest::load_scenario(test::source_dir() + "/tests/fixtures/sketch.yaml");
  CHECK(s.title == "Relationel Velfærd – Sammen på tværs (Viborg)");
  CHECK(s.departments.size() == 6);
  // The including file overrides the catalogue's fund entry.
  CHECK(s.departments[s.department_index("fund")].name.en.find("Poul Due Jensens Fond") != std::string::npos);
  CHECK(s.run.discount.size() == 2);
  CHECK(s.run.discount[1].rate == 0.025);
  CHECK(s.variants.front().id == "baseline");
  const int team = s.variant_index("smaller_team");
  REQUIRE(team > 0);
  // smaller_team extends relational_welfare: its staff changes, its effects are inherited
  // and keep the parent's key path (so both draw the same effect size).
  const auto& iv = s.variants[team].interventions.at(0);
  CHECK(iv.staff.dist.a == 8.0);
  CHECK(iv.effects.size() == 2);
  CHECK(iv.effects[0].value.path == "variants.relational_welfare.interventions.cross_team.effects[0].hazard_ratio");
  CHECK(iv.staff.path == "variants.smaller_team.interventions.cross_team.capacity.staff");
  CHECK(s.files.size() == 2);
  CHECK(s.content_hash.size() == 16);
}

TEST_CASE("UTF-8 names round-trip") {
  const auto s = test::scenario(minimal);
  CHECK(s.departments[0].name == "Beskæftigelse – Jobcenter Århus");
}

TEST_CASE("distributions: parameters from the forms people write") {
  const auto s = test::scenario(std::string(minimal) + R"(
exits:
  mortality: {adult: {beta: {mean: 0.001, sd: 0.0005}}, child: {uniform: [0, 0.0001]}}
  moving_away: {triangular: [0.001, 0.002, 0.004]}
)");
  const auto& beta = s.exits.mortality_adult.dist;
  CHECK(beta.kind == socinvest::DistributionKind::beta);
  CHECK(beta.mean() == doctest::Approx(0.001));
  const double var = beta.a * beta.b / ((beta.a + beta.b) * (beta.a + beta.b) * (beta.a + beta.b + 1));
  CHECK(std::sqrt(var) == doctest::Approx(0.0005));
  // The mode lies below the middle, so the median is c - sqrt((c - a)(c - b) / 2).
  CHECK(s.exits.moving_away.dist.quantile(0.5) == doctest::Approx(0.004 - std::sqrt(0.003 * 0.002 / 2)));
  socinvest::Distribution ln{socinvest::DistributionKind::lognormal, std::log(1.4), (std::log(1.9) - std::log(1.05)) / (2 * 1.959963984540054), 0};
  CHECK(ln.quantile(0.5) == doctest::Approx(1.4));
  CHECK(ln.quantile(0.975) / ln.quantile(0.025) == doctest::Approx(1.9 / 1.05));
}

TEST_CASE("every problem is reported at once, each with file, line, column and key path") {
  const std::string bad = R"(
scenario: bad
run: {start: 2024-01, horizon_years: 2, iterations: 5, seed: 1, cylce: month}
departments: {jobcenter: {name: J}}
domains:
  work:
    applies_to: {role: adult, age: [18, 67]}
    states: [benefit, job]
    transitions: {benefit: {to: {job: 1.5}}}
population: {households: 10, synthetic: {start_state: {work: {benefit: 0.5}}}}
costs:
  work.benefit: [{department: jobcentre, amount: 100}]
variants: {baseline: {}}
)";
  const std::string e = test::errors_of(bad);
  CHECK(e.find("test.yaml:3:") != std::string::npos);
  CHECK(e.find("run.cylce: unknown key 'cylce'; did you mean 'cycle'?") != std::string::npos);
  CHECK(e.find("test.yaml:9:39: domains.work.transitions.benefit.to.job: 1.5 is out of range (allowed: a probability in [0, 1])") !=
        std::string::npos);
  CHECK(e.find("probabilities must sum to 1 (they sum to 0.5)") != std::string::npos);
  CHECK(e.find("unknown department 'jobcentre'; did you mean 'jobcenter'?") != std::string::npos);
}

TEST_CASE("includes resolve relative to the including file; cycles and missing files show the chain") {
  namespace fs = std::filesystem;
  const test::TempDir tmp;
  const fs::path& dir = tmp.path;
  fs::create_directories(dir / "sub");
  std::ofstream(dir / "main.yaml") << "include: [sub/a.yaml]\n" << std::string(minimal).substr(std::string(minimal).find("scenario:"));
  std::ofstream(dir / "sub" / "a.yaml") << "include: [b.yaml]\n";
  std::ofstream(dir / "sub" / "b.yaml") << "include: [a.yaml]\n";
  try {
    (void)socinvest::load_scenario((dir / "main.yaml").string());
    FAIL("a cycle must be refused");
  } catch (const InvalidInput& e) {
    const std::string msg = e.what();
    CHECK(msg.find("include cycle:") != std::string::npos);
    CHECK(msg.find("main.yaml -> ") != std::string::npos);
    CHECK(msg.find("sub/a.yaml -> ") != std::string::npos);
  }
  std::ofstream(dir / "sub" / "b.yaml") << "departments: {state: {name: S, level: state}}\n";
  const auto s = socinvest::load_scenario((dir / "main.yaml").string());
  CHECK(s.department_index("state") >= 0);
  CHECK(s.files.size() == 3);
}

TEST_CASE("malformed input never crashes") {
  CHECK(!test::errors_of("").empty());
  CHECK(!test::errors_of("- a\n- b\n").empty());
  CHECK(!test::errors_of(std::string(20000, '[')).empty());
  CHECK(!test::errors_of(std::string("\x00\x01\x02garbage", 10)).empty());
  CHECK(!test::errors_of("a: &a [x, x]\nb: &b [*a, *a]\nc: &c [*b, *b]\nscenario: *c\n").empty());
  CHECK(!test::errors_of("scenario: x\nrun: [1, 2]\ndomains: 5\nvariants: []\n").empty());
}

TEST_CASE("population CSV: every bad row reported as file:line: column: problem") {
  namespace fs = std::filesystem;
  const test::TempDir tmp;
  const fs::path& dir = tmp.path;
  std::string yaml = minimal;
  yaml.replace(yaml.find("population:"), yaml.find("variants:") - yaml.find("population:"), "population: {csv: people.csv}\n");
  std::ofstream(dir / "s.yaml") << yaml;
  std::ofstream(dir / "people.csv") << "household_id,person_id,role,age,work,work_months\n"
                                       "h1,p1,adult,40,benefit,30\n"
                                       "h1,p2,child,ten,,\n"
                                       "h2,p3,child,8,,\n"
                                       "h3,p1,adult,35,benefitt,2\n"
                                       "h4,p5,adult,30\n";
  try {
    const auto s = socinvest::load_scenario((dir / "s.yaml").string());
    (void)socinvest::read_population_csv(s);
    FAIL("the CSV must be refused");
  } catch (const InvalidInput& e) {
    const std::string msg = e.what();
    CHECK(msg.find("people.csv:3: age: 'ten' is not an age") != std::string::npos);
    CHECK(msg.find("people.csv:5: person_id: duplicate person id 'p1'") != std::string::npos);
    CHECK(msg.find("people.csv:6: expected 6 fields, found 4 (missing columns)") != std::string::npos);
    CHECK(msg.find("household 'h2' has no adult") != std::string::npos);
  }
  std::ofstream(dir / "people.csv") << "household_id,person_id,role,age,work,work_months\n"
                                       "h1,p1,adult,40,benefit,30\nh1,p2,child,10,,\nh2,p3,adult,50,job,\n";
  const auto s = socinvest::load_scenario((dir / "s.yaml").string());
  const auto pop = socinvest::read_population_csv(s);
  CHECK(pop.households() == 2);
  CHECK(pop.persons() == 3);
  CHECK(pop.months_in_state[0] == 30);
  CHECK(pop.state[2] == 1); // p3 in job
}
