#pragma once
// Sensitivity analysis on common random numbers: one-way (the tornado), two-way grids, and
// threshold analysis by bisection ("how well must this work for it to pay?"). Parameters
// are addressed by their key path in the scenario, e.g.
// variants.relational_welfare.interventions.cross_team.effects[0].hazard_ratio.
#include <socinvest/analysis.hpp>
#include <socinvest/statistics/summary.hpp>

#include <optional>
#include <string>
#include <vector>

namespace socinvest {

/// What is valued: one variant against the baseline, one account.
struct SweepTarget {
  int variant = 1;
  std::string account = "total";
};

struct Valuation {
  Stat npv;
  double p_break_even = 0.0; ///< share of iterations whose cumulative discounted net turns positive
  int iterations = 0;
};

/// Values the scenario under `options` (parameters fixed as given there).
Valuation value(const Scenario& scenario, const RunOptions& options, const SweepTarget& target);

/// Finds the Quantity with this key path; throws a usage Error with did-you-mean otherwise.
const Quantity& find_parameter(const Scenario& scenario, const std::string& path);

/// Throws a usage Error when `value` is not one the parameter may take where the scenario
/// uses it (the loader's range: a hazard ratio above 0, a probability in [0, 1], ...; never
/// nan or infinite). Grids and thresholds check every value before simulating any.
void check_sweep_value(const Quantity& parameter, double value);

struct TornadoRow {
  std::string path;
  std::string distribution;
  double low = 0.0, high = 0.0; ///< the values tried (5th and 95th percentile by default)
  Valuation at_low, at_high;
  double swing = 0.0; ///< |npv(high) - npv(low)|
};

struct Tornado {
  Valuation central; ///< every parameter at its median
  std::vector<TornadoRow> rows; ///< largest swing first
};

/// One-way sensitivity. `paths` empty: every uncertain parameter. `low_q`/`high_q`: the
/// quantiles tried. Everything else at its median; individual randomness as in a run.
Tornado tornado(const Scenario& scenario, const RunOptions& options, const SweepTarget& target,
                const std::vector<std::string>& paths = {}, double low_q = 0.05, double high_q = 0.95);

struct Grid {
  std::string path_x, path_y;
  std::vector<double> x, y;
  std::vector<std::vector<Valuation>> cells; ///< [ix][iy]
};

/// Two-way grid: every combination of the given values; other parameters as in `options`.
Grid grid(const Scenario& scenario, const RunOptions& options, const SweepTarget& target, const std::string& path_x,
          const std::vector<double>& x, const std::string& path_y, const std::vector<double>& y);

struct Threshold {
  std::string path;
  double target_probability = 0.8;
  bool found = false;
  double value = 0.0;          ///< the parameter value at which the target is first reached
  double lower = 0.0, upper = 0.0; ///< the final bisection bracket: the answer lies within
  double probability_at_value = 0.0;
  double probability_se = 0.0; ///< Monte Carlo standard error of that probability
  int evaluations = 0;
  std::string note;
};

/// The parameter value in [low, high] at which the probability of breaking even first
/// reaches `probability` (assumed monotone in the parameter; checked at the ends), found by
/// bisection on common random numbers until the bracket is narrower than `tolerance`.
Threshold threshold(const Scenario& scenario, const RunOptions& options, const SweepTarget& target,
                    const std::string& path, double low, double high, double probability, double tolerance);

} // namespace socinvest
