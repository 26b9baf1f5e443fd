#pragma once
// Net success rates (scenarios/README.md § 13.6): an effect given as the difference in an
// indicator at a project-year end among the variant's participants, against the same
// households without the project, is turned into a hazard ratio per iteration. The ratio
// on the effect's `via` transitions is found by bisection (statistics/bisection.hpp) on
// the iteration's own population and random numbers (common random numbers): each step
// simulates the variant once with the ratio set, and compares the participants' share in
// the indicator with their share on the baseline's paths, already simulated. The solve
// happens before the variant's normal run and only sets the effects' values: the kernels
// are not touched.
//
// Cost: per success-rate effect 2 + ceil(log2(ln(hr_max / hr_min) / tolerance)) = 16
// simulations of the variant (of its participants only with the event kernel, which
// reuses the baseline's tally for everybody else), per iteration; with several such
// effects in one variant, up to max_passes rounds of them (each solved given the others).
#include <socinvest/montecarlo/simulate.hpp>

#include <string>

namespace socinvest {

/// The bracket of the search, in hazard ratios, and its width at the end (in log ratio).
inline constexpr double success_rate_hr_min = 0.01, success_rate_hr_max = 100.0;
inline constexpr double success_rate_log_tolerance = 1e-3;
inline constexpr int success_rate_max_passes = 4;

/// What solving a variant's success rates cost in one iteration.
struct SuccessRateSolve {
  int simulations = 0; ///< simulations of the variant made by the search
};

/// Solves the success-rate effects of `variant` (ModelVariant::success_rates) in `model` for
/// the iteration of `context` (whose model must be `model`), given the baseline's tally of
/// that iteration: sets each one's hazard_ratio, and the value of its effects to it. A
/// success rate among no participant (nobody measured at its month) gets ratio 1 and a
/// hazard_ratio of NaN (reported as no value). Throws an invalid-scenario Error naming the
/// effect (file:line:column and key path) and the reachable range when the difference
/// cannot be reached with a ratio from success_rate_hr_min to success_rate_hr_max.
/// Deterministic for the iteration, whatever the thread count.
/// The `via` transitions of a success-rate effect as the scenario writes them,
/// "domain.from->to, ..." (for messages and reports).
std::string success_rate_via(const Scenario& scenario, const SuccessRate& success_rate);

SuccessRateSolve solve_success_rates(const SimulationContext& context, TransitionModel& model, int variant,
                                     const Tally& baseline);

} // namespace socinvest
