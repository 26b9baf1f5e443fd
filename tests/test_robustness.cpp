// Regression tests for the faults an adversarial test found (issue 11), at the library
// level: each names the fault it guards against. The command-line faults are in
// tests/cli/hostile.sh.
#include "support.hpp"

#include <socinvest/batch/batch.hpp>
#include <socinvest/decision/compare.hpp>
#include <socinvest/decision/sweep.hpp>
#include <socinvest/errors.hpp>
#include <socinvest/files.hpp>
#include <socinvest/footprint.hpp>
#include <socinvest/ledger/accounts.hpp>
#include <socinvest/report/format.hpp>
#include <socinvest/report/output_folder.hpp>
#include <socinvest/scenario/diagnostics.hpp>
#include <socinvest/scenario/names.hpp>
#include <socinvest/statistics/summary.hpp>
#include <socinvest/version.hpp>

#include <doctest/doctest.h>

#include <chrono>
#include <cmath>
#include <filesystem>
#include <fstream>
#include <sys/stat.h>
#include <unistd.h>

namespace fs = std::filesystem;

namespace {

const std::string small = R"(
scenario: small
run: {start: 2024-01, horizon_years: 3, iterations: 4, seed: 1}
departments: {jobcenter: Jobcenter, state: {name: Staten, level: state}}
domains:
  work:
    applies_to: {role: adult, age: [18, 67]}
    states: [benefit, job]
    transitions: {benefit: {to: {job: 0.05}}, job: {to: {benefit: 0.01}}}
population: {households: 20, synthetic: {start_state: {work: {benefit: 1.0}}}}
costs: {work.benefit: [{department: jobcenter, amount: 1000}]}
variants:
  baseline: {}
  team:
    interventions:
      t: {costs: [{department: jobcenter, fte: 1, monthly_cost_per_fte: 40000}],
          effects: [{transition: work.benefit->job, hazard_ratio: 1.5}]}
)";

std::string refusal(const std::string& yaml) {
  try {
    (void)test::scenario(yaml);
  } catch (const socinvest::Error& e) {
    return e.what();
  }
  return "(accepted)";
}

/// A unique folder under the system's temporary folder, removed at the end of the test.
struct TempDir {
  fs::path path;
  TempDir() {
    std::string t = (fs::temp_directory_path() / "socinvest-test-XXXXXX").string();
    REQUIRE(::mkdtemp(t.data()) != nullptr);
    path = t;
  }
  ~TempDir() {
    std::error_code ec;
    fs::remove_all(path, ec);
  }
};

} // namespace

TEST_CASE("fault 1: a FIFO is refused by its type, before anything opens it") {
  TempDir dir;
  const std::string fifo = (dir.path / "scenario.yaml").string();
  REQUIRE(::mkfifo(fifo.c_str(), 0600) == 0);
  const auto started = std::chrono::steady_clock::now();
  REQUIRE(socinvest::not_a_regular_file(fifo).has_value());
  CHECK(socinvest::not_a_regular_file(fifo)->en.find("FIFO") != std::string::npos);
  CHECK_THROWS_WITH_AS((void)socinvest::load_scenario(fifo), doctest::Contains("is a FIFO"), socinvest::IoError);
  CHECK_THROWS_WITH_AS((void)socinvest::read_file(fifo, "batch manifest"), doctest::Contains("is a FIFO"), socinvest::IoError);
  // Opening a FIFO with no writer would block for ever: getting here at all is the test.
  CHECK(std::chrono::steady_clock::now() - started < std::chrono::seconds(5));
}

TEST_CASE("fault 2: aliases that multiply a tree are refused without expanding it") {
  std::string bomb = small;
  std::string rules = "        eligible:\n          any_of:\n            - &e0 {any_member: {role: adult}}\n";
  for (int k = 1; k <= 7; ++k) {
    rules += "            - &e" + std::to_string(k) + " {any_of: [";
    for (int j = 0; j < 10; ++j) rules += (j ? ", *e" : "*e") + std::to_string(k - 1);
    rules += "]}\n";
  }
  bomb.replace(bomb.find("      t: {costs"), 0, "      t2:\n" + rules + "        uptake: 0.5\n");
  const auto started = std::chrono::steady_clock::now();
  CHECK(refusal(bomb).find("expands to more than 200000 values") != std::string::npos);
  CHECK(std::chrono::steady_clock::now() - started < std::chrono::seconds(5));
  CHECK(refusal(small) == "(accepted)");
}

