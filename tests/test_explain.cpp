// `socinvest explain` (report/explain.hpp): the merged scenario in words. The amounts are
// checked against hand calculations of the price index, the places against the lines the
// test writes, and the Danish text against the English.
#include "support.hpp"

#include <socinvest/report/explain.hpp>

#include <doctest/doctest.h>

#include <string>

using namespace socinvest;

namespace {

// Line numbers matter: the amount of employment.benefit's first cost line is on line 19,
// the effect's hazard ratio on line 29.
const std::string yaml = R"(scenario: explained
title: Explained
run: {start: 2025-01, horizon_years: 2, iterations: 1, seed: 3, price_year: 2024}
departments:
  jobcenter: {name: Jobcentret}
  social: {name: Socialforvaltningen}
price_index: {2023: 100.0, 2024: 104.0}
domains:
  employment:
    applies_to: {role: adult, age: [18, 100]}
    states: [benefit, job]
    transitions: {benefit: {to: {job: 0.02}}}
population:
  households: 1
  synthetic: {adults_per_household: 1, adult_age: 30, start_state: {employment: {benefit: 1.0}}}
costs:
  employment.benefit:
    - {department: jobcenter,
       amount: 11944, price_year: 2023, source: "LAS § 22, sats 2023"}
    - {department: social, amount: {triangular: [1000, 2000, 3000]}}
variants:
  baseline: {}
  project:
    interventions:
      mentor:
        costs:
          - {department: social, fte: 2, monthly_cost_per_fte: 50000}
        effects:
          - {transition: employment.benefit->job, hazard_ratio: 1.5}
)";

bool has(const std::string& text, const std::string& part) {
  const bool found = text.find(part) != std::string::npos;
  if (!found) MESSAGE("missing: " << part << "\nin:\n" << text);
  return found;
}

} // namespace

TEST_CASE("explain: an amount given in another price year is shown in the run's prices, as given, and by its index") {
  const Scenario s = test::scenario(yaml, "explained.yaml");
  const std::string en = explain(s, Language::en);
  // 11,944 kr. in 2023 prices x 104 / 100 = 12,421.76 kr. in 2024 prices (shown in whole kroner).
  CHECK(has(en, "Jobcentret (jobcenter): 12,422 kr. a person-month"));
  CHECK(has(en, "given in 2023 prices: 11,944 kr. \u00d7 1.0400 (price index 2023 \u2192 2024)"));
  CHECK(has(en, "source: LAS § 22, sats 2023"));
  CHECK(has(en, "explained.yaml:19   [costs.employment.benefit[0].amount]"));
  // A distribution in words: its mean (2,000 for a symmetric triangle) and 90 % range.
  CHECK(has(en, "Socialforvaltningen (social): 2,000 kr. on average (90 %: "));
  CHECK(has(en, "triangular)"));
  // The intervention's staff, and its effect with where it was written.
  CHECK(has(en, "2 full-time staff at 50,000 kr. a month, service"));
  CHECK(has(en, "employment.benefit \u2192 job: hazard ratio 1.5000"));
  CHECK(has(en, "explained.yaml:29   [variants.project.interventions.mentor.effects[0].hazard_ratio]"));
}

TEST_CASE("explain: Danish text and Danish numbers with --lang da") {
  const Scenario s = test::scenario(yaml, "explained.yaml");
  const std::string da = explain(s, Language::da);
  CHECK(has(da, "Jobcentret (jobcenter): 12.422 kr. pr. personmåned"));
  CHECK(has(da, "angivet i 2023-priser: 11.944 kr. \u00d7 1,0400 (prisindeks 2023 \u2192 2024)"));
  CHECK(has(da, "2 årsværk à 50.000 kr. om måneden, serviceudgift"));
  CHECK(has(da, "Forvaltninger og fonde"));
  CHECK(da.find("given in") == std::string::npos);
  CHECK(da.find("a person-month") == std::string::npos);
}
