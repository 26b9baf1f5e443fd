#include <socinvest/ledger/discounting.hpp>

#include <cmath>

namespace socinvest {

double discount_factor(const std::vector<DiscountSegment>& schedule, double t) {
  double log_factor = 0.0;
  for (std::size_t i = 0; i < schedule.size(); ++i) {
    double a = schedule[i].from_year;
    double b = i + 1 < schedule.size() ? schedule[i + 1].from_year : INFINITY;
    if (t <= a) break;
    double span = std::min(t, b) - a;
    log_factor -= span * std::log1p(schedule[i].rate);
  }
  return std::exp(log_factor);
}

std::vector<double> monthly_discount_factors(const RunSettings& run) {
  std::vector<double> f(static_cast<std::size_t>(run.horizon_months()));
  for (std::size_t m = 0; m < f.size(); ++m) f[m] = discount_factor(run.discount, (static_cast<double>(m) + 0.5) / 12.0);
  return f;
}

} // namespace socinvest
