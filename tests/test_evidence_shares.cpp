// How much of the result rests on each evidence grade (decision/evidence.hpp) and the sweep
// that scales every effect of one grade together (decision/sweep.hpp, grade_sweep).
//
// The hand-checkable case: two effects of different grades act in two separate domains of
// the same adults (work and housing), each with its own costs. A domain's paths use their own
// random numbers, so the savings of the two effects add up exactly: what is lost without the
// trial's effect plus what is lost without the guess is what both bring, the parts sum to
// 100 %, and without any effect the variant's paths are the baseline's, so its net present
// value is minus its investment.
#include "support.hpp"

#include <socinvest/batch/batch.hpp>
#include <socinvest/csv.hpp>
#include <socinvest/decision/compare.hpp>
#include <socinvest/decision/evidence.hpp>
#include <socinvest/decision/sweep.hpp>
#include <socinvest/report/batch_report.hpp>
#include <socinvest/report/html_report.hpp>
#include <socinvest/report/outputs.hpp>
#include <socinvest/report/tables.hpp>

#include <doctest/doctest.h>

#include <algorithm>
#include <cmath>
#include <filesystem>
#include <fstream>
#include <string>
#include <vector>

namespace {

const char* two_grades = R"(
scenario: evidence-shares
run: {start: 2024-01, horizon_years: 3, iterations: 6, seed: 21}
departments: {jc: {name: Jobcenter}, social: {name: Social}}
domains:
  work:
    applies_to: {role: adult, age: [18, 100]}
    states: [benefit, job]
    transitions:
      benefit: {to: {job: 0.02}}
  housing:
    applies_to: {role: adult, age: [18, 100]}
    states: [shelter, home]
    transitions:
      shelter: {to: {home: 0.03}}
population:
  households: 400
  synthetic:
    adults_per_household: 1
    adult_age: {uniform: [30, 50]}
    start_state: {work: {benefit: 1.0}, housing: {shelter: 1.0}}
costs:
  work.benefit: [{department: jc, amount: 15000}]
  housing.shelter: [{department: social, amount: 30000}]
variants:
  baseline: {}
  project:
    interventions:
      team:
        duration_months: 36
        costs: [{department: jc, fte: 2, monthly_cost_per_fte: 50000}]
        effects:
          - {transition: work.benefit->job, hazard_ratio: 2.25, evidence: {grade: randomised_trial, source: "trial"}}
          - {transition: housing.shelter->home, hazard_ratio: 1.5, evidence: {grade: expert_guess}}
)";

socinvest::RunOptions options() {
  socinvest::RunOptions o;
  o.threads = 2;
  return o;
}

double npv(const socinvest::Analysis& a) {
  return a.results.money_at(1, test::account(a.results, "total"), -1, socinvest::Measure::npv).mean;
}

} // namespace

TEST_CASE("evidence shares: switching a grade off on common random numbers; the parts of separate domains add up") {
  const auto s = test::scenario(two_grades);
  const auto all = socinvest::analyse(s, options());
  const auto shares = socinvest::evidence_shares(s, options(), all->results);
  REQUIRE(shares.size() == 1);
  const auto& e = shares[0];
  CHECK(e.variant == 1);
  CHECK(e.npv_all == doctest::Approx(npv(*all)).epsilon(1e-12));
  // No effect: the baseline's paths, so nothing is saved and the NPV is minus the investment.
  const double invested = all->results.variants[0].investment_pv.mean;
  CHECK(invested > 0.0);
  CHECK(e.npv_none == doctest::Approx(-invested).epsilon(1e-9));
  // Without the trial's effect: the same as a scenario written without it.
  const std::string without_trial = test::replaced(
      two_grades,
      "          - {transition: work.benefit->job, hazard_ratio: 2.25, evidence: {grade: randomised_trial, source: \"trial\"}}\n",
      "");
  const auto by_hand = socinvest::analyse(test::scenario(without_trial), options());
  const int trial = static_cast<int>(socinvest::EvidenceGrade::randomised_trial);
  const int guess = static_cast<int>(socinvest::EvidenceGrade::expert_guess);
  CHECK(e.npv_without[trial] == doctest::Approx(npv(*by_hand)).epsilon(1e-12));
  CHECK(std::isnan(e.npv_without[static_cast<int>(socinvest::EvidenceGrade::before_after)]));
  // Separate domains: the parts add up to what both bring, 100 %.
  CHECK(e.share(trial) > 0.0);
  CHECK(e.share(guess) > 0.0);
  CHECK(e.share(trial) + e.share(guess) == doctest::Approx(1.0).epsilon(1e-9));

  // The report's first page and summary.json say it when the run measured it.
  socinvest::Results r = std::move(all->results);
  r.evidence_shares = shares;
  socinvest::Manifest m;
  m.evidence_shares = true;
  const std::string html = socinvest::html_report(r, m);
  CHECK(html.find("How much of the net present value rests on each grade") != std::string::npos);
  CHECK(html.find("Method: the run is repeated with the effects of one grade switched off") != std::string::npos);
  const std::string json = socinvest::summary_json(r, m);
  CHECK(json.find("\"evidence_shares\": {\"npv_all\"") != std::string::npos);
  CHECK(json.find("\"grade\": \"randomised_trial\"") != std::string::npos);
}