TEST_CASE("fault 3: a run whose tables would not fit is refused before it runs, with the driver") {
  const auto s = socinvest::load_scenario(test::source_dir() + "/tests/hostile/outcomes-16x60-states.yaml");
  socinvest::RunOptions o;
  const auto f = socinvest::estimate_footprint(s, o);
  CHECK(f.memory_bytes > 16.0 * 1024 * 1024 * 1024);
  CHECK(f.driver.find("outcome tables") != std::string::npos);
  CHECK(f.driver.find("domains.d0") != std::string::npos);
  CHECK_THROWS_WITH_AS(socinvest::check_footprint(s, o), doctest::Contains("run.horizon_years"), socinvest::Error);
  // The shipped tutorial fits easily, and a trace of all its households too.
  const auto tutorial = socinvest::load_scenario(test::source_dir() + "/scenarios/tutorial.yaml");
  CHECK_NOTHROW(socinvest::check_footprint(tutorial, o, 100000));
  // --trace is counted: 100,000 traced households of the 10,000-household benchmark over
  // 20 years is refused by a small limit, and the driver names --trace.
  const auto bench = socinvest::load_scenario(test::source_dir() + "/benchmarks/scenarios/reference-10k.yaml");
  socinvest::FootprintLimits tight;
  tight.memory_bytes = 2.0 * 1024 * 1024 * 1024;
  CHECK_NOTHROW(socinvest::check_footprint(bench, o, 0, tight));
  CHECK_THROWS_WITH_AS(socinvest::check_footprint(bench, o, 100000, tight), doctest::Contains("--trace 100000"),
                       socinvest::Error);
}

TEST_CASE("fault 4: more than 64 departments is refused") {
  std::string many = small;
  std::string deps;
  for (int d = 0; d < 64; ++d) deps += ", d" + std::to_string(d) + ": D";
  many.replace(many.find("state: {name: Staten"), 0, deps.substr(2) + ", ");
  CHECK(refusal(many).find("at most 64 departments") != std::string::npos);
}

TEST_CASE("fault 5 and 8: --force replaces only result folders; stale staging is cleared") {
  TempDir dir;
  const fs::path user = dir.path / "userdir";
  fs::create_directories(user);
  std::ofstream(user / "thesis.docx") << "years of work";
  CHECK_THROWS_WITH_AS(socinvest::OutputFolder((user).string(), true), doctest::Contains("not a socinvest result folder"),
                       socinvest::IoError);
  CHECK(fs::exists(user / "thesis.docx"));
  {
    socinvest::OutputFolder out((dir.path / "results").string(), false);
    out.write("a.csv", "1\n");
    out.commit();
  }
  CHECK(fs::exists(dir.path / "results" / socinvest::result_marker));
  {
    socinvest::OutputFolder again((dir.path / "results").string(), true); // has the marker: may be replaced
    again.write("b.csv", "2\n");
    again.commit();
  }
  CHECK(fs::exists(dir.path / "results" / "b.csv"));
  CHECK_FALSE(fs::exists(dir.path / "results" / "a.csv"));
  // Debris of a killed run (a staging folder whose process is gone) goes on the next run:
  // with the marker, or empty (killed between making the folder and writing the marker, a
  // window the batch resume test hit under load). A folder of the same shape with something
  // in it but no marker is the user's and stays.
  const fs::path debris = dir.path / ".results.partial-999999999-abcdef";
  const fs::path empty_debris = dir.path / ".results.partial-999999998-ghijkl";
  const fs::path lookalike = dir.path / ".mine.partial-999999999-abcdef";
  fs::create_directories(debris);
  fs::create_directories(empty_debris);
  fs::create_directories(lookalike);
  std::ofstream(debris / socinvest::result_marker) << "x";
  std::ofstream(lookalike / "notes.txt") << "mine";
  socinvest::OutputFolder next((dir.path / "other").string(), false);
  CHECK_FALSE(fs::exists(debris));
  CHECK_FALSE(fs::exists(empty_debris));
  CHECK(fs::exists(lookalike / "notes.txt"));
}

