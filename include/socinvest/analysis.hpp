#pragma once
// One analysis, end to end: simulate (montecarlo/), price each iteration as it finishes
// (ledger/pricing), then summarise across iterations (ledger/results). The entry point for
// the command line, compare, sweeps and batches.
#include <socinvest/ledger/results.hpp>
#include <socinvest/montecarlo/runner.hpp>

#include <memory>

namespace socinvest {

struct Analysis {
  PricingPlan pricing;
  RunPlan plan;
  /// Per iteration, in iteration order; only with RunOptions::keep_books (it grows with the
  /// iterations; the results themselves do not need it).
  std::vector<IterationBook> books;
  /// Per iteration: a hash of the baseline's costs, so that compare can check that several
  /// files share one baseline.
  std::vector<std::uint64_t> baseline_fingerprint;
  /// Persons simulated, summed over iterations and simulated variants (x steps x months per
  /// step = the person-months simulated).
  std::int64_t persons_simulated = 0;
  bool rows_on_disk = false; ///< the per-iteration rows went to a temporary file
  /// False on the ranks of an MPI job other than 0 (RunOptions::ranks): they computed their
  /// share and sent it to rank 0, which alone has the results (and the fields above).
  bool results_here = true;
  Results results;
  double seconds = 0.0;
};

/// Runs the scenario. `scenario` must outlive the result (results point into it). With
/// RunOptions::ranks, collective: every rank calls it with the same scenario and options;
/// a failure on any rank is thrown on every rank (distributed/ranks.hpp).
std::unique_ptr<Analysis> analyse(const Scenario& scenario, const RunOptions& options, Trace* trace = nullptr);

} // namespace socinvest