TEST_CASE("sweep by grade: every effect of one grade scaled together") {
  const auto s = test::scenario(two_grades);
  socinvest::SweepTarget target;
  const auto g = socinvest::grade_sweep(s, options(), target, socinvest::EvidenceGrade::randomised_trial, {0.0, 0.5, 1.0});
  REQUIRE(g.at.size() == 3);
  CHECK(g.effects == 1);
  // Scale 1: the scenario as it is.
  CHECK(g.at[2].npv.mean == doctest::Approx(npv(*socinvest::analyse(s, options()))).epsilon(1e-12));
  // Scale 0.5 on a hazard ratio of 2.25: a ratio of 2.25^0.5 = 1.5, as if written so.
  const auto half = socinvest::analyse(
      test::scenario(test::replaced(two_grades, "hazard_ratio: 2.25", "hazard_ratio: 1.5")), options());
  CHECK(g.at[1].npv.mean == doctest::Approx(npv(*half)).epsilon(1e-12));
  // Scale 0: the trial's effect off (a ratio of 1), the guess untouched.
  const auto off = socinvest::analyse(
      test::scenario(test::replaced(two_grades, "hazard_ratio: 2.25", "hazard_ratio: 1.0")), options());
  CHECK(g.at[0].npv.mean == doctest::Approx(npv(*off)).epsilon(1e-12));
  CHECK(g.at[0].npv.mean < g.at[1].npv.mean);
  CHECK(g.at[1].npv.mean < g.at[2].npv.mean);
  // A grade the variant does not use, and a negative scale, are refused.
  CHECK_THROWS_AS(socinvest::grade_sweep(s, options(), target, socinvest::EvidenceGrade::before_after, {1.0}),
                  socinvest::Error);
  CHECK_THROWS_AS(socinvest::grade_sweep(s, options(), target, socinvest::EvidenceGrade::expert_guess, {-1.0}),
                  socinvest::Error);
}

