#include <socinvest/statistics/summary.hpp>

#include <algorithm>
#include <cmath>
#include <limits>

namespace socinvest {

double quantile_sorted(const std::vector<double>& sorted, double q) {
  if (sorted.empty()) return std::numeric_limits<double>::quiet_NaN();
  const double h = (static_cast<double>(sorted.size()) - 1.0) * q;
  const auto lo = static_cast<std::size_t>(std::floor(h));
  const std::size_t hi = std::min(lo + 1, sorted.size() - 1);
  if (std::isinf(sorted[lo]) || std::isinf(sorted[hi])) return h - static_cast<double>(lo) > 0.0 ? sorted[hi] : sorted[lo];
  return sorted[lo] + (h - static_cast<double>(lo)) * (sorted[hi] - sorted[lo]);
}

Stat summarize(std::vector<double> values) {
  std::erase_if(values, [](double v) { return std::isnan(v); });
  Stat s;
  s.n = static_cast<int>(values.size());
  if (values.empty()) {
    s.mean = s.se = s.sd = s.p5 = s.p50 = s.p95 = std::numeric_limits<double>::quiet_NaN();
    return s;
  }
  // Two-pass mean and variance, summed in iteration order (deterministic).
  double sum = 0.0;
  for (double v : values) sum += v;
  s.mean = sum / s.n;
  double ss = 0.0;
  for (double v : values) ss += (v - s.mean) * (v - s.mean);
  std::sort(values.begin(), values.end());
  s.p50 = quantile_sorted(values, 0.50);
  // One value says nothing about the spread: no standard error and no interval (NaN, shown
  // as n/a and written as an empty cell), rather than a zero that looks like certainty.
  if (s.n < 2) {
    s.sd = s.se = s.p5 = s.p95 = std::numeric_limits<double>::quiet_NaN();
    return s;
  }
  s.sd = std::sqrt(ss / (s.n - 1));
  s.se = s.sd / std::sqrt(static_cast<double>(s.n));
  s.p5 = quantile_sorted(values, 0.05);
  s.p95 = quantile_sorted(values, 0.95);
  return s;
}

} // namespace socinvest
