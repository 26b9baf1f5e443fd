// Overrides that replace a list whole: the loader's warnings name what they drop, never
// refuse the scenario and never change what it loads or what a run gives. And the Danish
// number habits the loader's errors hint at.
#include "support.hpp"

#include <socinvest/decision/compare.hpp>

#include <doctest/doctest.h>

#include <string>

using socinvest::InvalidInput;
using socinvest::Scenario;

namespace {

/// A scenario in tests/warnings/, so that it can include tests/warnings/includes/catalogue.yaml
/// (four cost lines for employment.cash_benefit: jobcenter 'kontanthjælp', jobcenter
/// 'sagsbehandling og aktivering', treasury 'kommuneskat af ydelsen', state 'bundskat af
/// ydelsen'; two for employment.job).
Scenario load(const std::string& yaml) {
  return socinvest::load_scenario_text(yaml, "inline.yaml", test::source_dir() + "/tests/warnings");
}

const std::string head = R"(scenario: inline
include: includes/catalogue.yaml
run: {start: 2023-09, horizon_years: 3, iterations: 20, seed: 7}
population: {households: 40, synthetic: {start_state: {employment: {cash_benefit: 0.8, job: 0.2}}}}
indicators:
  in_work: {domain: employment, states: [job]}
)";

const std::string project = R"(variants:
  baseline: {}
  project:
    interventions:
      team:
        uptake: 0.6
        capacity: {households: 20}
        start: 2023-09
        duration_months: 24
        costs:
          - {department: jobcenter, fte: 2, monthly_cost_per_fte: 52000, note: "jobkonsulenter"}
          - {department: fund, total: 2000000, finances: [jobcenter], note: "fondens bevilling"}
        effects:
          - {transition: employment.cash_benefit->job, hazard_ratio: 1.4}
          - {transition: employment.cash_benefit->education, hazard_ratio: 1.2}
    contracts:
      - {name: repayment, payer: jobcenter, payee: fund, when: {indicator: in_work, at_year: 2, at_least: 0.3}, amount: 2400000}
      - {name: bonus, payer: jobcenter, payee: fund, when: {indicator: in_work, at_year: 3, at_least: 0.4}, amount: 500000}
)";

std::string all_warnings(const Scenario& s) {
  std::string out;
  for (const auto& w : s.warnings) out += w.format_warning() + "\n";
  return out;
}

std::size_t lines_of(const Scenario& s, const std::string& state) {
  for (const auto& c : s.state_costs)
    if (s.domains[static_cast<std::size_t>(c.domain)].states[static_cast<std::size_t>(c.state)] == state)
      return c.lines.size();
  return 0;
}

std::string errors_of(const std::string& yaml) {
  try {
    (void)load(yaml);
  } catch (const InvalidInput& e) {
    return e.what();
  }
  return {};
}

} // namespace

TEST_CASE("a file that changes one cost line of a state is warned that it drops the others, by name") {
  // The trap of issue 14: one unit cost of cash benefit changed, the caseworker and both tax
  // lines gone.
  const Scenario s = load(head + R"(costs:
  employment.cash_benefit:
    - {department: jobcenter, amount: 15000, note: "kontanthjælp, forsørgersats"}
variants: {baseline: {}}
)");
  REQUIRE(s.warnings.size() == 1);
  const auto& w = s.warnings.front();
  CHECK(w.file.ends_with("tests/warnings/inline.yaml"));
  CHECK(w.line == 8); // the key employment.cash_benefit in the text above
  CHECK(w.column == 3);
  CHECK(w.key_path == "costs.employment.cash_benefit");
  CHECK(w.message.starts_with("replaces the 4 cost lines from "));
  CHECK(w.message.find("tests/warnings/includes/catalogue.yaml:16 with 1; ") != std::string::npos);
  CHECK(w.message.find("dropped: jobcenter 'sagsbehandling og aktivering', treasury 'kommuneskat af ydelsen', "
                       "state 'bundskat af ydelsen' (") != std::string::npos);
  // The kept line is not named as dropped, and the warning does not change what is loaded.
  CHECK(w.message.find("'kontanthjælp'") == std::string::npos);
  CHECK(lines_of(s, "cash_benefit") == 1);
  CHECK(lines_of(s, "job") == 2);
}

