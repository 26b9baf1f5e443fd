// The effect library: `{from_library: NAME, with: {...}}` in an intervention's effects takes
// the effects of a top-level `effects:` entry of an included file (tests/fixtures/
// effect-library.yaml). The results must be byte for byte those of the same effects written
// out in the list (same key paths, so the same draws), also when the names are mapped; and
// every bad reference is refused at the reference, naming the entry.
#include "support.hpp"

#include <socinvest/report/tables.hpp>

#include <doctest/doctest.h>

#include <cmath>

namespace {

// A three-state chain with an inline effect before and after the library's (so the places
// of the later ones move by the entry's two effects), and a success-rate effect.
const char* written_out = R"(
scenario: library
run: {start: 2024-01, horizon_years: 2, iterations: 6, seed: 11}
departments: {d: {name: D}}
domains:
  work:
    applies_to: {role: adult, age: [18, 100]}
    states: [a, b, c]
    transitions:
      a: {to: {b: 0.04, c: 0.01}}
      b: {to: {a: 0.02}}
population:
  households: 200
  synthetic:
    adults_per_household: 1
    adult_age: {uniform: [30, 40]}
    start_state: {work: {a: 1.0}}
indicators:
  in_b: {label: "In b", domain: work, states: [b], role: adult}
costs:
  work.a: [{department: d, amount: 10000}]
  work.c: [{department: d, amount: 4000}]
variants:
  baseline: {}
  project:
    interventions:
      team:
        duration_months: 24
        costs: [{department: d, fte: 1, monthly_cost_per_fte: 50000}]
        effects:
          - {transition: work.b->a, hazard_ratio: {lognormal: {median: 0.8, ci95: [0.6, 1.0]}}, evidence: {grade: expert_guess}}
          - {transition: work.a->b, hazard_ratio: {lognormal: {median: 1.5, ci95: [1.1, 2.0]}}, ramp_up_months: 3,
             evidence: {grade: randomised_trial, source: "Trial 2020"}}
          - {transition: work.a->c, risk_difference: {triangular: [0.0, 0.002, 0.004]}, decay_half_life_months: 6,
             evidence: {grade: before_after, source: "Monitoring 2021"}}
          - {transition: work.c->a, risk_difference: {uniform: [0.0, 0.01]}, evidence: {grade: expert_guess}}
  solved:
    interventions:
      team:
        duration_months: 24
        effects:
          - on: {indicator: in_b, at_month: 12}
            difference: {triangular: [0.05, 0.10, 0.15]}
            via: work.a->b
            evidence: {grade: quasi_experimental, source: "Register study 2019"}
)";

std::string from_library(std::string yaml) {
  yaml = test::replaced(yaml, "scenario: library\n", "scenario: library\ninclude: effect-library.yaml\n");
  yaml = test::replaced(yaml,
                        "          - {transition: work.a->b, hazard_ratio: {lognormal: {median: 1.5, ci95: [1.1, 2.0]}}, ramp_up_months: 3,\n"
                        "             evidence: {grade: randomised_trial, source: \"Trial 2020\"}}\n"
                        "          - {transition: work.a->c, risk_difference: {triangular: [0.0, 0.002, 0.004]}, decay_half_life_months: 6,\n"
                        "             evidence: {grade: before_after, source: \"Monitoring 2021\"}}\n",
                        "          - {from_library: two_moves}\n");
  return test::replaced(yaml,
                        "          - on: {indicator: in_b, at_month: 12}\n"
                        "            difference: {triangular: [0.05, 0.10, 0.15]}\n"
                        "            via: work.a->b\n"
                        "            evidence: {grade: quasi_experimental, source: \"Register study 2019\"}\n",
                        "          - {from_library: success}\n");
}

/// Every output table of a run of `s`, one after the other.
std::string outputs(const socinvest::Scenario& s) {
  const auto a = test::analyse(s, 6);
  socinvest::Manifest m; // the same manifest for both: the scenario's files differ on purpose
  const auto& r = a->results;
  return socinvest::summary_json(r, m) + socinvest::money_csv(r) + socinvest::money_project_years_csv(r) +
         socinvest::outcomes_csv(r) + socinvest::outcomes_project_years_csv(r) + socinvest::flows_csv(r) +
         socinvest::per_iteration_csv(r);
}

