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
  std::vector<IterationBook> books; ///< per iteration, in iteration order
  Results results;
  double seconds = 0.0;
};

/// Runs the scenario. `scenario` must outlive the result (results point into it).
std::unique_ptr<Analysis> analyse(const Scenario& scenario, const RunOptions& options, Trace* trace = nullptr);

} // namespace socinvest
