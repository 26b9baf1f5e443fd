// The assumptions in plain words (report/assumptions.hpp, issue 14): what counts as a GUESS,
// the labels and units, the count of numbers without a source, and how much of the change in
// costs rests on them, against hand counts on a small scenario whose answer does not depend
// on the simulation.
#include "support.hpp"

#include <socinvest/ledger/repricing.hpp>
#include <socinvest/model/layout.hpp>
#include <socinvest/report/assumptions.hpp>
#include <socinvest/report/explain.hpp>
#include <socinvest/report/html_report.hpp>
#include <socinvest/report/tables.hpp>

#include <doctest/doctest.h>

#include <array>
#include <cmath>
#include <memory>
#include <string>

using namespace socinvest;

namespace {

// One adult per household, all on cash benefit at the start, in a closed population (no
// deaths, no moves away, no ageing out within two years): every person-month the variant
// takes off cash benefit is a person-month in a job, so the change in person-months on
// cash benefit is -D and in a job +D for the same D > 0. The cost lines' changes are then
// 10,000 D, 2,000 D and 3,000 D in size, whatever D the simulation gives.
const char* const fixture = R"(
scenario: guesses
run: {start: 2025-01, horizon_years: 2, iterations: 12, seed: 5, price_year: 2025}
departments:
  jobcenter: {name: Jobcenter}
  treasury: {name: Kommunekassen}
domains:
  employment:
    applies_to: {role: adult, age: [18, 100]}
    states: [cash_benefit, job]
    transitions:
      cash_benefit: {to: {job: 0.02}}
      job: {to: {cash_benefit: {value: 0.01, source: "GUESS"}}}
population:
  households: 150
  synthetic: {adults_per_household: 1, adult_age: 30, start_state: {employment: {cash_benefit: 1.0}}}
costs:
  employment.cash_benefit:
    - {department: jobcenter, amount: 10000, expenditure_type: transfer, source: "LAS § 25 stk. 2"}
    - {department: jobcenter, amount: 2000, note: "casework", source: "mode GUESS"}
  employment.job:
    - {department: treasury, amount: -3000, expenditure_type: tax}
variants:
  baseline: {}
  team:
    interventions:
      help:
        uptake: 1
        capacity: {households: 150}
        duration_months: 24
        costs:
          - {department: jobcenter, fte: 1, monthly_cost_per_fte: {value: 50000, source: "KL 2024"}}
        effects:
          - {transition: employment.cash_benefit->job, hazard_ratio: 2.0, evidence: {grade: expert_guess}}
)";

const AssumptionRow& row_at(const std::vector<AssumptionRow>& rows, const std::string& path) {
  for (const auto& r : rows)
    if (r.path == path) return r;
  FAIL("no assumption row ", path);
  return rows.front();
}

} // namespace

TEST_CASE("assumptions: GUESS is the word in capitals, an empty source is no source") {
  CHECK(backing_of("GUESS") == Backing::guess);
  CHECK(backing_of("max rate 4,695 kr./uge 2024; mode GUESS") == Backing::guess);
  CHECK(backing_of("GUESS, calibrated to SUS 2023") == Backing::guess);
  CHECK(backing_of("all GUESSES, for vulnerable groups") == Backing::guess);
  CHECK(backing_of("") == Backing::none);
  CHECK(backing_of("  ") == Backing::none);
  CHECK(backing_of("Danmarks Statistik 2023") == Backing::source);
  CHECK(backing_of("DERIVED: satser 2024 x 1.036") == Backing::source);
  CHECK(backing_of("a guess") == Backing::source); // the convention is the capital word
  CHECK(backing_of("GUESSWORK") == Backing::source);
}

