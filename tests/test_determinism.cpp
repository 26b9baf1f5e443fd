// Results are bit-identical for any number of threads, the same for the same seed, and
// different for a different seed.
#include "support.hpp"

#include <socinvest/report/tables.hpp>

#include <tbb/global_control.h>

#include <doctest/doctest.h>

namespace {

std::string all_outputs(const socinvest::Results& r) {
  return socinvest::money_csv(r) + socinvest::outcomes_csv(r) + socinvest::targets_csv(r) +
         socinvest::contracts_csv(r) + socinvest::flows_csv(r) + socinvest::per_iteration_csv(r);
}

std::string run_tutorial(int threads, std::uint64_t seed = 0) {
  static const auto s = socinvest::load_scenario(test::source_dir() + "/scenarios/tutorial.yaml");
  tbb::global_control allow(tbb::global_control::max_allowed_parallelism, static_cast<std::size_t>(threads));
  auto a = test::analyse(s, 6, threads, seed);
  return all_outputs(a->results);
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

TEST_CASE("the same seed gives the same results; another seed gives others") {
  const std::string a = run_tutorial(2, 99);
  CHECK(run_tutorial(2, 99) == a);
  CHECK(run_tutorial(2, 100) != a);
}
