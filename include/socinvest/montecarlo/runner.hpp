#pragma once
// The Monte Carlo runner: the outer loop over iterations (parameter uncertainty), each
// simulating the baseline and every selected variant on the same population and random
// numbers. Iterations run in parallel (oneTBB), and so do households within an iteration.
// Nothing grows with iterations x persons x months: each finished iteration is handed to a
// consumer (normally the ledger, which prices it) and its tallies are dropped.
#include <socinvest/interventions/enrolment.hpp>
#include <socinvest/ledger/budget_years.hpp>
#include <socinvest/model/layout.hpp>
#include <socinvest/model/parameters.hpp>
#include <socinvest/montecarlo/simulate.hpp>
#include <socinvest/montecarlo/tally.hpp>
#include <socinvest/scenario/scenario.hpp>

#include <atomic>
#include <functional>
#include <vector>

namespace socinvest {

class Ranks; // distributed/ranks.hpp

struct RunOptions {
  int iterations = 0;      ///< 0: the scenario's
  std::uint64_t seed = 0;  ///< used when has_seed
  bool has_seed = false;
  int threads = 0;         ///< 0: all cores
  std::vector<int> variants; ///< variant indices to run besides the baseline; empty: all
  ParameterSettings parameters;
  Kernel kernel = Kernel::events; ///< how months are stepped through (simulate.hpp)
  bool keep_books = false;        ///< keep every iteration's book in the Analysis (analysis.hpp)
  /// The budget year of the budget-period table; 0: the scenario's (ledger/budget_years.hpp).
  int budget_year = 0;
  /// Whether the reports show that table in current prices (needs run.price_projection).
  bool current_prices = false;
  /// Book the neutralised share of transfers to the state; the scenario's
  /// run.neutralise_transfers turns it on too (it cannot be turned off from here).
  bool neutralise_transfers = false;
  /// Memory for the per-iteration rows the results are summarised from; beyond it they go
  /// to a temporary file (statistics/column_store.hpp).
  std::size_t rows_memory_bytes = std::size_t{64} << 20;
  const std::atomic<bool>* cancel = nullptr;
  /// The ranks of an MPI job sharing the iterations (distributed/ranks.hpp); null: this
  /// process runs them all. run_monte_carlo runs only this rank's share; analyse gathers.
  Ranks* ranks = nullptr;
  /// Called after each finished iteration with (done, total); from worker threads. Under
  /// several ranks, total is this rank's share.
  std::function<void(int, int)> progress;
};

/// Everything one iteration produced, for the consumer to price.
struct IterationData {
  std::uint32_t iteration = 0;
  const Scenario* scenario = nullptr;
  const Layout* layout = nullptr;
  const ParameterSampler* parameters = nullptr; ///< the iteration's draws (for unit costs)
  const Population* population = nullptr;
  const TransitionModel* model = nullptr;
  std::vector<int> variants;          ///< which variants were simulated (0 first)
  std::vector<Tally> tallies;         ///< per simulated variant, same order
  std::vector<Enrolment> enrolment;   ///< per scenario variant (empty when not simulated)
};

/// The effective settings after options override the scenario.
struct RunPlan {
  int iterations = 0;
  std::uint64_t seed = 0;
  int threads = 1;
  std::vector<int> variants; ///< 0 first
  int budget_year = 0;       ///< of the budget-period table (budget_year_for)
  bool neutralise_transfers = false; ///< the option or the scenario's run.neutralise_transfers
  BudgetPrices budget_prices = BudgetPrices::fixed; ///< the level the reports show the budget table at
};
RunPlan plan_run(const Scenario& scenario, const RunOptions& options);

/// Runs every iteration (of this rank's share, with RunOptions::ranks); `consume` is called once per iteration, possibly concurrently for
/// different iterations. Throws Cancelled when the cancel flag was raised.
/// `trace`, when given, receives the traced households' paths (iteration 0).
void run_monte_carlo(const Scenario& scenario, const RunOptions& options,
                     const std::function<void(const IterationData&)>& consume, Trace* trace = nullptr);

} // namespace socinvest