TEST_CASE("assumptions: plain labels, units, price years and the count, by hand") {
  const Scenario s = test::scenario(fixture);
  const auto da = assumption_rows(s, Language::da);
  // By hand: 2 transition probabilities, 3 exits (written or not: they are assumptions),
  // 3 cost lines, uptake, the team's places (capacity.households; the unused
  // households_per_staff_pair, staff and intake_per_month are left out), fte and cost per
  // fte, one effect: 13 numbers. With a source: the 10,000 line and the cost per fte.
  CHECK(da.size() == 13);
  int unbacked_rows = 0;
  for (const auto& a : da) unbacked_rows += unbacked(a.backing) ? 1 : 0;
  CHECK(unbacked_rows == 11);

  const auto& move = row_at(da, "domains.employment.transitions.cash_benefit.to.job");
  CHECK(move.label == "Arbejdsmarkedstilknytning: overgang kontanthjælp \u2192 job, sandsynlighed pr. måned");
  CHECK(move.unit == "sandsynlighed pr. måned");
  CHECK(move.price_year == 0);
  CHECK(move.backing == Backing::none);
  CHECK(row_at(da, "domains.employment.transitions.job.to.cash_benefit").backing == Backing::guess);

  const auto& benefit = row_at(da, "costs.employment.cash_benefit[0].amount");
  CHECK(benefit.label == "Kontanthjælp, månedlig udgift \u00b7 betales af Jobcenter");
  CHECK(benefit.unit == "kr. pr. person pr. måned");
  CHECK(benefit.price_year == 2025);
  CHECK(benefit.backing == Backing::source);
  CHECK(benefit.source == "LAS § 25 stk. 2");
  CHECK(row_at(da, "costs.employment.cash_benefit[1].amount").label ==
        "Kontanthjælp, månedlig udgift: casework \u00b7 betales af Jobcenter");

  const auto en = assumption_rows(s, Language::en);
  CHECK(row_at(en, "costs.employment.cash_benefit[0].amount").label == "Cash benefit, monthly cost \u00b7 paid by Jobcenter");
  CHECK(row_at(en, "variants.team.interventions.help.effects[0].hazard_ratio").label == "team \u00b7 Effect of help: move cash benefit \u2192 job");
  CHECK(row_at(en, "variants.team.interventions.help.uptake").unit == "share (0 to 1)");
  CHECK(row_at(en, "variants.team.interventions.help.costs[0].monthly_cost_per_fte").unit == "kr. per full-time staff per month");

  // explain says the same in its source lines.
  const std::string words = explain(s, Language::en);
  CHECK(words.find("source: LAS § 25 stk. 2") != std::string::npos);
  CHECK(words.find("source: assumption (no source): mode GUESS") != std::string::npos);
  CHECK(words.find("source: no source given (counted as an assumption)") != std::string::npos);

  // The report shows the label, the words for a guess and the key path in its own column.
  RunOptions o;
  o.iterations = 4;
  o.threads = 1;
  const auto analysis = analyse(s, o);
  const std::string html = html_report(analysis->results, Manifest{}, Language::da);
  CHECK(html.find("antagelse (ikke belagt)") != std::string::npos);
  CHECK(html.find("data-guesses=\"11/13\"") != std::string::npos);
  CHECK(html.find("<td class=\"code tech\">costs.employment.cash_benefit[0].amount</td>") != std::string::npos);
}

TEST_CASE("assumptions: how much of the change in costs rests on guessed amounts, by hand") {
  const Scenario s = test::scenario(fixture);
  RunOptions o;
  o.iterations = 12;
  o.threads = 2;
  const auto analysis = analyse(s, o);
  const auto weights = guess_weights(analysis->results, Language::en);
  REQUIRE(weights.size() == 1);
  const GuessWeight& g = weights[0];
  CHECK(g.variant == 1);
  REQUIRE(g.lines.size() == 3);
  // |changes| 10,000 D, 3,000 D, 2,000 D (largest first); the last two have no source.
  REQUIRE(g.change_total > 0.0);
  CHECK(g.guessed_share == doctest::Approx(5000.0 / 15000.0).epsilon(1e-9));
  CHECK(g.lines[0].change < 0.0); // fewer months on cash benefit
  CHECK(!g.lines[0].unbacked);
  CHECK(g.lines[1].change == doctest::Approx(g.lines[0].change * 0.3).epsilon(1e-9)); // more jobs: +D x -3,000 kr.
  CHECK(g.lines[1].unbacked);
  CHECK(g.lines[2].change == doctest::Approx(g.lines[0].change * 0.2).epsilon(1e-9));
  CHECK(g.top == 3);
  CHECK(g.top_unbacked == 2);
  CHECK(g.effects == 1);
  CHECK(g.effects_unbacked == 1);
}