TEST_CASE("fault 6: names that would become paths or columns are plain words") {
  CHECK(socinvest::is_valid_name("jobcenter"));
  CHECK(socinvest::is_valid_name("h\xc3\xb8je-taastrup_2"));
  CHECK_FALSE(socinvest::is_valid_name("../../victim"));
  CHECK_FALSE(socinvest::is_valid_name("a/b"));
  CHECK_FALSE(socinvest::is_valid_name("two\nlines"));
  CHECK_FALSE(socinvest::is_valid_name("\xf0\x9f\x92\xb0"));           // an emoji
  CHECK_FALSE(socinvest::is_valid_name("job\xe2\x80\x8b" "center")); // a zero-width space
  CHECK_FALSE(socinvest::is_valid_name("-rf"));
  CHECK_FALSE(socinvest::is_valid_name(std::string(65, 'a')));
  std::string escaped = small;
  escaped.replace(escaped.find("scenario: small"), 15, "scenario: \"../../victim\"");
  CHECK(refusal(escaped).find("'../../victim' is not a valid scenario name") != std::string::npos);
  // did-you-mean never suggests a name with an invisible character.
  CHECK(socinvest::did_you_mean("jobcenter", {"jobcente\xe2\x80\x8br"}).empty());
  CHECK(socinvest::did_you_mean("jobcentr", {"jobcenter"}) == "jobcenter");
}

TEST_CASE("fault 12: swept values outside a parameter's range are refused before any run") {
  const auto s = test::scenario(small);
  const auto& hr = socinvest::find_parameter(s, "variants.team.interventions.t.effects[0].hazard_ratio");
  CHECK_THROWS_WITH_AS(socinvest::check_sweep_value(hr, -1), doctest::Contains("out of range (allowed: a number above 0)"),
                       socinvest::Error);
  CHECK_THROWS_AS(socinvest::check_sweep_value(hr, std::nan("")), socinvest::Error);
  CHECK_THROWS_AS(socinvest::check_sweep_value(hr, INFINITY), socinvest::Error);
  CHECK_NOTHROW(socinvest::check_sweep_value(hr, 2.0));
  socinvest::SweepTarget target;
  target.variant = 1;
  target.account = "totl";
  socinvest::RunOptions o;
  o.iterations = 2;
  CHECK_THROWS_WITH_AS(socinvest::grid(s, o, target, hr.path, {1.0}, hr.path, {1.0}), doctest::Contains("did you mean 'total'"),
                       socinvest::Error);
  CHECK_THROWS_WITH_AS(socinvest::account_index(socinvest::make_accounts(s), "jobcentre"),
                       doctest::Contains("did you mean 'jobcenter'"), socinvest::Error);
}

TEST_CASE("fault 14: one iteration estimates no spread; ties are split, not given to the first") {
  const auto one = socinvest::summarize({5.0});
  CHECK(one.mean == 5.0);
  CHECK(std::isnan(one.se));
  CHECK(std::isnan(one.p5));
  CHECK(std::isnan(one.p95));
  CHECK(socinvest::money_short(one.se) == "n/a");
  const auto two = socinvest::summarize({1.0, 3.0});
  CHECK(two.se == doctest::Approx(1.0)); // sd sqrt(2), se sqrt(2)/sqrt(2)
  // Two options identical in every iteration share the wins: 50 % each, 0 % for the third.
  socinvest::Analysis a;
  a.plan.iterations = 4;
  a.results.accounts.id = {"total"};
  for (int i = 0; i < 4; ++i) {
    a.results.per_iteration.push_back({1.0, double(i), 10.0 + i});
    a.results.per_iteration.push_back({2.0, double(i), 10.0 + i});
    a.results.per_iteration.push_back({3.0, double(i), -5.0});
  }
  socinvest::Scenario s = test::scenario(small);
  s.variants.push_back(s.variants[1]);
  s.variants.push_back(s.variants[1]);
  s.variants[2].id = "twin";
  s.variants[3].id = "worse";
  socinvest::CompareInput in;
  in.file = "x.yaml";
  in.scenario = &s;
  in.analysis = &a;
  in.variants = {1, 2, 3};
  const auto c = socinvest::compare_options({in}, "total");
  REQUIRE(c.options.size() == 4);       // baseline (0 in every iteration) and three
  CHECK(c.options[1].p_best == doctest::Approx(0.5));
  CHECK(c.options[2].p_best == doctest::Approx(0.5));
  CHECK(c.options[3].p_best == 0.0);
  CHECK(c.pairs[3].p_a_better == doctest::Approx(0.5)); // team vs twin: all ties
}

