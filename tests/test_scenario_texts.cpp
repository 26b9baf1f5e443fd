// A scenario's own texts in two languages and its default language (issue 14): the Text type
// and its fallback, the YAML forms (plain text, {da: ..., en: ...}) with their errors, the
// variant title, run.lang, and the one rule that picks a command's language.
#include "support.hpp"

#include <socinvest/errors.hpp>
#include <socinvest/scenario/text.hpp>

#include <doctest/doctest.h>

#include <string>

using namespace socinvest;

namespace {

// One department, one domain, a baseline and one variant: every text a reader sees, in the
// forms the test changes.
const char* texts = R"(
scenario: texts
title: {da: "Dansk titel", en: "English title"}
description: "Plain description"
run: {start: 2024-01, horizon_years: 2, iterations: 5, seed: 1}
departments:
  jobcenter: {name: {da: "Jobcentret", en: "The job centre"}, level: municipality}
  social: {name: {da: "Socialforvaltningen"}, level: municipality}
domains:
  work:
    applies_to: {role: adult, age: [18, 67]}
    states: [benefit, job]
    transitions: {benefit: {to: {job: 0.05}}, job: {to: {benefit: 0.01}}}
population: {households: 10, synthetic: {start_state: {work: {benefit: 1.0}}}}
indicators:
  in_work: {label: {da: "I arbejde", en: "In work"}, domain: work, states: [job]}
targets:
  - {indicator: in_work, among: all, at_year: 2, at_least: 0.25}
  - {indicator: in_work, among: all, at_year: 1, at_most: 0.9, label: {en: "At most nine in ten"}}
variants:
  baseline: {title: {da: "Uden projekt", en: "Without the project"}}
  team:
    title: {da: "Familieteam", en: "Family team"}
    description: {da: "Et team på tværs", en: "A team across departments"}
  plain: {extends: team}
)";

} // namespace

TEST_CASE("texts: a Text gives its own language, else the other") {
  const Text both = Text::of("English", "Dansk");
  CHECK(both.in(Language::en) == "English");
  CHECK(both.in(Language::da) == "Dansk");
  const Text only_da = Text::of("", "Kun dansk");
  CHECK(only_da.in(Language::en) == "Kun dansk");
  CHECK(only_da.in(Language::da) == "Kun dansk");
  const Text plain("Same");
  CHECK(plain.in(Language::en) == "Same");
  CHECK(plain.in(Language::da) == "Same");
  CHECK(Text().empty());
  CHECK(!only_da.empty());
}

TEST_CASE("texts: plain text and {da, en} in a scenario") {
  const Scenario s = test::scenario(texts);
  CHECK(s.title.in(Language::da) == "Dansk titel");
  CHECK(s.title.in(Language::en) == "English title");
  CHECK(s.description.in(Language::da) == "Plain description");
  CHECK(s.description.in(Language::en) == "Plain description");
  const Department& job = s.departments[static_cast<std::size_t>(s.department_index("jobcenter"))];
  CHECK(job.name.in(Language::da) == "Jobcentret");
  CHECK(job.name.in(Language::en) == "The job centre");
  // Only Danish given: the English report shows the Danish name.
  const Department& social = s.departments[static_cast<std::size_t>(s.department_index("social"))];
  CHECK(social.name.in(Language::en) == "Socialforvaltningen");
  CHECK(s.indicators.at(0).label.in(Language::da) == "I arbejde");
  // A target without a label: the engine's words in each language, around the indicator's label.
  REQUIRE(s.targets.size() == 2);
  CHECK(s.targets[0].text.in(Language::en) == "In work at least 25 % by year 2");
  CHECK(s.targets[0].text.in(Language::da) == "I arbejde mindst 25 % senest i projektår 2");
  CHECK(s.targets[1].text.in(Language::da) == "At most nine in ten");
  // Variant titles: shown where given, the id where not; not inherited through extends.
  const Variant& team = s.variants[static_cast<std::size_t>(s.variant_index("team"))];
  CHECK(team.shown(Language::da) == "Familieteam");
  CHECK(team.shown(Language::en) == "Family team");
  CHECK(team.description.in(Language::da) == "Et team på tværs");
  const Variant& plain = s.variants[static_cast<std::size_t>(s.variant_index("plain"))];
  CHECK(plain.title.empty());
  CHECK(plain.shown(Language::da) == "plain");
  CHECK(s.variants[0].shown(Language::en) == "Without the project");
  CHECK(!s.run.lang.has_value());
}

TEST_CASE("texts: a map with another key than da and en is refused where it is") {
  const std::string bad = test::replaced(texts, "{da: \"Familieteam\", en: \"Family team\"}", "{dk: \"Familieteam\", en: \"Family team\"}");
  const std::string e = test::errors_of(bad);
  // test.yaml:23:13 is the key dk of the team's title.
  CHECK(e.find("test.yaml:23:13: variants.team.title.dk: unknown key 'dk'; did you mean 'da'? (allowed: da, en)") !=
        std::string::npos);
  const std::string empty = test::errors_of(test::replaced(texts, "title: {da: \"Dansk titel\", en: \"English title\"}", "title: {}"));
  CHECK(empty.find("test.yaml:3:8: title: give the text in at least one language") != std::string::npos);
  const std::string list = test::errors_of(test::replaced(texts, "label: {da: \"I arbejde\", en: \"In work\"}", "label: [I arbejde]"));
  CHECK(list.find("indicators.in_work.label: expected text, or the text in each language as {da: ..., en: ...}, got a list") !=
        std::string::npos);
}

TEST_CASE("texts: run.lang, and what it may be") {
  const Scenario da = test::scenario(test::replaced(texts, "seed: 1}", "seed: 1, lang: da}"));
  REQUIRE(da.run.lang.has_value());
  CHECK(*da.run.lang == Language::da);
  CHECK(*test::scenario(test::replaced(texts, "seed: 1}", "seed: 1, lang: en}")).run.lang == Language::en);
  const std::string e = test::errors_of(test::replaced(texts, "seed: 1}", "seed: 1, lang: dk}"));
  // test.yaml:5:71: the value dk.
  CHECK(e.find("test.yaml:5:71: run.lang: expected one of da, en, got 'dk'") != std::string::npos);
}

TEST_CASE("texts: the language of a command, by one rule") {
  // --lang first, then SOCINVEST_LANG, then the scenario's run.lang, then English.
  CHECK(resolve_language("", "", std::nullopt) == Language::en);
  CHECK(resolve_language("", "", Language::da) == Language::da);
  CHECK(resolve_language("", "en", Language::da) == Language::en);
  CHECK(resolve_language("", "da", std::nullopt) == Language::da);
  CHECK(resolve_language("en", "da", Language::da) == Language::en);
  CHECK(resolve_language("da", "en", Language::en) == Language::da);
  // A bad environment variable is a usage error even when the scenario has a language.
  try {
    (void)resolve_language("", "dk", Language::da);
    FAIL("SOCINVEST_LANG=dk was taken");
  } catch (const Error& e) {
    CHECK(e.code() == ExitCode::usage);
    CHECK(std::string(e.what()) == "SOCINVEST_LANG: 'dk' is not a language (allowed: da, en)");
  }
}
