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
/// Under MPI (RunOptions::ranks) each rank keeps the share of the iterations it simulated,
/// and re-pricing is collective like the run: each rank re-prices its share, rank 0 gathers.
struct KeptSimulation {
  /// The most it may hold (on each rank, under MPI); a simulation that needs more is not
  /// kept (complete stays false; under MPI on every rank when on any).
  std::size_t limit_bytes = 0;
  const Scenario* scenario = nullptr; ///< the scenario simulated (it must outlive this)
  RunOptions options;  ///< those simulated (without progress and cancel; ranks as given)
  int first = 0;       ///< the first iteration kept: 0, or this rank's share's first
  std::vector<SimulatedIteration> iterations; ///< in iteration order, from `first`
  std::size_t bytes = 0;        ///< held (or, when not complete, needed as far as counted)
  bool complete = false;        ///< every iteration (of this rank's share) is kept
};

/// Runs the scenario. `scenario` must outlive the result (results point into it). With
/// `keep`, the simulation is also kept there, within keep->limit_bytes. With
/// RunOptions::ranks, collective: every rank calls it with the same scenario and options
/// (and each keeps its share); a failure on any rank is thrown on every rank
/// (distributed/ranks.hpp).
std::unique_ptr<Analysis> analyse(const Scenario& scenario, const RunOptions& options, Trace* trace = nullptr,
                                  KeptSimulation* keep = nullptr);

/// Whether scenarios `a` and `b` (two files, say) simulate the same, so that under the same
/// options every tally of `b` equals `a`'s and `b` may be priced from `a`'s kept
/// simulation: their simulation keys are equal (Scenario::simulation_key: the files but for
/// what only pricing reads), and so is what the simulation derives from prices (the
/// layout's cells, which reimbursement shares split into refusion steps, and the
/// departments with cases, which eligibility takes from cost lines with an amount).
bool same_simulation(const Scenario& a, const Scenario& b);

/// Whether runs under `a` and `b` simulate the same: the same iterations, seed, variants and
/// kernel, and the same parameter settings but for price-only parameters
/// (Scenario::price_only). Then the tallies of every iteration are the same.
bool same_simulation(const Scenario& scenario, const RunOptions& a, const RunOptions& b);

/// The analysis of `options` priced from `kept` instead of simulated again: the same
/// results, bit for bit, as analyse(scenario, options). `kept` must be complete,
/// same_simulation(scenario, kept.options, options) hold, and `scenario` be the one kept or
/// one that simulates the same (same_simulation above; else std::logic_error).
/// persons_simulated is 0 (nothing is simulated). With RunOptions::ranks (the same ranks as
/// the kept simulation's), collective: each rank re-prices its share, rank 0 gathers the
/// rows and alone has the results.
std::unique_ptr<Analysis> reprice(const Scenario& scenario, const RunOptions& options, const KeptSimulation& kept);

} // namespace socinvest