/// `yaml` with the domain `work` renamed `arbejde` and its states a, b, c renamed x, y, z.
std::string renamed(std::string yaml) {
  for (const auto& [from, to] : std::vector<std::pair<std::string, std::string>>{
           {"work:\n", "arbejde:\n"}, {"a: {to: {b: 0.04, c: 0.01}}", "x: {to: {y: 0.04, z: 0.01}}"},
           {"b: {to: {a: 0.02}}", "y: {to: {x: 0.02}}"}, {"states: [a, b, c]", "states: [x, y, z]"},
           {"{work: {a: 1.0}}", "{arbejde: {x: 1.0}}"}, {"domain: work, states: [b]", "domain: arbejde, states: [y]"},
           {"work.a: [", "arbejde.x: ["}, {"work.c: [", "arbejde.z: ["}, {"work.b->a", "arbejde.y->x"},
           {"work.c->a", "arbejde.z->x"}})
    yaml = test::replaced(yaml, from, to);
  // The moves written out, wherever they stand (once or twice).
  for (const auto& [from, to] : std::vector<std::pair<std::string, std::string>>{{"work.a->b", "arbejde.x->y"},
                                                                                 {"work.a->c", "arbejde.x->z"}})
    for (auto at = yaml.find(from); at != std::string::npos; at = yaml.find(from, at))
      yaml.replace(at, from.size(), to);
  return yaml;
}

} // namespace

TEST_CASE("effect library: effects taken from the library give byte-identical results to the same effects written out") {
  const auto inline_s = test::scenario(written_out);
  const auto library_s = test::scenario(from_library(written_out));
  // The entry's two effects stand at places 1 and 2, the effect after them at 3: the key
  // paths (and so the draws) of the list written out.
  const auto& a = inline_s.variants[1].interventions[0].effects;
  const auto& b = library_s.variants[1].interventions[0].effects;
  REQUIRE(a.size() == 4);
  REQUIRE(b.size() == 4);
  for (std::size_t i = 0; i < a.size(); ++i) {
    CAPTURE(i);
    CHECK(b[i].value.path == a[i].value.path);
    CHECK(b[i].value.path == "variants.project.interventions.team.effects[" + std::to_string(i) + "]." +
                                 (a[i].is_hazard_ratio ? "hazard_ratio" : "risk_difference"));
    CHECK(b[i].from == a[i].from);
    CHECK(b[i].to == a[i].to);
    CHECK(b[i].grade == a[i].grade);
    CHECK(b[i].evidence_source == a[i].evidence_source);
    CHECK(b[i].ramp_up_months == a[i].ramp_up_months);
    CHECK(b[i].decay_half_life_months == a[i].decay_half_life_months);
  }
  REQUIRE(library_s.variants[2].interventions[0].effects.size() == 1);
  CHECK(library_s.variants[2].interventions[0].effects[0].success_rate.has_value());
  CHECK(library_s.variants[2].interventions[0].effects[0].value.path ==
        "variants.solved.interventions.team.effects[0].difference");
  const std::string expected = outputs(inline_s);
  CHECK(outputs(library_s) == expected);
  // The library's effects do act: without them the run differs (the comparison can fail).
  const auto without = test::scenario(test::replaced(from_library(written_out), "          - {from_library: two_moves}\n", ""));
  CHECK(outputs(without) != expected);
}

TEST_CASE("effect library: with: maps the library's domain and states to the scenario's, with the same results") {
  const std::string inline_yaml = renamed(written_out);
  std::string library_yaml = renamed(from_library(written_out));
  library_yaml = test::replaced(library_yaml, "{from_library: two_moves}",
                                "{from_library: two_moves, with: {domains: {work: arbejde}, states: {a: x, b: y, c: z}}}");
  library_yaml = test::replaced(library_yaml, "{from_library: success}",
                                "{from_library: success, with: {domains: {work: arbejde}, states: {a: x, b: y}, "
                                "indicators: {in_b: i_y}}}");
  library_yaml = test::replaced(library_yaml, "  in_b: {label:", "  i_y: {label:");
  std::string inline_renamed = test::replaced(inline_yaml, "  in_b: {label:", "  i_y: {label:");
  inline_renamed = test::replaced(inline_renamed, "indicator: in_b", "indicator: i_y");
  CHECK(outputs(test::scenario(library_yaml)) == outputs(test::scenario(inline_renamed)));
}

