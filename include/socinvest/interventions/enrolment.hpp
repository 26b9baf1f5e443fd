#pragma once
// Who gets the intervention, and when. Eligibility is evaluated on the starting population;
// each eligible household consents with the uptake probability; consenting households queue
// in a random order (the random draw from the registers) and are enrolled as staff capacity
// frees up, at most `intake_per_month` a month, for `stay_months` or until the project ends.
// All draws are keyed by (iteration, household, intervention name), so every variant that
// runs the same intervention enrols the same households in the same order.
#include <socinvest/model/transition_model.hpp>
#include <socinvest/population/population.hpp>
#include <socinvest/random/streams.hpp>

#include <vector>

namespace socinvest {

struct EnrolmentCounts {
  // Per month of the horizon.
  std::vector<int> enrolled_households, new_households;
  std::vector<int> enrolled_adults, enrolled_children, new_adults, new_children;
};

struct Enrolment {
  int households = 0;
  /// [intervention * households + h]: enrolment months [start, end); start -1 when never.
  std::vector<int> start, end;
  std::vector<std::uint8_t> participant; ///< [h]: enrolled in any intervention
  std::vector<EnrolmentCounts> counts;   ///< per intervention
  std::vector<int> eligible_households;  ///< per intervention
  std::vector<int> consenting_households;
  int eligible_any = 0;   ///< households eligible for at least one intervention
  int consenting_any = 0; ///< households that consented to at least one

  [[nodiscard]] int participants() const;
};

/// Departments with an open case in a state: those charged a positive monthly cost for it.
/// [domain][state] -> bit set of departments.
std::vector<std::vector<std::uint64_t>> case_departments(const Scenario& scenario);

bool is_eligible(const EligibilityRule& rule, const Population& population, int household,
                 const std::vector<std::vector<std::uint64_t>>& cases);

/// The month each household leaves the population (moves away, or its last member dies),
/// or INT_MAX when it stays beyond `months`. Computed from the same keyed random numbers
/// the simulation uses, so it is exactly when the simulation will lose the household.
std::vector<int> household_exit_months(const TransitionModel& model, const Population& population,
                                       const Streams& streams, std::uint32_t iteration, int months, int cycle_months);

/// Enrols households; `exit_month` (from household_exit_months) keeps households that have
/// left from being enrolled, and frees their place when they leave while enrolled.
Enrolment schedule_enrolment(const Scenario& scenario, const ModelVariant& variant, const Population& population,
                             const Streams& streams, std::uint32_t iteration, const std::vector<int>& exit_month);

/// The last month any intervention of any variant can enrol or hold a household.
int enrolment_horizon(const TransitionModel& model, int horizon_months);

} // namespace socinvest
