#pragma once
// Bisection on a monotone yes/no question: the one search of the engine, used by the
// threshold analysis (decision/sweep.cpp: the value at which the probability of breaking
// even reaches a target) and by the solve of success-rate effects
// (montecarlo/success_rate.cpp: the hazard ratio that gives a difference in an indicator).
#include <cmath>

namespace socinvest {

/// Narrows the bracket [bad, good] (either order), in which `reached(good)` holds and
/// `reached(bad)` does not, by halving it until it is no wider than `tolerance` or after
/// `max_steps` halvings: each step asks reached(mid) once and moves the end it answers for.
/// On return the answer lies between bad and good, and reached(good) holds.
template <class Reached> void bisect(double& bad, double& good, double tolerance, int max_steps, Reached&& reached) {
  for (int step = 0; step < max_steps && std::abs(good - bad) > tolerance; ++step) {
    const double mid = 0.5 * (bad + good);
    (reached(mid) ? good : bad) = mid;
  }
}

} // namespace socinvest
