// Evidence grades on effects: the loader reads `evidence: {grade, source}`, refuses a bad
// one with its place, notes an effect without one (for validate, not for every run), and the
// report's first page counts each variant's effects by grade.
#include "support.hpp"

#include <socinvest/report/html_report.hpp>
#include <socinvest/report/outputs.hpp>

#include <doctest/doctest.h>

#include <fstream>
#include <map>
#include <iterator>
#include <regex>
#include <sstream>

namespace {

const char* graded = R"(
scenario: evidence
run: {start: 2024-01, horizon_years: 1, iterations: 4, seed: 3}
departments: {d: {name: D}}
domains:
  work:
    applies_to: {role: adult, age: [18, 100]}
    states: [a, b, c]
    transitions:
      a: {to: {b: 0.05, c: 0.01}}
population:
  households: 50
  synthetic:
    adults_per_household: 1
    adult_age: {uniform: [30, 40]}
    start_state: {work: {a: 1.0}}
variants:
  baseline: {}
  project:
    interventions:
      team:
        effects:
          - {transition: work.a->b, hazard_ratio: 1.5, evidence: {grade: randomised_trial, source: "Trial <2020>"}}
          - {transition: work.a->c, hazard_ratio: 0.8, evidence: {grade: before_after, source: "Monitoring 2021"}}
          - {transition: work.b->a, risk_difference: 0.01, evidence: {grade: expert_guess}}
          - {transition: work.c->a, risk_difference: 0.01}
)";

} // namespace

TEST_CASE("evidence: grades and sources are read; an effect without one is an expert guess, noted for validate") {
  const auto s = test::scenario(graded);
  const auto& effects = s.variants[1].interventions[0].effects;
  REQUIRE(effects.size() == 4);
  CHECK(effects[0].grade == socinvest::EvidenceGrade::randomised_trial);
  CHECK(effects[0].evidence_source == "Trial <2020>");
  CHECK(effects[1].grade == socinvest::EvidenceGrade::before_after);
  CHECK(effects[2].grade == socinvest::EvidenceGrade::expert_guess);
  CHECK(effects[2].evidence_source.empty());
  CHECK(effects[3].grade == socinvest::EvidenceGrade::expert_guess);
  const auto n = s.variants[1].effects_by_grade();
  CHECK(n[0] == 1); // randomised_trial
  CHECK(n[1] == 0); // quasi_experimental
  CHECK(n[2] == 1); // before_after
  CHECK(n[3] == 2); // expert_guess, with and without the key
  // Only the last effect is ungraded: a note with its place, not a warning of every run.
  REQUIRE(s.ungraded_effects.size() == 1);
  const std::string note = s.ungraded_effects[0].format_warning();
  CHECK(note.find("test.yaml:26:") != std::string::npos);
  CHECK(note.find("variants.project.interventions.team.effects[3].evidence: no evidence grade: counted as expert_guess") !=
        std::string::npos);
  CHECK(s.warnings.empty());
}

TEST_CASE("evidence: an unknown grade, a missing grade or a missing source is refused with its place") {
  const std::string bad_grade = test::errors_of(test::replaced(graded, "grade: before_after", "grade: anecdote"));
  CHECK(bad_grade.find("test.yaml:24:") != std::string::npos);
  CHECK(bad_grade.find("effects[1].evidence.grade") != std::string::npos);
  CHECK(bad_grade.find("randomised_trial") != std::string::npos);
  const std::string no_grade =
      test::errors_of(test::replaced(graded, "{grade: before_after, source: \"Monitoring 2021\"}", "{source: \"Monitoring\"}"));
  CHECK(no_grade.find("effects[1].evidence.grade: is required") != std::string::npos);
  const std::string no_source =
      test::errors_of(test::replaced(graded, "{grade: before_after, source: \"Monitoring 2021\"}", "{grade: before_after}"));
  CHECK(no_source.find("effects[1].evidence.source: is required for a grade other than expert_guess") != std::string::npos);
  const std::string bad_key = test::errors_of(test::replaced(graded, "source: \"Monitoring 2021\"", "study: \"x\""));
  CHECK(bad_key.find("study") != std::string::npos);
}

