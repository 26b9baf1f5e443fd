#pragma once
// Helpers shared by the tests: run a scenario written inline, read per-step occupancy, and a
// temporary folder of the test's own.
#include <socinvest/analysis.hpp>
#include <socinvest/errors.hpp>
#include <socinvest/scenario/loader.hpp>

#include <doctest/doctest.h>

#include <stdlib.h> // mkdtemp (POSIX)
#include <filesystem>
#include <fstream>
#include <iterator>
#include <stdexcept>
#include <string>
#include <system_error>
#include <vector>

namespace test {

inline std::string source_dir() { return SOCINVEST_SOURCE_DIR; }

/// A new, empty folder under the system's temporary folder with a unique name (mkdtemp), so
/// tests running at the same time (in one ctest run or several) never share one; removed
/// with everything in it when the object goes.
class TempDir {
public:
  TempDir() {
    std::string name = (std::filesystem::temp_directory_path() / "socinvest-test-XXXXXX").string();
    if (::mkdtemp(name.data()) == nullptr) throw std::runtime_error("mkdtemp failed in " + name);
    path = name;
  }
  ~TempDir() {
    std::error_code ec;
    std::filesystem::remove_all(path, ec);
  }
  TempDir(const TempDir&) = delete;
  TempDir& operator=(const TempDir&) = delete;

  std::filesystem::path path;
};

/// The staircase share of a benefit month (80/40/30/20 % for weeks 1-4, 5-26, 27-52, 53+;
/// LBK 221/2021 § 5), integrated finely over the month's 52/12 weeks: a hand calculation
/// independent of ReimbursementRule::share_for_month.
inline double staircase_share(int month) {
  double total = 0.0;
  const int sub = 200000;
  for (int k = 0; k < sub; ++k) {
    const double week = (month + (k + 0.5) / sub) * 52.0 / 12.0;
    total += week < 4 ? 0.8 : week < 26 ? 0.4 : week < 52 ? 0.3 : 0.2;
  }
  return total / sub;
}

/// The index of account `id` (a department, level:..., public_sector or total) in results.
inline int account(const socinvest::Results& r, const std::string& id) {
  for (int a = 0; a < r.accounts.size(); ++a)
    if (r.accounts.id[a] == id) return a;
  throw std::runtime_error("the results have no account " + id);
}

inline socinvest::Scenario scenario(const std::string& yaml, const std::string& name = "test.yaml") {
  return socinvest::load_scenario_text(yaml, name, source_dir() + "/tests/fixtures");
}

/// The loader's message for `yaml` (InvalidInput), or empty when it loads.
inline std::string errors_of(const std::string& yaml) {
  try {
    (void)scenario(yaml);
  } catch (const socinvest::InvalidInput& e) {
    return e.what();
  }
  return {};
}

/// The bytes of a file (empty when it cannot be read).
inline std::string file_text(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  return std::string(std::istreambuf_iterator<char>(in), {});
}

/// `yaml` with the first `from` replaced by `to`; the test stops when `from` is not there.
inline std::string replaced(std::string yaml, const std::string& from, const std::string& to) {
  const auto at = yaml.find(from);
  REQUIRE(at != std::string::npos);
  return yaml.replace(at, from.size(), to);
}

inline std::unique_ptr<socinvest::Analysis> analyse(const socinvest::Scenario& s, int iterations, int threads = 2,
                                                    std::uint64_t seed = 0) {
  socinvest::RunOptions o;
  o.iterations = iterations;
  o.threads = threads;
  o.keep_books = true;
  if (seed) {
    o.seed = seed;
    o.has_seed = true;
  }
  return socinvest::analyse(s, o);
}

/// Per iteration and step: share of persons in domain d who are in each state, and the
/// persons counted.
struct Occupancy {
  // [iteration][step][state]
  std::vector<std::vector<std::vector<double>>> count;
};

inline Occupancy occupancy(const socinvest::Scenario& s, int domain, int iterations, int variant = 0, int threads = 2,
                           socinvest::Kernel kernel = socinvest::Kernel::events) {
  using namespace socinvest;
  RunOptions o;
  o.iterations = iterations;
  o.threads = threads;
  o.kernel = kernel;
  Occupancy occ;
  occ.count.resize(iterations);
  run_monte_carlo(s, o, [&](const IterationData& data) {
    const Layout& L = *data.layout;
    std::size_t vi = 0;
    while (data.variants[vi] != variant) ++vi;
    const Tally& t = data.tallies[vi];
    auto& out = occ.count[data.iteration];
    out.assign(L.steps, std::vector<double>(L.states[domain], 0.0));
    for (int step = 0; step < L.steps; ++step)
      for (int c = 0; c < L.cells; ++c)
        if (L.cell_domain[c] == domain) out[step][L.cell_state[c]] += t.occupied(0, step, c);
  });
  return occ;
}

} // namespace test
