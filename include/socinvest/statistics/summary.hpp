#pragma once
// Summaries across Monte Carlo iterations: mean, its standard error, and percentiles.
// Percentiles use linear interpolation between order statistics (Hyndman & Fan type 7, the
// default of R and numpy), so they are reproducible by an analyst from the per-iteration
// results.
#include <vector>

namespace socinvest {

struct Stat {
  double mean = 0.0;
  double se = 0.0; ///< standard error of the mean: sd / sqrt(n)
  double sd = 0.0;
  double p5 = 0.0, p50 = 0.0, p95 = 0.0;
  int n = 0; ///< iterations with a value (NaN values are left out)
};

/// Summarises values; NaN entries are ignored (e.g. a return on no investment).
Stat summarize(std::vector<double> values);

/// The q-quantile (0..1) of sorted values, type 7.
double quantile_sorted(const std::vector<double>& sorted, double q);

} // namespace socinvest
