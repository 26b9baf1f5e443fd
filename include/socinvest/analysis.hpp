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

/// A run's simulation kept to be priced again (simulate, then price): per iteration what
/// pricing reads of it (SimulatedIteration), and the options it was simulated under.
struct KeptSimulation {
  /// The most it may hold; a simulation that needs more is not kept (complete stays false).
  std::size_t limit_bytes = 0;
  RunOptions options;  ///< those simulated (without progress and cancel)
  std::vector<SimulatedIteration> iterations; ///< in iteration order
  std::size_t bytes = 0;        ///< held (or, when not complete, needed as far as counted)
  bool complete = false;        ///< every iteration is kept
};

/// Runs the scenario. `scenario` must outlive the result (results point into it). With
/// `keep`, the simulation is also kept there, within keep->limit_bytes (one process only).
/// With RunOptions::ranks, collective: every rank calls it with the same scenario and options;
/// a failure on any rank is thrown on every rank (distributed/ranks.hpp).
std::unique_ptr<Analysis> analyse(const Scenario& scenario, const RunOptions& options, Trace* trace = nullptr,
                                  KeptSimulation* keep = nullptr);

/// Whether runs under `a` and `b` simulate the same: the same iterations, seed, variants and
/// kernel, and the same parameter settings but for price-only parameters
/// (Scenario::price_only). Then the tallies of every iteration are the same.
bool same_simulation(const Scenario& scenario, const RunOptions& a, const RunOptions& b);

/// The analysis of `options` priced from `kept` instead of simulated again: the same
/// results, bit for bit, as analyse(scenario, options). `kept` must be complete and
/// same_simulation(scenario, kept.options, options) hold (else std::logic_error).
/// persons_simulated is 0 (nothing is simulated).
std::unique_ptr<Analysis> reprice(const Scenario& scenario, const RunOptions& options, const KeptSimulation& kept);

} // namespace socinvest