// compare --evidence-shares: the same computation (evidence_shares) per option, of the account
// compared. The two effects act in separate domains whose costs land in separate departments
// (work: jc; housing: social), so by hand: of the social account's net present value all
// that the effects bring comes from the guess (the trial's effect moves no one in housing, on
// the same random numbers), of jc's all from the trial; and a variant whose only effect is
// quasi-experimental (on work) rests 100 % on that grade, but brings the social account
// nothing, so has no share there.
TEST_CASE("evidence shares in compare: per option, of the account compared, by hand") {
  const std::string text =
      std::string(two_grades) +
      "  quasi_only:\n"
      "    interventions:\n"
      "      team:\n"
      "        duration_months: 36\n"
      "        costs: [{department: jc, fte: 2, monthly_cost_per_fte: 50000}]\n"
      "        effects:\n"
      "          - {transition: work.benefit->job, hazard_ratio: 2.25, evidence: {grade: quasi_experimental, source: \"evaluation\"}}\n";
  const auto s = test::scenario(text);
  const int trial = static_cast<int>(socinvest::EvidenceGrade::randomised_trial);
  const int quasi = static_cast<int>(socinvest::EvidenceGrade::quasi_experimental);
  const int guess = static_cast<int>(socinvest::EvidenceGrade::expert_guess);
  socinvest::RunOptions o = options();
  o.variants = {1, 2};
  const auto a = socinvest::analyse(s, o);
  for (const std::string account : {"social", "jc", "total"}) {
    a->results.evidence_shares = socinvest::evidence_shares(s, o, *a, account);
    const auto cmp = socinvest::compare_options({{"f", &s, a.get(), {1, 2}}}, account);
    REQUIRE(cmp.options.size() == 3);
    CHECK_FALSE(cmp.options[0].evidence); // the baseline has no effects
    REQUIRE(cmp.options[1].evidence);
    REQUIRE(cmp.options[2].evidence);
    const auto& two = *cmp.options[1].evidence;
    const auto& one = *cmp.options[2].evidence;
    INFO("account " << account);
    // The shares are of the figure the ranking shows.
    CHECK(two.npv_all == doctest::Approx(cmp.options[1].npv.mean).epsilon(1e-12));
    CHECK(one.npv_all == doctest::Approx(cmp.options[2].npv.mean).epsilon(1e-12));
    // One grade: the whole; but of the social account it brings nothing (it acts on work
    // alone), so there is no share to speak of, not 0 % or 100 %.
    if (account == "social") {
      CHECK(one.npv_all == one.npv_none);
      CHECK(std::isnan(one.share(quasi)));
    } else {
      CHECK(one.share(quasi) == doctest::Approx(1.0).epsilon(1e-12));
    }
    CHECK(std::isnan(one.share(trial)));
    CHECK(std::isnan(one.share(guess)));
    if (account == "social") {
      CHECK(two.share(guess) == doctest::Approx(1.0).epsilon(1e-9));
      CHECK(two.share(trial) == doctest::Approx(0.0).scale(1.0).epsilon(1e-9));
    } else if (account == "jc") {
      CHECK(two.share(trial) == doctest::Approx(1.0).epsilon(1e-9));
      CHECK(two.share(guess) == doctest::Approx(0.0).scale(1.0).epsilon(1e-9));
    } else {
      CHECK(two.share(trial) > 0.0);
      CHECK(two.share(guess) > 0.0);
      CHECK(two.share(trial) + two.share(guess) == doctest::Approx(1.0).epsilon(1e-9));
    }
    // Each output says it, in run's wording.
    const std::string html = socinvest::compare_html(cmp);
    CHECK(html.find("<section id=\"evidence\">") != std::string::npos);
    CHECK(html.find(account == "social" ? "quasi-experimental: n/a of the effects" : "quasi-experimental: 100 % of the effects") !=
          std::string::npos);
    CHECK(html.find(": 100 % of the effects") != std::string::npos);
    const std::string json = socinvest::compare_json(cmp, {});
    CHECK(json.find("\"evidence_shares\": {\"npv_all\"") != std::string::npos);
    CHECK(json.find("{\"grade\": \"quasi_experimental\", \"npv_without\": ") != std::string::npos);
  }
  // Without --evidence-shares nothing is said.
  a->results.evidence_shares.clear();
  const auto plain = socinvest::compare_options({{"f", &s, a.get(), {1, 2}}});
  CHECK_FALSE(plain.options[1].evidence);
  CHECK(socinvest::compare_html(plain).find("id=\"evidence\"") == std::string::npos);
  CHECK(socinvest::compare_json(plain, {}).find("evidence_shares") == std::string::npos);
}

