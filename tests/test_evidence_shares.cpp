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
#include <socinvest/decision/compare.hpp>
#include <socinvest/decision/evidence.hpp>
#include <socinvest/decision/sweep.hpp>
#include <socinvest/report/batch_report.hpp>
#include <socinvest/report/html_report.hpp>
#include <socinvest/report/outputs.hpp>
#include <socinvest/report/tables.hpp>

#include <doctest/doctest.h>

#include <cmath>
#include <filesystem>
#include <fstream>
#include <string>

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