TEST_CASE("an override that keeps every line, is empty or is tagged !replace is not warned about") {
  SUBCASE("the same lines with other amounts and notes") {
    const Scenario s = load(head + R"(costs:
  employment.cash_benefit:
    - {department: state, amount: -1500, note: "bundskat af ydelsen"}
    - {department: jobcenter, amount: 15000, note: "kontanthjælp 2025"}
    - {department: treasury, amount: -3000, note: "kommuneskat af ydelsen"}
    - {department: jobcenter, amount: 2600}
variants: {baseline: {}}
)");
    CHECK(all_warnings(s) == "");
    CHECK(lines_of(s, "cash_benefit") == 4);
  }
  SUBCASE("!replace") {
    const Scenario s = load(head + R"(costs:
  employment.cash_benefit: !replace
    - {department: jobcenter, amount: 15000}
variants: {baseline: {}}
)");
    CHECK(all_warnings(s) == "");
    CHECK(lines_of(s, "cash_benefit") == 1);
  }
  SUBCASE("an empty list") {
    const Scenario s = load(head + R"(costs:
  employment.job: []
variants: {baseline: {}}
)");
    CHECK(all_warnings(s) == "");
    CHECK(lines_of(s, "job") == 0);
  }
}

TEST_CASE("a warning changes no result: the run is the same with and without !replace") {
  const std::string costs = R"(costs:
  employment.cash_benefit:TAG
    - {department: jobcenter, amount: 15000}
)";
  auto with_tag = [&](const std::string& tag) {
    std::string c = costs;
    c.replace(c.find("TAG"), 3, tag);
    return load(head + c + project);
  };
  const Scenario warned = with_tag(""), silent = with_tag(" !replace");
  REQUIRE(warned.warnings.size() == 1);
  REQUIRE(silent.warnings.empty());
  const auto a = test::analyse(warned, 20, 1), b = test::analyse(silent, 20, 1);
  CHECK(socinvest::npv_samples(*a, 1, "total") == socinvest::npv_samples(*b, 1, "total"));
}

TEST_CASE("extends: a variant's own costs, effects and contracts are warned about what they drop") {
  const Scenario s = load(head + project + R"(  smaller:
    extends: project
    interventions:
      team:
        effects:
          - {transition: employment.cash_benefit->job, hazard_ratio: 1.2}
  own_terms:
    extends: project
    contracts:
      - {name: repayment, payer: jobcenter, payee: fund, when: {indicator: in_work, at_year: 2, at_least: 0.25}, amount: 2000000}
)");
  const std::string w = all_warnings(s);
  CHECK(w.find("variants.smaller.interventions.team.effects: replaces the 2 effects from variant project (") !=
        std::string::npos);
  CHECK(w.find("with 1; dropped: employment.cash_benefit->education (") != std::string::npos);
  CHECK(w.find("variants.own_terms.contracts: replaces the 2 contracts from variant project (") != std::string::npos);
  CHECK(w.find("dropped: 'bonus' (jobcenter pays fund)") != std::string::npos);
  CHECK(w.find("'repayment' (") == std::string::npos); // kept: rewritten under its name
  CHECK(s.warnings.size() == 2);
}