// batch: `evidence_shares: true` (the manifest's default or an item's) computes them in the
// item (evidence_shares, on its one thread) into headline.csv, so batch.csv, batch_report.html
// and batch.xlsx have them; an item without it keeps its key and its figures.
TEST_CASE("evidence shares in batch: an item that asks for them, read back from batch.csv") {
  test::TempDir dir;
  const std::string one_grade = test::replaced(
      two_grades, "          - {transition: housing.shelter->home, hazard_ratio: 1.5, evidence: {grade: expert_guess}}\n", "");
  std::ofstream(dir.path / "two.yaml") << two_grades;
  std::ofstream(dir.path / "one.yaml") << one_grade;
  std::ofstream(dir.path / "batch.yaml") << "batch: shares\noutput: out\niterations: 6\nevidence_shares: true\nitems:\n"
                                            "  - {scenario: two.yaml, label: Two grades}\n"
                                            "  - {scenario: one.yaml, label: Trial only}\n"
                                            "  - {scenario: one.yaml, label: Plain, evidence_shares: false}\n";
  const auto manifest = socinvest::load_batch_manifest((dir.path / "batch.yaml").string());
  REQUIRE(manifest.items.size() == 3);
  CHECK(manifest.evidence_shares);
  CHECK(manifest.items[2].evidence_shares == false);
  socinvest::BatchOptions bo;
  const auto report = socinvest::run_batch(manifest, bo);
  CHECK(report.units == 3); // "Plain" is another run than "Trial only": its key differs
  const std::string csv = test::file_text((dir.path / "out" / "batch.csv").string());
  // By hand, as in compare: the only effect's grade carries all of it.
  CHECK(csv.find("2,Trial only,one.yaml,run,21,6,") != std::string::npos);
  const auto line_of = [&](const std::string& label, const std::string& measure) {
    for (std::size_t at = csv.find(label); at != std::string::npos; at = csv.find(label, at + 1)) {
      const std::size_t end = csv.find('\n', at);
      const std::string line = csv.substr(at, end - at);
      if (line.find("," + measure + ",") != std::string::npos) return line;
    }
    return std::string();
  };
  CHECK(line_of("Trial only", "evidence_share_randomised_trial").find(",project,evidence_share_randomised_trial,1,,,,") !=
        std::string::npos);
  CHECK(line_of("Trial only", "evidence_share_expert_guess").empty());
  CHECK(line_of("Plain", "evidence_npv_all").empty());
  // Two grades in separate domains: the parts add up to 1 (the item's own figures, here
  // checked against the same computation outside the batch).
  const auto s = test::scenario(two_grades);
  socinvest::RunOptions o;
  o.iterations = 6;
  o.seed = 21;
  o.has_seed = true;
  o.threads = 1;
  const auto all = socinvest::analyse(s, o);
  const auto shares = socinvest::evidence_shares(s, o, all->results);
  REQUIRE(shares.size() == 1);
  const int trial = static_cast<int>(socinvest::EvidenceGrade::randomised_trial);
  CHECK(line_of("Two grades", "evidence_share_randomised_trial")
            .find(",project,evidence_share_randomised_trial," + socinvest::exact_number(shares[0].share(trial)) + ",,,,") !=
        std::string::npos);
  CHECK(line_of("Two grades", "evidence_npv_none").find("," + socinvest::exact_number(shares[0].npv_none) + ",,,,") !=
        std::string::npos);
  // The report and the workbook, from batch.csv.
  const std::string html = test::file_text((dir.path / "out" / "batch_report.html").string());
  CHECK(html.find("<section id=\"evidence\">") != std::string::npos);
  CHECK(html.find("randomised trial: 100 % of the effects") != std::string::npos);
  CHECK(html.find(socinvest::html_text(socinvest::evidence_share_text(shares[0], socinvest::Language::en, true))) != std::string::npos);
  CHECK(std::filesystem::exists(dir.path / "out" / "batch.xlsx"));
  // A manifest value that is not true or false is refused where it stands.
  std::ofstream(dir.path / "bad.yaml") << "batch: bad\nitems:\n  - {scenario: one.yaml, evidence_shares: maybe}\n";
  CHECK_THROWS_AS(socinvest::load_batch_manifest((dir.path / "bad.yaml").string()), socinvest::InvalidInput);
}

namespace {

/// The number written after `"key": ` at or after `from` in a JSON text, as text ("" when
/// there is none): the file's own digits, so two files are compared as written.
std::string json_value_after(const std::string& json, std::size_t from, const std::string& key) {
  const std::size_t at = json.find("\"" + key + "\": ", from);
  if (at == std::string::npos) return "";
  const std::size_t start = at + key.size() + 4;
  return json.substr(start, json.find_first_of(",}]", start) - start);
}

/// A number as the engine writes it; NaN for an empty cell.
double number_of(const std::string& text) { return text.empty() ? std::nan("") : std::stod(text); }

} // namespace