TEST_CASE("assumptions: a note in two languages labels its amount in the reader's language") {
  // A cost line's note as {da:, en:} (scenarios/README.md, "Texts in two languages"); the
  // labels are written out by hand from the catalogue's words.
  const std::string two = test::replaced(fixture, "note: \"casework\"", "note: {da: \"sagsbehandling\", en: \"casework\"}");
  const Scenario s = test::scenario(two);
  const auto& line = s.state_costs.at(0).lines.at(1);
  CHECK(line.note.da == "sagsbehandling");
  CHECK(line.note.en == "casework");
  CHECK(row_at(assumption_rows(s, Language::da), "costs.employment.cash_benefit[1].amount").label ==
        "Kontanthjælp, månedlig udgift: sagsbehandling \u00b7 betales af Jobcenter");
  CHECK(row_at(assumption_rows(s, Language::en), "costs.employment.cash_benefit[1].amount").label ==
        "Cash benefit, monthly cost: casework \u00b7 paid by Jobcenter");
  CHECK(explain(s, Language::da).find("      sagsbehandling\n") != std::string::npos);
  CHECK(explain(s, Language::da).find("casework") == std::string::npos);
  // Only one language given: the other falls back to it. Plain text: the same in both.
  const Scenario only_da = test::scenario(test::replaced(fixture, "note: \"casework\"", "note: {da: \"sagsbehandling\"}"));
  CHECK(only_da.state_costs.at(0).lines.at(1).note.in(Language::en) == "sagsbehandling");
  CHECK(test::scenario(fixture).state_costs.at(0).lines.at(1).note.in(Language::da) == "casework");
  // An intervention cost's and a contract's note too.
  const std::string with_contract = test::replaced(
      test::replaced(fixture, "monthly_cost_per_fte: {value: 50000, source: \"KL 2024\"}}",
                     "monthly_cost_per_fte: {value: 50000, source: \"KL 2024\"}, note: {da: \"rådgiver\", en: \"adviser\"}}"),
      "    interventions:\n",
      "    contracts:\n      - {payer: jobcenter, payee: treasury, when: {indicator: working, at_year: 1, at_least: 0.1}, amount: 1000,\n"
      "         note: {da: \"vilkår\", en: \"terms\"}}\n    interventions:\n");
  const std::string indicator = "indicators:\n  working: {domain: employment, states: [job], role: adult}\nvariants:\n";
  const Scenario k = test::scenario(test::replaced(with_contract, "variants:\n", indicator));
  const Variant& team = k.variants.at(static_cast<std::size_t>(k.variant_index("team")));
  CHECK(team.interventions.at(0).costs.at(0).note == Text::of("adviser", "rådgiver"));
  CHECK(team.contracts.at(0).note == Text::of("terms", "vilkår"));
  CHECK(row_at(assumption_rows(k, Language::da), "variants.team.interventions.help.costs[0].monthly_cost_per_fte").label.find("rådgiver") !=
        std::string::npos);
  CHECK(row_at(assumption_rows(k, Language::en), "variants.team.contracts[0].amount").label.find("(terms)") != std::string::npos);
  // A note's map takes only da and en.
  const std::string wrong = test::errors_of(test::replaced(fixture, "note: \"casework\"", "note: {dk: \"sagsbehandling\"}"));
  CHECK(wrong.find("costs.employment.cash_benefit[1].note.dk") != std::string::npos);
  CHECK(wrong.find("allowed: da, en") != std::string::npos);
}

