// Results are bit-identical for any number of threads (a run with either kernel, compare,
// the sweeps and a batch), the same for the same seed, and different for a different seed.
#include "support.hpp"

#include <socinvest/batch/batch.hpp>
#include <socinvest/decision/compare.hpp>
#include <socinvest/decision/sweep.hpp>
#include <socinvest/report/batch_report.hpp>
#include <socinvest/report/tables.hpp>

#include <tbb/global_control.h>

#include <doctest/doctest.h>

#include <algorithm>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <functional>
#include <map>
#include <sstream>

namespace {

std::string all_outputs(const socinvest::Results& r) {
  return socinvest::money_csv(r) + socinvest::money_project_years_csv(r) + socinvest::outcomes_csv(r) +
         socinvest::outcomes_project_years_csv(r) + socinvest::targets_csv(r) +
         socinvest::contracts_csv(r) + socinvest::flows_csv(r) + socinvest::per_iteration_csv(r);
}

const socinvest::Scenario& tutorial() {
  static const auto s = socinvest::load_scenario(test::source_dir() + "/scenarios/tutorial.yaml");
  return s;
}

std::string run_tutorial(int threads, std::uint64_t seed = 0, socinvest::Kernel kernel = socinvest::Kernel::events) {
  tbb::global_control allow(tbb::global_control::max_allowed_parallelism, static_cast<std::size_t>(threads));
  socinvest::RunOptions o;
  o.iterations = 6;
  o.threads = threads;
  o.kernel = kernel;
  if (seed) {
    o.seed = seed;
    o.has_seed = true;
  }
  auto a = socinvest::analyse(tutorial(), o);
  return all_outputs(a->results);
}

/// A double to the bit ("%a": hexadecimal, exact).
std::string bits(double v) {
  char buf[64];
  std::snprintf(buf, sizeof buf, "%a", v);
  return buf;
}
std::string bits(const socinvest::Stat& s) {
  return bits(s.mean) + " " + bits(s.se) + " " + bits(s.p5) + " " + bits(s.p50) + " " + bits(s.p95) + " " +
         std::to_string(s.n);
}
std::string bits(const socinvest::Valuation& v) {
  return bits(v.npv) + " " + bits(v.p_break_even) + " " + std::to_string(v.iterations) + "\n";
}

/// `produce(threads)` with TBB limited to that many threads, on 1, 2, 4 and 8 threads: the
/// same text every time (and some text: at least `min_size` bytes). Returns the text.
std::string identical_on_1_2_4_8(const std::function<std::string(int)>& produce, std::size_t min_size) {
  auto at = [&](int threads) {
    tbb::global_control allow(tbb::global_control::max_allowed_parallelism, static_cast<std::size_t>(threads));
    return produce(threads);
  };
  const std::string one = at(1);
  CHECK(one.size() >= min_size);
  for (int threads : {2, 4, 8}) {
    CAPTURE(threads);
    const std::string other = at(threads);
    CHECK_MESSAGE(other == one, "differs from 1 thread at byte "
                                    << std::mismatch(one.begin(), one.end(), other.begin(), other.end()).first - one.begin());
  }
  return one;
}

socinvest::RunOptions options(int threads, int iterations) {
  socinvest::RunOptions o;
  o.iterations = iterations;
  o.threads = threads;
  return o;
}

/// Every file under `dir` (path relative to it, then its bytes), in path order.
std::string folder_contents(const std::filesystem::path& dir) {
  std::map<std::string, std::string> files;
  for (const auto& entry : std::filesystem::recursive_directory_iterator(dir))
    if (entry.is_regular_file()) {
      std::ifstream in(entry.path(), std::ios::binary);
      std::stringstream ss;
      ss << in.rdbuf();
      files[std::filesystem::relative(entry.path(), dir).string()] = ss.str();
    }
  std::string out;
  for (const auto& [name, content] : files) out += "== " + name + " (" + std::to_string(content.size()) + " bytes)\n" + content;
  return out;
}

} // namespace

TEST_CASE("results are identical on 1, 2, 4 and 8 threads") {
  const std::string one = run_tutorial(1);
  CHECK(one.size() > 10000);
  for (int threads : {2, 4, 8}) {
    CAPTURE(threads);
    CHECK(run_tutorial(threads) == one);
  }
}

TEST_CASE("results of the monthly reference kernel are identical on 1, 2, 4 and 8 threads") {
  const std::string monthly =
      identical_on_1_2_4_8([](int threads) { return run_tutorial(threads, 0, socinvest::Kernel::monthly); }, 10000);
  CHECK(monthly != run_tutorial(1)); // the kernel option did something
}