// compare_options.csv with --evidence-shares: one column per figure, every grade's columns
// whether used or not, named as batch.csv's measures; checked against summary.json of the
// same run (run --evidence-shares: the account total, the same seed and iterations) and by
// hand (separate domains: the project's two parts add up to 1; the quasi-experimental
// variant's one grade is the whole; a grade a variant does not use is an empty cell).
TEST_CASE("evidence shares in compare_options.csv: a column per grade, equal to summary.json's, by hand") {
  const std::string text =
      std::string(two_grades) +
      "  quasi_only:\n"
      "    interventions:\n"
      "      team:\n"
      "        duration_months: 36\n"
      "        costs: [{department: jc, fte: 2, monthly_cost_per_fte: 50000}]\n"
      "        effects:\n"
      "          - {transition: work.benefit->job, hazard_ratio: 2.25, evidence: {grade: quasi_experimental, source: \"evaluation\"}}\n";
  const auto s = test::scenario(text);
  socinvest::RunOptions o = options();
  o.variants = {1, 2};
  const auto a = socinvest::analyse(s, o);
  // Without --evidence-shares the columns are as before.
  const auto plain = socinvest::compare_options({{"f", &s, a.get(), {1, 2}}});
  CHECK(socinvest::compare_options_csv(plain).starts_with("option,rank,p_best,npv_mean,npv_se,npv_p5,npv_p50,npv_p95\n"));
  a->results.evidence_shares = socinvest::evidence_shares(s, o, *a, "total");
  const auto cmp = socinvest::compare_options({{"f", &s, a.get(), {1, 2}}}, "total");
  const auto table = socinvest::parse_csv(socinvest::compare_options_csv(cmp));
  const std::vector<std::string> header{"option", "rank", "p_best", "npv_mean", "npv_se", "npv_p5", "npv_p50", "npv_p95",
                                        "evidence_npv_all", "evidence_npv_none",
                                        "evidence_npv_without_randomised_trial", "evidence_share_randomised_trial",
                                        "evidence_npv_without_quasi_experimental", "evidence_share_quasi_experimental",
                                        "evidence_npv_without_before_after", "evidence_share_before_after",
                                        "evidence_npv_without_expert_guess", "evidence_share_expert_guess"};
  REQUIRE(table.size() == 4);
  CHECK(table[0] == header);
  auto cell = [&](const std::string& option, const std::string& column) {
    const auto c = static_cast<std::size_t>(std::find(header.begin(), header.end(), column) - header.begin());
    for (const auto& line : table)
      if (!line.empty() && line[0] == option) return c < line.size() ? line[c] : std::string("?");
    return std::string("?");
  };
  for (const auto& line : table) CHECK(line.size() == header.size());
  // The baseline option has no effects: every evidence cell empty.
  for (std::size_t c = 8; c < header.size(); ++c) CHECK(table[1][c].empty());
  CHECK(table[1][0] == "baseline");
  // By hand: separate domains, the two parts add up to what both bring; one grade is all.
  const double trial = number_of(cell("project", "evidence_share_randomised_trial"));
  const double guess = number_of(cell("project", "evidence_share_expert_guess"));
  CHECK(trial > 0.0);
  CHECK(guess > 0.0);
  CHECK(trial + guess == doctest::Approx(1.0).epsilon(1e-9));
  CHECK(cell("project", "evidence_share_quasi_experimental").empty());
  CHECK(cell("project", "evidence_npv_without_before_after").empty());
  CHECK(number_of(cell("quasi_only", "evidence_share_quasi_experimental")) ==
        doctest::Approx(1.0).epsilon(1e-12));
  CHECK(cell("quasi_only", "evidence_share_randomised_trial").empty());
  CHECK(cell("quasi_only", "evidence_share_expert_guess").empty());
  // The shares are of the figure the ranking shows.
  CHECK(cell("project", "evidence_npv_all") == cell("project", "npv_mean"));
  // summary.json of run --evidence-shares on the same scenario, seed and iterations says the
  // same numbers, digit for digit.
  socinvest::RunOptions ro = options();
  const auto run = socinvest::analyse(s, ro);
  socinvest::Results r = std::move(run->results);
  r.evidence_shares = socinvest::evidence_shares(s, ro, r);
  socinvest::Manifest m;
  m.evidence_shares = true;
  const std::string json = socinvest::summary_json(r, m);
  for (const std::string variant : {"project", "quasi_only"}) {
    CAPTURE(variant);
    const std::size_t at = json.find("\"evidence_shares\": ", json.find("{\"id\": \"" + variant + "\""));
    REQUIRE(at != std::string::npos);
    CHECK(json_value_after(json, at, "npv_all") == cell(variant, "evidence_npv_all"));
    CHECK(json_value_after(json, at, "npv_none") == cell(variant, "evidence_npv_none"));
    const std::size_t end = json.find("]}", at);
    for (const std::string grade : {"randomised_trial", "quasi_experimental", "before_after", "expert_guess"}) {
      CAPTURE(grade);
      const std::size_t g = json.find("{\"grade\": \"" + grade + "\"", at);
      if (g == std::string::npos || g > end) {
        CHECK(cell(variant, "evidence_share_" + grade).empty()); // summary.json lists the grades used
        continue;
      }
      CHECK(json_value_after(json, g, "npv_without") == cell(variant, "evidence_npv_without_" + grade));
      CHECK(json_value_after(json, g, "share") == cell(variant, "evidence_share_" + grade));
      CHECK_FALSE(cell(variant, "evidence_share_" + grade).empty());
    }
  }
}

