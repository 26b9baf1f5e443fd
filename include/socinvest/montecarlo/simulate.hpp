#pragma once
// One variant of one iteration: every household, month by month, from the same starting
// population and on the same random numbers as every other variant.
#include <socinvest/interventions/enrolment.hpp>
#include <socinvest/model/layout.hpp>
#include <socinvest/model/transition_model.hpp>
#include <socinvest/montecarlo/tally.hpp>
#include <socinvest/population/population.hpp>

#include <atomic>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace socinvest {

/// Monthly paths of a few households, for `--trace` (one CSV line per person and step).
struct Trace {
  int households = 0;                     ///< how many households to trace (the first ones)
  std::vector<std::string> lines;         ///< filled by simulate_variant, in household order
};

/// How the months are stepped through. Both simulate the same model and give the same
/// distribution of results (tests/test_kernels.cpp); they use their random numbers
/// differently, so single runs differ by Monte Carlo noise.
///  * events (the default): each spell in a state has an exponential clock, drawn when it
///    starts, that runs down by the row's hazard every step; the state is left in the step
///    the clock runs out. A household is visited only in steps where something happens to
///    it (a move, a new duration band, a change in a linked member, an effect's weight,
///    ageing, a year end, a new 12-month clock window), and occupancy is counted as
///    differences at those steps. With the baseline's tally at hand, a variant simulates
///    only the households it enrols.
///  * monthly: the reference: every person, every step, one uniform draw per domain
///    against the row's cumulative thresholds.
enum class Kernel { events, monthly };

/// Each kernel's name, as the command line, the manifests and the batch keys spell it: one
/// table, so a new kernel cannot be parsed in one place and mislabelled in another.
inline constexpr std::pair<Kernel, std::string_view> kernel_names[] = {{Kernel::events, "events"},
                                                                      {Kernel::monthly, "monthly"}};

constexpr std::string_view kernel_name(Kernel kernel) {
  for (const auto& [k, name] : kernel_names)
    if (k == kernel) return name;
  return "?";
}

/// The kernel of that name; nullopt for a name that is none.
constexpr std::optional<Kernel> kernel_named(std::string_view name) {
  for (const auto& [k, n] : kernel_names)
    if (n == name) return k;
  return std::nullopt;
}

/// One indicator's value for every person at every measurement point, for a design that follows
/// the same persons (power's panel difference-in-differences); the kernels fill it where they
/// count the indicator (HouseholdRules::count_indicators), each person's own cells only.
struct PersonIndicators {
  int indicator = -1;
  int points = 0;
  /// [person * points + point]: 0 not in the indicator's base there (or not alive), 1 in it and
  /// not met, 2 met. Sized persons x points by the caller.
  std::vector<std::uint8_t> value;
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
  Kernel kernel = Kernel::events;
  PersonIndicators* person_indicators = nullptr; ///< null: only the tally
};

/// Simulates variant `variant` (0 = baseline) and returns its tally. Households are spread
/// over the threads of the current task arena; the result does not depend on how.
/// `baseline`: the baseline's tally of the same iteration, if already simulated; the event
/// kernel then simulates only the variant's participants (the result is the same).
Tally simulate_variant(const SimulationContext& context, int variant, Trace* trace = nullptr,
                       const Tally* baseline = nullptr);

} // namespace socinvest