TEST_CASE("extends: an inherited contract that repays more than the variant's cut grant is named") {
  const Scenario s = load(head + project + R"(  smaller:
    extends: project
    interventions:
      team:
        costs:
          - {department: jobcenter, fte: 1, monthly_cost_per_fte: 52000, note: "jobkonsulenter"}
          - {department: fund, total: 1000000, finances: [jobcenter], note: "fondens bevilling"}
  same_grant:
    extends: project
    interventions:
      team: {duration_months: 12}
)");
  REQUIRE(s.warnings.size() == 1);
  const auto& w = s.warnings.front();
  CHECK(w.key_path == "variants.smaller.contracts");
  // 'bonus' (500,000 kr.) fits within the smaller grant; only 'repayment' is named.
  CHECK(w.message == "inherits contract 'repayment' from project, which pays fund 2,400,000 kr. against its grants of "
                     "2,000,000 kr. there; here fund grants 1,000,000 kr. (write this variant's own contracts to fit "
                     "the smaller grant)");
}

TEST_CASE("a variant's own contracts leave its parent's for variants read after it") {
  // yaml-cpp's Node::operator= wrote own_terms' list into project's: 'later', read after
  // own_terms, inherited one contract instead of two.
  const Scenario s = load(head + project + R"(  own_terms:
    extends: project
    contracts: !replace
      - {name: repayment, payer: jobcenter, payee: fund, when: {indicator: in_work, at_year: 2, at_least: 0.25}, amount: 2000000}
  later:
    extends: project
)");
  CHECK(s.variants[static_cast<std::size_t>(s.variant_index("project"))].contracts.size() == 2);
  CHECK(s.variants[static_cast<std::size_t>(s.variant_index("own_terms"))].contracts.size() == 1);
  const auto& later = s.variants[static_cast<std::size_t>(s.variant_index("later"))].contracts;
  REQUIRE(later.size() == 2);
  CHECK(later[1].id == "bonus");
  CHECK(all_warnings(s) == "");
}

TEST_CASE("Danish number habits get a hint") {
  auto with_amount = [&](const std::string& amount) {
    return errors_of(head + "costs:\n  employment.job:\n    - department: treasury\n      amount: " + amount +
                     "\nvariants: {baseline: {}}\n");
  };
  CHECK(with_amount("1.333.333").find("got '1.333.333'; write 1333333 (no thousands separators)") != std::string::npos);
  CHECK(with_amount("-1.333.333").find("write -1333333 (no thousands separators)") != std::string::npos);
  CHECK(with_amount("500,5").find("got '500,5'; use a decimal point: 500.5\n") != std::string::npos);
  CHECK(with_amount("1.333,50").find("write 1333.50 (no thousands separators, and a decimal point)") != std::string::npos);
  CHECK(with_amount("12,326").find("use a decimal point: 12.326 (or write 12326 if the comma separates thousands)") !=
        std::string::npos);
  CHECK(with_amount("1,333,333").find("write 1333333 (no thousands separators)") != std::string::npos);
  // A number that is simply wrong gets no hint; 1.333 is a number.
  CHECK(with_amount("abc").find("write") == std::string::npos);
  CHECK(with_amount("1.333") == "");
  // A whole number: 10.000 is ten thousand.
  const std::string e = errors_of(
      "scenario: x\ninclude: includes/catalogue.yaml\nrun: {start: 2023-09, iterations: 10.000}\n"
      "population: {households: 4, synthetic: {start_state: {employment: {job: 1}}}}\nvariants: {baseline: {}}\n");
  CHECK(e.find("run.iterations: expected a whole number from 1 to 10000000, got '10.000'; write 10000 (no thousands "
               "separators)") != std::string::npos);
}

TEST_CASE("a tab in the indentation: YAML indents with spaces") {
  const std::string e = errors_of("scenario: x\nrun:\n  start: 2023-09\n\thorizon_years: 10\n");
  CHECK(e.find("inline.yaml:4:1: YAML syntax error: ") != std::string::npos);
  CHECK(e.find("; YAML indents with spaces: this line is indented with a tab (replace it with spaces)") !=
        std::string::npos);
  // A tab elsewhere keeps the general advice.
  const std::string other = errors_of("scenario: [x\n");
  CHECK(other.find("indents with spaces") == std::string::npos);
  CHECK(other.find("YAML syntax error") != std::string::npos);
}