TEST_CASE("fault 15: amounts and counts that would overflow are refused") {
  std::string huge = small;
  huge.replace(huge.find("amount: 1000}"), 13, "amount: 1e308}");
  CHECK(refusal(huge).find("an amount from -1e12 to 1e12 kr.") != std::string::npos);
  std::string intake = small;
  intake.replace(intake.find("t: {costs"), 9, "t: {intake_per_month: 9.3e18, costs");
  CHECK(refusal(intake).find("at most 10,000,000") != std::string::npos);
  // A long number is never cut.
  CHECK(socinvest::grouped(-9.9e17).size() == std::string("-990,000,000,000,000,000").size());
}

TEST_CASE("fault 16: control characters never reach an output") {
  std::string title = small;
  title.replace(title.find("scenario: small"), 15, "scenario: small\ntitle: \"\\e[2Jgone\"");
  CHECK(refusal(title).find("control characters") != std::string::npos);
  CHECK(socinvest::printable("a\x1b[2Jb\x07") == "a[2Jb");
  CHECK(socinvest::printable("line\nnext\ttab") == "line\nnext\ttab");
  CHECK(socinvest::printable("x\xc2\x9by") == "xy");              // C1 CSI
  CHECK(socinvest::printable("a\xe2\x80\xae" "b") == "ab");          // right-to-left override
  CHECK(socinvest::html_text("<\x1b>") == "&lt;&gt;");
  CHECK(socinvest::csv_text("=\x1b]0;x\x07") == "'=]0;x");
}

TEST_CASE("fault 17: terminal columns are cut by characters, never inside a letter") {
  CHECK(socinvest::fit("\xc3\xa6\xc3\xb8\xc3\xa5" "abc", 4) == "\xc3\xa6\xc3\xb8\xc3\xa5" "a");
  CHECK(socinvest::fit("ab", 4) == "ab  ");
  CHECK(socinvest::display_width("Beskæftigelse") == 13);
}

TEST_CASE("fault 19: NaN is an empty cell in CSV, not the text NaN") {
  CHECK(socinvest::exact_number(std::nan("")).empty());
  CHECK(socinvest::json_number(std::nan("")) == "null");
}

TEST_CASE("fault 9: a batch item computed by another engine is recomputed, never reused") {
  TempDir dir;
  std::ofstream(dir.path / "small.yaml") << small;
  std::ofstream(dir.path / "batch.yaml") << "batch: identity\noutput: out\niterations: 2\nitems:\n  - {scenario: small.yaml, seeds: [1, 2]}\n";
  const auto manifest = socinvest::load_batch_manifest((dir.path / "batch.yaml").string());
  socinvest::BatchOptions o;
  o.engine_identity = "commit-a+build-1";
  const auto first = socinvest::run_batch(manifest, o);
  CHECK(first.computed == 2);
  CHECK(socinvest::run_batch(manifest, o).reused == 2); // the same engine reuses
  o.engine_identity = "commit-b+build-1";                 // a rebuilt engine
  const auto other = socinvest::run_batch(manifest, o);
  CHECK(other.computed == 2);
  CHECK(other.reused == 0);
  // item.json records what computed it.
  bool recorded = false;
  for (const auto& e : fs::recursive_directory_iterator(dir.path / "out" / "items"))
    if (e.path().filename() == "item.json") {
      std::ifstream in(e.path());
      const std::string text((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
      recorded = recorded || text.find("\"engine_identity\": \"commit-b+build-1\"") != std::string::npos;
    }
  CHECK(recorded);
  CHECK(std::string(socinvest::engine_identity()).find('+') != std::string::npos);
}
