#include <socinvest/montecarlo/success_rate.hpp>

#include <socinvest/errors.hpp>
#include <socinvest/statistics/bisection.hpp>

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <limits>
#include <string>

namespace socinvest {

namespace {

std::string percentage_points(double share) {
  char buf[64];
  std::snprintf(buf, sizeof buf, "%+.4g percentage points", 100.0 * share);
  return buf;
}

void set_ratio(TransitionModel& model, int variant, const ModelSuccessRate& sr, double ratio) {
  for (int e : sr.effects) model.variants[variant].effects[e].value = ratio;
}

} // namespace

std::string success_rate_via(const Scenario& s, const SuccessRate& sr) {
  std::string out;
  for (const auto& m : sr.via) {
    const Domain& d = s.domains[static_cast<std::size_t>(m.domain)];
    out += (out.empty() ? "" : ", ") + d.id + "." + d.states[static_cast<std::size_t>(m.from)] + "->" +
           d.states[static_cast<std::size_t>(m.to)];
  }
  return out;
}

SuccessRateSolve solve_success_rates(const SimulationContext& context, TransitionModel& model, int variant,
                                     const Tally& baseline) {
  SuccessRateSolve cost;
  auto& rates = model.variants[variant].success_rates;
  if (rates.empty()) return cost;
  const Scenario& s = context.scenario;
  // The participants' difference, variant minus baseline, at the success rate's point.
  auto difference = [&](const ModelSuccessRate& sr) {
    ++cost.simulations;
    const Tally t = simulate_variant(context, variant, nullptr, &baseline);
    return t.indicator_share(variant, sr.point, sr.indicator) - baseline.indicator_share(variant, sr.point, sr.indicator);
  };
  const double lo = std::log(success_rate_hr_min), hi = std::log(success_rate_hr_max);
  for (int pass = 0; pass < success_rate_max_passes; ++pass) {
    double moved = 0.0;
    for (auto& sr : rates) {
      if (context.cancel && context.cancel->load()) throw Cancelled();
      const SuccessRate& spec = *sr.effect->success_rate;
      if (!(baseline.indicator_base[baseline.indicator_index(variant, sr.point, sr.indicator)] > 0)) {
        set_ratio(model, variant, sr, 1.0); // nobody measured: nothing to solve for
        sr.hazard_ratio = std::numeric_limits<double>::quiet_NaN();
        continue;
      }
      set_ratio(model, variant, sr, std::exp(lo));
      const double at_lo = difference(sr);
      set_ratio(model, variant, sr, std::exp(hi));
      const double at_hi = difference(sr);
      const double least = std::min(at_lo, at_hi), most = std::max(at_lo, at_hi);
      if (!(sr.difference >= least && sr.difference <= most)) {
        const Indicator& ind = s.indicators[sr.indicator];
        char range[64];
        std::snprintf(range, sizeof range, "%g to %g", success_rate_hr_min, success_rate_hr_max);
        throw Error(ExitCode::invalid_scenario,
                    spec.where + ": " + spec.name + ": a difference of " + percentage_points(sr.difference) + " in '" +
                        ind.id + "' at month " + std::to_string(spec.at_month) +
                        " among participants cannot be reached with a hazard ratio from " + range + " on " +
                        success_rate_via(s, spec) + ": in iteration " + std::to_string(context.iteration + 1) +
                        " the reachable range is " + percentage_points(least) + " to " + percentage_points(most) +
                        " (the difference drawn for this iteration; allowed: a difference within that range)");
      }
      // Oriented so that the "good" end reaches the target: the difference rises with the
      // ratio when at_hi >= at_lo.
      const bool rising = at_hi >= at_lo;
      double bad = rising ? lo : hi, good = rising ? hi : lo;
      constexpr int max_steps = 60;
      bisect(bad, good, success_rate_log_tolerance, max_steps, [&](double x) {
        set_ratio(model, variant, sr, std::exp(x));
        const double d = difference(sr);
        return rising ? d >= sr.difference : d <= sr.difference;
      });
      const double ratio = std::exp(0.5 * (bad + good));
      if (std::isfinite(sr.hazard_ratio)) moved = std::max(moved, std::abs(std::log(ratio) - std::log(sr.hazard_ratio)));
      else moved = std::numeric_limits<double>::infinity();
      sr.hazard_ratio = ratio;
      set_ratio(model, variant, sr, ratio);
    }
    // One success rate needs one pass; several are solved each given the others until
    // none moves by more than the tolerance.
    if (rates.size() == 1 || moved <= 2.0 * success_rate_log_tolerance) break;
  }
  return cost;
}

} // namespace socinvest