TEST_CASE("effect library: a bad reference is refused at the reference, naming the entry and what is missing") {
  const std::string lib = from_library(written_out);
  // A misspelt name: did-you-mean, and the entries defined.
  const std::string unknown = test::errors_of(test::replaced(lib, "{from_library: two_moves}", "{from_library: two_move}"));
  CHECK(unknown.find("test.yaml:33:") != std::string::npos);
  CHECK(unknown.find("effects[1].from_library: unknown library effect 'two_move'; did you mean 'two_moves'? "
                     "(defined: two_moves, success, ungraded)") != std::string::npos);
  // No library included.
  const std::string none = test::errors_of(test::replaced(lib, "include: effect-library.yaml\n", ""));
  CHECK(none.find("no effect library is included") != std::string::npos);
  // The scenario's names differ and are not mapped: reported at the reference, with the
  // entry's own place and the way to map the names.
  const std::string unmapped = test::errors_of(renamed(lib));
  CHECK(unmapped.find("test.yaml:33:13: variants.project.interventions.team.effects[1].transition: unknown domain 'work'") !=
        std::string::npos);
  CHECK(unmapped.find("(in library effect 'two_moves' at ") != std::string::npos);
  CHECK(unmapped.find("effect-library.yaml:5:20") != std::string::npos);
  CHECK(unmapped.find("with: {domains: {...}, states: {...}, indicators: {...}}") != std::string::npos);
  // A state mapped that the entry never names (a typo) is refused, with did-you-mean.
  const std::string unused = test::errors_of(
      test::replaced(lib, "{from_library: two_moves}", "{from_library: two_moves, with: {states: {bb: b}}}"));
  CHECK(unused.find("effects[1].with.states.bb: library effect 'two_moves' names no state 'bb'; did you mean 'b'? "
                    "(it names: a, b, c)") != std::string::npos);
  // The entry is taken as written: its keys cannot be changed at the reference.
  const std::string changed = test::errors_of(
      test::replaced(lib, "{from_library: two_moves}", "{from_library: two_moves, ramp_up_months: 6}"));
  CHECK(changed.find("effects[1].ramp_up_months: a library effect is taken as the library writes it") != std::string::npos);
  // `with` belongs to a reference.
  const std::string stray = test::errors_of(test::replaced(
      written_out, "hazard_ratio: {lognormal: {median: 0.8", "with: {states: {a: b}}, hazard_ratio: {lognormal: {median: 0.8"));
  CHECK(stray.find("effects[0].with: maps the names of a library entry to the scenario's") != std::string::npos);
  // An entry without an evidence grade is noted for validate at the reference, like one written out.
  const auto ungraded = test::scenario(test::replaced(lib, "{from_library: two_moves}", "{from_library: ungraded}"));
  REQUIRE(ungraded.ungraded_effects.size() == 1);
  const std::string note = ungraded.ungraded_effects[0].format_warning();
  CHECK(note.find("test.yaml:33:13: warning: variants.project.interventions.team.effects[1].evidence: no evidence grade") !=
        std::string::npos);
  CHECK(note.find("(in library effect 'ungraded' at ") != std::string::npos);
}

TEST_CASE("effect library: a later file's entry of the same name replaces the earlier one whole") {
  std::string yaml = from_library(written_out);
  yaml = test::replaced(yaml, "variants:\n  baseline: {}\n",
                        "effects:\n  two_moves: {transition: work.a->b, hazard_ratio: 2.0, evidence: {grade: expert_guess}}\n"
                        "variants:\n  baseline: {}\n");
  const auto s = test::scenario(yaml);
  const auto& e = s.variants[1].interventions[0].effects;
  REQUIRE(e.size() == 3); // the scenario's own entry has one effect, not the library's two
  CHECK(e[1].value.path == "variants.project.interventions.team.effects[1].hazard_ratio");
  CHECK(e[1].value.dist.mean() == doctest::Approx(2.0));
  CHECK(e[2].value.path == "variants.project.interventions.team.effects[2].risk_difference");
}
