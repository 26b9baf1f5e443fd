// The end-to-end benchmark, on two workloads, each on 1 thread and on 2 (person-months per
// second per core, the speed-up, the peak memory of the process):
//  * reference: the reference scenario (10,000 households, about 25,000 persons, three
//    domains, monthly cycle, 20 years, baseline plus one variant, 100 iterations: about
//    1.2 billion person-months);
//  * peer: the peer benchmark's model (benchmarks/scenarios/hesim-model.yaml, the hesim and
//    numpy peers' model: 10,000 persons, five states, 20 years, two arms, 100 iterations:
//    480 million person-months).
// --scaling prints the scaling table instead: the peer model at households 1,000 ->
// 1,000,000 (at a fixed number of iterations) and at iterations 100 -> 10,000 (at a fixed
// number of households), each point in a child process of its own on one thread, with its
// wall time, CPU time and peak memory (the child's maximum resident set).
#include <socinvest/analysis.hpp>
#include <socinvest/scenario/loader.hpp>

#include <CLI/CLI.hpp>
#include <tbb/global_control.h>

#include <chrono>
#include <cstdio>
#include <string>
#include <vector>

#include <spawn.h>
#include <sys/resource.h>
#include <sys/wait.h>

extern char** environ;

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

/// One workload on 1 thread (unless skipped) and on 2.
void workload(const std::string& file, int iterations, bool skip_single) {
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
  std::printf("per-iteration rows %s\n", two.rows_on_disk ? "in a temporary file" : "in memory");
}

/// A scaling point, in this (child) process: the scenario with `households` households and
/// `iterations` iterations, on one thread.
int point(const std::string& file, int households, int iterations) {
  auto s = socinvest::load_scenario(file);
  s.population.households = households;
  run(s, iterations, 1);
  return 0;
}

struct Measured {
  double wall = 0.0, cpu = 0.0, peak_mb = 0.0;
  bool ok = false;
};

/// Runs this program as a child for one point; its wall time, CPU time and peak memory.
Measured measure(const std::string& self, const std::string& file, int households, int iterations) {
  std::vector<std::string> args = {self, "--scenario", file, "--point",
                                   std::to_string(households) + "," + std::to_string(iterations)};
  std::vector<char*> argv;
  for (auto& a : args) argv.push_back(a.data());
  argv.push_back(nullptr);
  Measured m;
  const auto start = std::chrono::steady_clock::now();
  pid_t pid = 0;
  if (posix_spawn(&pid, self.c_str(), nullptr, nullptr, argv.data(), environ) != 0) return m;
  int status = 0;
  rusage usage{};
  if (wait4(pid, &status, 0, &usage) != pid) return m;
  m.wall = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  m.cpu = static_cast<double>(usage.ru_utime.tv_sec + usage.ru_stime.tv_sec) +
          static_cast<double>(usage.ru_utime.tv_usec + usage.ru_stime.tv_usec) * 1e-6;
  m.peak_mb = static_cast<double>(usage.ru_maxrss) / 1024.0;
  m.ok = WIFEXITED(status) && WEXITSTATUS(status) == 0;
  return m;
}

/// The scaling table (markdown): one axis at a time, the other fixed.
int scaling(const std::string& self, const std::string& file, int fixed_iterations, int fixed_households) {
  const auto s = socinvest::load_scenario(file);
  const double steps = static_cast<double>(s.run.steps()) * s.run.cycle_months;
  const double arms = static_cast<double>(s.variants.size());
  std::printf("scaling: %s on 1 thread, each point in a child process\n\n", s.id.c_str());
  std::printf("| households | iterations | person-months | wall s | CPU s | CPU ns per person-month | peak memory MB |\n");
  std::printf("|---:|---:|---:|---:|---:|---:|---:|\n");
  auto row = [&](int h, int it) {
    const Measured m = measure(self, file, h, it);
    // Persons = households here: the peer model has one adult per household.
    const double pm = static_cast<double>(h) * it * steps * arms;
    if (!m.ok) {
      std::printf("| %d | %d | %.3g | failed | | | |\n", h, it, pm);
      return false;
    }
    std::printf("| %d | %d | %.3g | %.2f | %.2f | %.2f | %.1f |\n", h, it, pm, m.wall, m.cpu, m.cpu / pm * 1e9,
                m.peak_mb);
    std::fflush(stdout);
    return true;
  };
  bool ok = true;
  for (int h : {1000, 10000, 100000, 1000000}) ok = row(h, fixed_iterations) && ok;
  for (int it : {100, 1000, 10000}) ok = row(fixed_households, it) && ok;
  return ok ? 0 : 1;
}

} // namespace

int main(int argc, char** argv) {
  CLI::App app{"socinvest end-to-end benchmark"};
  const std::string dir = std::string(SOCINVEST_SOURCE_DIR) + "/benchmarks/scenarios/";
  std::string file;
  std::string workloads = "both";
  int iterations = 0;
  bool skip_single = false;
  bool scale = false;
  int scale_iterations = 10, scale_households = 1000;
  std::vector<int> at;
  app.add_option("--scenario", file, "Scenario to run (instead of the workloads)");
  app.add_option("--workload", workloads, "reference, peer or both")
      ->check(CLI::IsMember({"reference", "peer", "both"}))
      ->capture_default_str();
  app.add_option("--iterations", iterations, "Iterations (default: the scenario's)");
  app.add_flag("--skip-single", skip_single, "Only the 2-thread runs");
  app.add_flag("--scaling", scale, "The scaling table (peer model unless --scenario) instead");
  app.add_option("--scaling-iterations", scale_iterations, "Iterations of the households axis")->capture_default_str();
  app.add_option("--scaling-households", scale_households, "Households of the iterations axis")->capture_default_str();
  app.add_option("--point", at, "One scaling point: households,iterations (the table's child process)")
      ->delimiter(',')
      ->expected(2);
  CLI11_PARSE(app, argc, argv);

  if (!at.empty()) return point(file.empty() ? dir + "hesim-model.yaml" : file, at[0], at[1]);
  if (scale) return scaling("/proc/self/exe", file.empty() ? dir + "hesim-model.yaml" : file, scale_iterations,
                            scale_households);
  if (!file.empty()) {
    workload(file, iterations, skip_single);
  } else {
    if (workloads != "peer") workload(dir + "reference-10k.yaml", iterations, skip_single);
    if (workloads != "reference") workload(dir + "hesim-model.yaml", iterations, skip_single);
  }
  rusage usage{};
  getrusage(RUSAGE_SELF, &usage);
  std::printf("peak memory (max resident set): %.1f MB\n", static_cast<double>(usage.ru_maxrss) / 1024.0);
  return 0;
}