TEST_CASE("compare is identical on 1, 2, 4 and 8 threads") {
  identical_on_1_2_4_8(
      [](int threads) {
        const auto& s = tutorial();
        auto a = socinvest::analyse(s, options(threads, 6));
        const auto c = socinvest::compare_options({{"tutorial.yaml", &s, a.get(), {1, 2}}});
        std::string out;
        for (const auto& opt : c.options) {
          out += opt.label + " " + std::to_string(opt.rank) + " " + bits(opt.p_best) + " " + bits(opt.npv) + ":";
          for (double x : opt.samples) out += " " + bits(x);
          out += "\n";
        }
        for (const auto& p : c.pairs)
          out += std::to_string(p.a) + "-" + std::to_string(p.b) + " " + bits(p.difference) + " " + bits(p.p_a_better) + "\n";
        out += bits(c.expected_value_of_best) + " " + bits(c.expected_value_perfect_info) + " " + bits(c.evpi) + "\n";
        return out + socinvest::compare_html(c, socinvest::Language::en);
      },
      10000);
}

TEST_CASE("sweeps (tornado, grid, threshold) are identical on 1, 2, 4 and 8 threads") {
  const std::string team = "variants.family_team.interventions.team.";
  identical_on_1_2_4_8(
      [&](int threads) {
        const auto& s = tutorial();
        const auto o = options(threads, 4);
        socinvest::SweepTarget target;
        target.variant = s.variant_index("family_team");
        const auto t = socinvest::tornado(s, o, target, {team + "uptake", team + "effects[0].hazard_ratio"});
        std::string out = socinvest::tornado_csv(t) + bits(t.central);
        for (const auto& row : t.rows) out += row.path + " " + bits(row.at_low) + bits(row.at_high);
        const auto g = socinvest::grid(s, o, target, team + "effects[0].hazard_ratio", {1.0, 2.0},
                                       team + "capacity.households_per_staff_pair", {8.0, 16.0});
        for (const auto& column : g.cells)
          for (const auto& cell : column) out += bits(cell);
        const auto th = socinvest::threshold(s, o, target, team + "effects[0].hazard_ratio", 1.0, 4.0, 0.5, 0.05);
        out += std::to_string(th.found) + " " + bits(th.value) + " " + bits(th.lower) + " " + bits(th.upper) + " " +
               bits(th.probability_at_value) + " " + std::to_string(th.evaluations) + " " + th.note + "\n";
        return out;
      },
      1000);
}

TEST_CASE("a batch writes identical files on 1, 2, 4 and 8 threads") {
  // A small scenario with few uncertain parameters keeps the tornado item quick.
  const test::TempDir dir;
  std::ofstream(dir.path / "small.yaml") << R"(
scenario: small
run: {start: 2024-01, horizon_years: 4, iterations: 6, seed: 3}
departments: {jobcenter: {name: J}, state: {name: S, level: state}}
domains:
  work:
    applies_to: {role: adult, age: [18, 100]}
    states: [unemployed, job]
    transitions:
      unemployed: {to: {job: {beta: {mean: 0.03, sd: 0.01}}}}
      job: {to: {unemployed: 0.01}}
population:
  households: 200
  synthetic: {adults_per_household: 1, adult_age: {uniform: [30, 40]}, start_state: {work: {unemployed: 1.0}}}
costs:
  work.unemployed: [{department: jobcenter, amount: {gamma: {mean: 10000, sd: 500}}}]
variants:
  baseline: {}
  team:
    interventions:
      team:
        start: 2024-01
        duration_months: 24
        costs: [{department: jobcenter, fte: 1, monthly_cost_per_fte: {uniform: [40000, 60000]}}]
        effects: [{transition: work.unemployed->job, hazard_ratio: {lognormal: {median: 1.8, ci95: [1.2, 2.6]}}}]
  short_team:
    extends: team
    interventions:
      team: {duration_months: 6}
)";
  std::ofstream(dir.path / "batch.yaml") << "batch: threads\noutput: out\niterations: 6\nitems:\n"
                                         << "  - {scenario: small.yaml, seeds: [1, 2, 3]}\n"
                                         << "  - {scenario: small.yaml, sweep: tornado, variants: [short_team], seed: 4}\n";
  const auto manifest = socinvest::load_batch_manifest((dir.path / "batch.yaml").string());
  identical_on_1_2_4_8(
      [&](int threads) {
        socinvest::BatchOptions o;
        o.output = (dir.path / ("out-" + std::to_string(threads))).string();
        const auto report = socinvest::run_batch(manifest, o);
        CHECK(report.computed == 4);
        return folder_contents(o.output);
      },
      10000);
}

TEST_CASE("the same seed gives the same results; another seed gives others") {
  const std::string a = run_tutorial(2, 99);
  CHECK(run_tutorial(2, 99) == a);
  CHECK(run_tutorial(2, 100) != a);
}