namespace {

// The same closed population in two areas, with a takst by area whose far amount has no
// source (issue 16: "the share of the change priced at unsourced amounts" must price each
// category at its own amount and count it by its own source). Per area k the variant takes
// D_k person-months off cash benefit (D_k < 0) and puts them in a job, and makes M_k more
// moves into a job; the counts come from the tally, the weighting is by hand.
const char* const by_area = R"(
scenario: guesses-by-area
run: {start: 2025-01, horizon_years: 2, iterations: 12, seed: 5, price_year: 2025}
departments:
  jobcenter: {name: Jobcenter}
  treasury: {name: Kommunekassen}
attributes:
  area: {level: household, categorical: {near: 0.5, far: 0.5}}
domains:
  employment:
    applies_to: {role: adult, age: [18, 100]}
    states: [cash_benefit, job]
    transitions:
      cash_benefit: {to: {job: 0.02}}
      job: {to: {cash_benefit: 0.01}}
population:
  households: 150
  synthetic: {adults_per_household: 1, adult_age: 30, start_state: {employment: {cash_benefit: 1.0}}}
costs:
  employment.cash_benefit:
    - {department: jobcenter, amount: 10000, source: "LAS § 25 stk. 2",
       by_attribute: {area: {far: {value: 16000, source: "GUESS"}}}}
  employment.job:
    - {department: treasury, amount: -3000, expenditure_type: tax, source: "the municipality's tax rate"}
  transitions:
    "employment.cash_benefit->employment.job":
      - {department: jobcenter, amount: 1000, source: "KL 2024", by_attribute: {area: {far: {value: 4000, source: "GUESS"}}}}
variants:
  baseline: {}
  team:
    interventions:
      help:
        uptake: 1
        capacity: {households: 150}
        duration_months: 24
        effects:
          - {transition: employment.cash_benefit->job, hazard_ratio: 2.0, evidence: {grade: expert_guess}}
)";

/// The variant's mean change against the baseline, per area k of the takst by area: D[k] in
/// person-months on cash benefit (domain 0, state 0), M[k] in moves into it; from the tally
/// itself, so the tests' hand sums price what was simulated.
struct AreaChanges {
  std::array<double, 2> D{}, M{};
};
AreaChanges area_changes(const RepricingTally& t) {
  const Layout& L = t.layout;
  const double N = t.iterations;
  AreaChanges c;
  for (int cell = 0; cell < L.cells; ++cell) {
    if (L.cell_domain[static_cast<std::size_t>(cell)] != 0 || L.cell_state[static_cast<std::size_t>(cell)] != 0) continue;
    const int k = L.cell_category[static_cast<std::size_t>(cell)];
    REQUIRE((k == 0 || k == 1));
    for (int step = 0; step < L.steps; ++step)
      c.D[static_cast<std::size_t>(k)] += static_cast<double>(t.occupied_at(1, cell, step) - t.occupied_at(0, cell, step)) / N;
  }
  for (std::size_t k = 0; k < 2; ++k)
    for (int step = 0; step < L.steps; ++step)
      c.M[k] += static_cast<double>(t.moved_in(1, 0, static_cast<int>(k), step) - t.moved_in(0, 0, static_cast<int>(k), step)) / N;
  return c;
}

/// A takst-by-area scenario analysed (12 iterations, 2 threads), with its re-pricing tally;
/// the analysis refers to `s`, which must outlive it.
std::unique_ptr<Analysis> analyse_by_area(const Scenario& s) {
  RunOptions o;
  o.iterations = 12;
  o.threads = 2;
  auto analysis = analyse(s, o);
  REQUIRE(analysis->results.repricing);
  return analysis;
}

} // namespace