TEST_CASE("evidence: the report's first page counts each variant's effects by grade and lists the sources") {
  const auto s = test::scenario(graded);
  const auto analysis = test::analyse(s, 4);
  socinvest::Manifest m;
  m.scenario_hash = s.content_hash;
  const std::string en = socinvest::html_report(analysis->results, m, socinvest::Language::en);
  CHECK(en.find("4 effects \u2014 25 % randomised trial, 25 % before-after, 50 % expert guess") != std::string::npos);
  CHECK(en.find("team: work.a-&gt;b \u00b7 randomised trial \u00b7 Trial &lt;2020&gt;") != std::string::npos);
  // On the first page: before the first variant's own section.
  CHECK(en.find("25 % randomised trial") < en.find("id=\"v1\""));
  const std::string da = socinvest::html_report(analysis->results, m, socinvest::Language::da);
  CHECK(da.find("4 effekter \u2014 25 % randomiseret forsøg, 25 % før-efter, 50 % ekspertskøn") != std::string::npos);
}

TEST_CASE("evidence: every entry of catalogue/effects-denmark.yaml is an effect a shipped case uses, with its grade") {
  // (The documented effects of evaluations are in catalogue/effects-evaluations.yaml, below.)
  // Text, not YAML: each entry's transition, grade and value (the quantity as written) must
  // stand on one effect line of a shipped scenario, so the library cannot drift from them.
  auto read = [](const std::string& path) {
    std::ifstream in(test::source_dir() + "/" + path);
    REQUIRE(in.good());
    return std::string(std::istreambuf_iterator<char>(in), {});
  };
  std::vector<std::string> cases;
  for (const char* f : {"scenarios/aarhus-opgang-til-opgang.yaml", "scenarios/hoeje-taastrup-botilbud.yaml",
                        "scenarios/viborg-relationel-velfaerd.yaml"}) {
    std::istringstream lines(read(f));
    for (std::string line; std::getline(lines, line);)
      if (line.find("{transition: ") != std::string::npos) cases.push_back(line);
  }
  const std::string library = read("scenarios/catalogue/effects-denmark.yaml");
  const std::regex entry(R"re(\{transition: ([a-z_0-9.>-]+), ((?:hazard_ratio|risk_difference): \{[^\n]*?\}\}?),)re"
                         R"re([^\n]*\n\s*evidence: \{grade: ([a-z_]+), source: "([^"]+)"\})re");
  int checked = 0;
  for (auto it = std::sregex_iterator(library.begin(), library.end(), entry); it != std::sregex_iterator(); ++it) {
    const std::string transition = (*it)[1], grade = (*it)[3];
    std::string value = (*it)[2];
    // The cases write a source inside the distribution's map: compare up to it.
    if (value.size() > 2 && value.compare(value.size() - 2, 2, "}}") == 0) value.pop_back();
    CAPTURE(transition);
    CAPTURE(value);
    bool found = false;
    for (const auto& line : cases)
      found = found || (line.find("{transition: " + transition + ", evidence: {grade: " + grade) != std::string::npos &&
                        line.find(value) != std::string::npos);
    CHECK(found);
    ++checked;
  }
  CHECK(checked == 21); // every entry of the file (21 evidence lines) was read and matched
}

namespace {

// A small model in the catalogue's names (denmark-2024.yaml) and the documented library's
// indicators and housing domain (catalogue/effects-evaluations.yaml, its header), with
// monthly rates that leave room for each entry's difference: one variant per entry.
const char* evaluations_model = R"(
scenario: evaluations
include: ../../scenarios/catalogue/effects-evaluations.yaml
run: {start: 2024-01, horizon_years: 2, iterations: 2, seed: 5}
departments: {d: {name: D}}
domains:
  employment:
    applies_to: {role: adult, age: [18, 100]}
    states: [cash_benefit, sickness_benefit, job, flexjob, education]
    transitions:
      cash_benefit: {to: {job: 0.01, education: 0.005}}
      sickness_benefit: {to: {job: 0.05}}
      job: {to: {cash_benefit: 0.01}}
  housing:
    applies_to: {role: adult, age: [18, 100]}
    states: [homeless, own_home_supported]
    transitions:
      homeless: {to: {own_home_supported: 0.03}}
population:
  households: 400
  synthetic:
    adults_per_household: 1
    adult_age: {uniform: [25, 45]}
    start_state: {employment: {cash_benefit: 0.8, sickness_benefit: 0.2}, housing: {homeless: 1.0}}
indicators:
  in_work: {domain: employment, states: [job, flexjob], role: adult}
  work_or_education: {domain: employment, states: [job, flexjob, education], role: adult}
  in_education: {domain: employment, states: [education], role: adult}
  stably_housed: {domain: housing, states: [own_home_supported], role: adult}
costs:
  employment.cash_benefit: [{department: d, amount: 12000}]
variants:
  baseline: {}
)";

} // namespace

