#pragma once
// One variant of one iteration: every household, month by month, from the same starting
// population and on the same random numbers as every other variant.
#include <socinvest/interventions/enrolment.hpp>
#include <socinvest/model/layout.hpp>
#include <socinvest/model/transition_model.hpp>
#include <socinvest/montecarlo/tally.hpp>
#include <socinvest/population/population.hpp>

#include <atomic>
#include <string>
#include <vector>

namespace socinvest {

/// Monthly paths of a few households, for `--trace` (one CSV line per person and step).
struct Trace {
  int households = 0;                     ///< how many households to trace (the first ones)
  std::vector<std::string> lines;         ///< filled by simulate_variant, in household order
};

struct SimulationContext {
  const Scenario& scenario;
  const Layout& layout;
  const TransitionModel& model;
  const Population& population;          ///< the starting population of the iteration
  const std::vector<Enrolment>& enrolment; ///< per variant (index 0, the baseline, is empty)
  const Streams& streams;
  std::uint32_t iteration = 0;
  const std::atomic<bool>* cancel = nullptr;
};

/// Simulates variant `variant` (0 = baseline) and returns its tally. Households are spread
/// over the threads of the current task arena; the result does not depend on how.
Tally simulate_variant(const SimulationContext& context, int variant, Trace* trace = nullptr);

} // namespace socinvest
