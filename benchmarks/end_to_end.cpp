// The end-to-end benchmark: the reference scenario (10,000 households, about 25,000 persons,
// three domains, monthly cycle, 20 years, baseline plus one variant, 100 iterations: about
// 1.2 billion person-months), on 1 thread and on 2. Prints person-months per second per
// core, the speed-up, and the peak memory of the process.
#include <socinvest/analysis.hpp>
#include <socinvest/scenario/loader.hpp>

#include <CLI/CLI.hpp>
#include <tbb/global_control.h>

#include <chrono>
#include <cstdio>
#include <sys/resource.h>

namespace {

struct Timing {
  double seconds = 0.0;
  double person_months = 0.0;
  bool rows_on_disk = false;
};

Timing run(const socinvest::Scenario& s, int iterations, int threads) {
  tbb::global_control limit(tbb::global_control::max_allowed_parallelism, static_cast<std::size_t>(threads));
  socinvest::RunOptions o;
  o.iterations = iterations;
  o.threads = threads;
  const auto start = std::chrono::steady_clock::now();
  auto a = socinvest::analyse(s, o);
  Timing t;
  t.seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  // Person-months simulated: every person of the starting population over every step of
  // the horizon, in every variant (the work a month-by-month simulation would do).
  t.person_months = static_cast<double>(a->persons_simulated) * s.run.steps() * s.run.cycle_months;
  t.rows_on_disk = a->rows_on_disk;
  return t;
}

} // namespace

int main(int argc, char** argv) {
  CLI::App app{"socinvest end-to-end benchmark"};
  std::string file = std::string(SOCINVEST_SOURCE_DIR) + "/benchmarks/scenarios/reference-10k.yaml";
  int iterations = 0;
  bool skip_single = false;
  app.add_option("--scenario", file, "Scenario to run")->capture_default_str();
  app.add_option("--iterations", iterations, "Iterations (default: the scenario's)");
  app.add_flag("--skip-single", skip_single, "Only the 2-thread run");
  CLI11_PARSE(app, argc, argv);

  const auto s = socinvest::load_scenario(file);
  const int n = iterations > 0 ? iterations : s.run.iterations;
  std::printf("scenario: %s (%d households, %d years, %zu variants, %d iterations)\n", s.id.c_str(),
              s.population.households, s.run.horizon_years, s.variants.size(), n);
  Timing one;
  if (!skip_single) {
    one = run(s, n, 1);
    std::printf("1 thread : %7.2f s  %6.1f million person-months/s per core  (%.3g person-months)\n", one.seconds,
                one.person_months / one.seconds / 1e6, one.person_months);
  }
  const Timing two = run(s, n, 2);
  std::printf("2 threads: %7.2f s  %6.1f million person-months/s per core\n", two.seconds,
              two.person_months / two.seconds / 2e6);
  if (!skip_single) std::printf("speed-up 1 -> 2 threads: %.2fx\n", one.seconds / two.seconds);
  rusage usage{};
  getrusage(RUSAGE_SELF, &usage);
  std::printf("peak memory (max resident set): %.1f MB (per-iteration rows %s)\n",
              static_cast<double>(usage.ru_maxrss) / 1024.0,
              two.rows_on_disk ? "in a temporary file" : "in memory");
  return 0;
}