TEST_CASE("evidence: every documented entry of catalogue/effects-evaluations.yaml has a study, a grade, and loads and runs") {
  std::ifstream in(test::source_dir() + "/scenarios/catalogue/effects-evaluations.yaml");
  REQUIRE(in.good());
  const std::string library(std::istreambuf_iterator<char>(in), {});
  // The entries: the names at two spaces' indent under effects:.
  std::vector<std::string> names;
  const std::regex entry_name(R"re(\n  ([a-z0-9_]+):\n)re");
  for (auto it = std::sregex_iterator(library.begin(), library.end(), entry_name); it != std::sregex_iterator(); ++it)
    names.push_back((*it)[1]);
  CHECK(names.size() == 9);
  std::string yaml = evaluations_model;
  for (const auto& name : names)
    yaml += "  " + name + ":\n    interventions:\n      team:\n        duration_months: 24\n        effects: [{from_library: " +
            name + "}]\n";
  const auto s = test::scenario(yaml);
  REQUIRE(s.variants.size() == names.size() + 1);
  // A year (or a journal volume or doi where the year was not in what was read) and a
  // place to find it (a URL or a publisher), and a grade that rests on a comparison.
  const std::regex year(R"re(\b(19|20)[0-9][0-9]\b|\b[0-9]+\([0-9]+\):[0-9]+|doi:10\.)re");
  const std::regex where(R"re(https?://|\b(KORA|VIVE|SFI|STAR|BMJ|Rambøll)\b)re");
  for (std::size_t v = 1; v < s.variants.size(); ++v) {
    CAPTURE(s.variants[v].id);
    const auto& effects = s.variants[v].interventions.at(0).effects;
    REQUIRE(!effects.empty());
    for (const auto& e : effects) {
      CHECK(e.grade != socinvest::EvidenceGrade::expert_guess);
      CHECK(e.grade != socinvest::EvidenceGrade::before_after);
      CHECK(std::regex_search(e.evidence_source, year));
      CHECK(std::regex_search(e.evidence_source, where));
      // Bounds that are not the study's own are said to be guessed.
      if (library.find("bounds GUESS") != std::string::npos && e.evidence_source.find("bounds") != std::string::npos)
        CHECK(e.evidence_source.find("GUESS") != std::string::npos);
    }
  }
  // Every success-rate entry is reachable on this model: the run solves each (it stops with
  // the effect's place when a difference cannot be reached).
  const auto a = test::analyse(s, 2);
  int solved = 0;
  for (const auto& v : a->results.variants) solved += static_cast<int>(v.solved_hazard_ratios.size());
  CHECK(solved == 8); // all but the return-to-work hazard ratio
}

TEST_CASE("evidence: every entry of catalogue/effects-denmark.yaml loads from the library against its shipped case") {
  std::ifstream in(test::source_dir() + "/scenarios/catalogue/effects-denmark.yaml");
  REQUIRE(in.good());
  const std::string library(std::istreambuf_iterator<char>(in), {});
  const std::regex entry_name(R"re(\n  ([a-z0-9_]+):\n)re");
  std::map<std::string, std::vector<std::string>> by_case; // the case's file -> its entries
  const std::map<std::string, std::string> cases = {{"aarhus_", "aarhus-opgang-til-opgang.yaml"},
                                                    {"hoeje_taastrup_", "hoeje-taastrup-botilbud.yaml"},
                                                    {"viborg_", "viborg-relationel-velfaerd.yaml"}};
  int entries = 0;
  for (auto it = std::sregex_iterator(library.begin(), library.end(), entry_name); it != std::sregex_iterator(); ++it) {
    const std::string name = (*it)[1];
    ++entries;
    for (const auto& [prefix, file] : cases)
      if (name.rfind(prefix, 0) == 0) by_case[file].push_back(name);
  }
  CHECK(entries == 10);
  std::size_t taken = 0;
  for (const auto& [file, names] : by_case) {
    CAPTURE(file);
    std::string yaml = "scenario: library-" + std::to_string(taken) + "\ninclude: [../../scenarios/" + file +
                       ", ../../scenarios/catalogue/effects-denmark.yaml]\nvariants:\n  from_library:\n    interventions:\n"
                       "      library_team:\n        effects:\n";
    for (const auto& name : names) yaml += "          - {from_library: " + name + "}\n";
    const auto s = test::scenario(yaml);
    const auto& v = s.variants.back();
    REQUIRE(v.id == "from_library");
    CHECK(v.interventions.back().effects.size() >= names.size());
    for (const auto& e : v.interventions.back().effects) CHECK(!e.evidence_source.empty());
    taken += names.size();
  }
  CHECK(taken == 10); // every entry belongs to one of the three cases
}