// batch.json: an item with evidence_shares: true carries, per variant, summary.json's object
// with the variant's id, read back from its headline.csv; an item without has no such key, and
// a resumed batch writes the same bytes.
TEST_CASE("evidence shares in batch.json: per unit and variant, as summary.json has them") {
  test::TempDir dir;
  const std::string one_grade = test::replaced(
      two_grades, "          - {transition: housing.shelter->home, hazard_ratio: 1.5, evidence: {grade: expert_guess}}\n", "");
  std::ofstream(dir.path / "two.yaml") << two_grades;
  std::ofstream(dir.path / "one.yaml") << one_grade;
  std::ofstream(dir.path / "batch.yaml") << "batch: shares\noutput: out\niterations: 6\nitems:\n"
                                            "  - {scenario: two.yaml, label: Two grades, evidence_shares: true}\n"
                                            "  - {scenario: one.yaml, label: Trial only, evidence_shares: true}\n"
                                            "  - {scenario: one.yaml, label: Plain}\n";
  const auto manifest = socinvest::load_batch_manifest((dir.path / "batch.yaml").string());
  socinvest::BatchOptions bo;
  (void)socinvest::run_batch(manifest, bo);
  const std::string json = test::file_text((dir.path / "out" / "batch.json").string());
  auto unit = [&](const std::string& label) {
    const std::size_t at = json.find("\"label\": \"" + label + "\"");
    REQUIRE(at != std::string::npos);
    return json.substr(at, json.find('\n', at) - at);
  };
  // By hand: the only effect's grade carries all of it; no other grade is listed.
  const std::string trial_only = unit("Trial only");
  CHECK(trial_only.find("\"evidence_shares\": [{\"variant\": \"project\", \"npv_all\": ") != std::string::npos);
  CHECK(trial_only.find("{\"grade\": \"randomised_trial\", \"npv_without\": ") != std::string::npos);
  CHECK(trial_only.find("\"share\": 1}]}]}") != std::string::npos);
  CHECK(trial_only.find("expert_guess") == std::string::npos);
  CHECK(unit("Plain").find("evidence_shares") == std::string::npos);
  // Two grades: the same figures as summary.json of run --evidence-shares on the same seed,
  // iterations and thread count (the item's).
  const auto s = test::scenario(two_grades);
  socinvest::RunOptions o;
  o.iterations = 6;
  o.seed = 21;
  o.has_seed = true;
  o.threads = 1;
  const auto all = socinvest::analyse(s, o);
  socinvest::Results r = std::move(all->results);
  r.evidence_shares = socinvest::evidence_shares(s, o, r);
  socinvest::Manifest m;
  m.evidence_shares = true;
  const std::string summary = socinvest::summary_json(r, m);
  const std::size_t in_summary = summary.find("\"evidence_shares\": ");
  REQUIRE(in_summary != std::string::npos);
  const std::string two = unit("Two grades");
  const std::size_t in_batch = two.find("\"evidence_shares\": [{\"variant\": \"project\", ");
  REQUIRE(in_batch != std::string::npos);
  for (const std::string key : {"npv_all", "npv_none"})
    CHECK(json_value_after(two, in_batch, key) == json_value_after(summary, in_summary, key));
  for (const std::string grade : {"randomised_trial", "expert_guess"}) {
    CAPTURE(grade);
    const std::size_t g = two.find("{\"grade\": \"" + grade + "\"", in_batch), h = summary.find("{\"grade\": \"" + grade + "\"", in_summary);
    REQUIRE(g != std::string::npos);
    REQUIRE(h != std::string::npos);
    CHECK(json_value_after(two, g, "npv_without") == json_value_after(summary, h, "npv_without"));
    CHECK(json_value_after(two, g, "share") == json_value_after(summary, h, "share"));
  }
  // Separate domains: the parts add up to 1.
  const double sum = number_of(json_value_after(two, two.find("randomised_trial", in_batch), "share")) +
                     number_of(json_value_after(two, two.find("expert_guess", in_batch), "share"));
  CHECK(sum == doctest::Approx(1.0).epsilon(1e-9));
  // Resumed: every item reused, the same bytes.
  const auto again = socinvest::run_batch(manifest, bo);
  CHECK(again.reused == again.units);
  CHECK(test::file_text((dir.path / "out" / "batch.json").string()) == json);
}