TEST_CASE("assumptions: a takst by area prices each area at its own amount and source, by hand") {
  const Scenario s = test::scenario(by_area);
  const auto analysis = analyse_by_area(s);
  const auto [D, M] = area_changes(*analysis->results.repricing);
  REQUIRE(D[0] < 0.0);
  REQUIRE(D[1] < 0.0);
  REQUIRE(M[1] > 0.0);
  const double cash = 10000 * D[0] + 16000 * D[1], cash_guessed = 16000 * D[1];
  const double job = -3000 * -(D[0] + D[1]); // every month off cash benefit is a month in a job
  const double move = 1000 * M[0] + 4000 * M[1], move_guessed = 4000 * M[1];

  const auto weights = guess_weights(analysis->results, Language::en);
  REQUIRE(weights.size() == 1);
  const GuessWeight& g = weights[0];
  REQUIRE(g.lines.size() == 3);
  const auto line = [&](double change) -> const GuessWeight::Line& {
    for (const auto& l : g.lines)
      if (std::abs(l.change - change) <= 1e-6 * std::abs(change)) return l;
    FAIL("no line with the change ", change);
    return g.lines.front();
  };
  CHECK(line(cash).unbacked);
  CHECK(line(cash).change_unbacked == doctest::Approx(cash_guessed).epsilon(1e-9));
  CHECK(!line(job).unbacked);
  CHECK(line(move).unbacked);
  CHECK(line(move).change_unbacked == doctest::Approx(move_guessed).epsilon(1e-9));
  CHECK(g.guessed_share == doctest::Approx((std::abs(cash_guessed) + std::abs(move_guessed)) /
                                           (std::abs(cash) + std::abs(job) + std::abs(move)))
                               .epsilon(1e-9));
}

TEST_CASE("assumptions: a line whose areas move in opposite directions weighs both parts, by hand") {
  // The takst by area of the test above, with the variant helping the near area into jobs
  // and pushing the far one out of them: the cash-benefit line's near part (sourced) falls,
  // its far part (guessed) rises. Its net change understates what moves, and the guessed part
  // alone could exceed it (a share above 100 %); each line weighs |backed| + |guessed| instead.
  std::string yaml = by_area;
  const std::string old_variant = yaml.substr(yaml.find("  team:"));
  yaml.replace(yaml.find("  team:"), old_variant.size(), R"(  team:
    interventions:
      near:
        eligible: {attribute: {area: near}}
        uptake: 1
        duration_months: 24
        effects:
          - {transition: employment.cash_benefit->job, hazard_ratio: 3.0, evidence: {grade: expert_guess}}
      far:
        eligible: {attribute: {area: far}}
        uptake: 1
        duration_months: 24
        effects:
          - {transition: employment.cash_benefit->job, hazard_ratio: 0.2, evidence: {grade: expert_guess}}
)");
  const Scenario s = test::scenario(yaml);
  const auto analysis = analyse_by_area(s);
  const auto [D, M] = area_changes(*analysis->results.repricing);
  REQUIRE(D[0] < 0.0); // near: fewer months on cash benefit
  REQUIRE(D[1] > 0.0); // far: more
  const double cash_sourced = 10000 * D[0], cash_guessed = 16000 * D[1];
  const double job = -3000 * -(D[0] + D[1]);
  const double move_sourced = 1000 * M[0], move_guessed = 4000 * M[1];
  const double weighed = std::abs(cash_sourced) + std::abs(cash_guessed) + std::abs(job) + std::abs(move_sourced) +
                         std::abs(move_guessed);
  const double expected = (std::abs(cash_guessed) + std::abs(move_guessed)) / weighed;

  const auto weights = guess_weights(analysis->results, Language::en);
  REQUIRE(weights.size() == 1);
  const GuessWeight& g = weights[0];
  CHECK(g.guessed_share == doctest::Approx(expected).epsilon(1e-9));
  CHECK(g.guessed_share <= 1.0);
  CHECK(g.change_total == doctest::Approx(weighed).epsilon(1e-9));
  // The net weighting would give another share: the case is one where it matters.
  const double net = std::abs(cash_sourced + cash_guessed) + std::abs(job) + std::abs(move_sourced + move_guessed);
  CHECK(std::abs((std::abs(cash_guessed) + std::abs(move_guessed)) / net - expected) > 0.01);
}
