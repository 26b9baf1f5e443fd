#pragma once
// Discounting to present value. Timing convention: an amount booked in month m (0-based from
// the scenario's start month) is discounted from the middle of that month, t = (m + 0.5)/12
// years, to the start of the scenario. With a schedule of yearly rates r_i from year a_i on,
// the factor is prod_i (1 + r_i)^-(time spent in segment i before t): annual compounding
// within each segment, continuous across its boundary. All amounts are in fixed prices of
// the scenario's price year (real terms), as the Danish central-government rate assumes.
#include <socinvest/scenario/scenario.hpp>

#include <vector>

namespace socinvest {

/// Discount factor at time t (years after the start).
double discount_factor(const std::vector<DiscountSegment>& schedule, double years);

/// Factors for months 0..months-1 at their middles.
std::vector<double> monthly_discount_factors(const RunSettings& run);

} // namespace socinvest
