#pragma once
// The simulated people: households of persons, stored as structure of arrays so the monthly
// step reads only what it needs. States are small integers (-1: not in the domain).
#include <socinvest/random/streams.hpp>
#include <socinvest/scenario/scenario.hpp>

#include <cstdint>
#include <string>
#include <vector>

namespace socinvest {

struct Population {
  int domains = 0;
  // Households: members are persons [first[h], first[h] + size[h]).
  std::vector<std::uint32_t> household_first;
  std::vector<std::uint16_t> household_size;
  // Persons.
  std::vector<std::uint8_t> role;        ///< Role::adult or Role::child
  std::vector<std::uint16_t> age_months; ///< age in whole months
  std::vector<std::int8_t> state;        ///< [person * domains + domain]; -1: not in the domain
  std::vector<std::uint16_t> months_in_state; ///< [person * domains + domain]
  /// The refusion clock at the start (ReimbursementRule::Clock), per person: months on
  /// public support since the count last started over (default: the months in the start
  /// state when it is a support state), and whether the award held at the start keeps the
  /// old refusion (legacy_state_share; until the person leaves that state).
  std::vector<std::uint16_t> refusion_months;
  std::vector<std::uint8_t> refusion_legacy;
  /// Attributes (Scenario::attributes): how many, and per person the category code of each,
  /// [person * attributes + a]; empty when the scenario has none (a household attribute is
  /// the same for every member). Set `attributes` before add_person.
  int attributes = 0;
  std::vector<std::uint8_t> attribute;
  /// Labels from a CSV extract (household id, person id); empty for synthetic populations.
  std::vector<std::string> household_label;
  std::vector<std::string> person_label;

  [[nodiscard]] int households() const { return static_cast<int>(household_first.size()); }
  [[nodiscard]] int persons() const { return static_cast<int>(role.size()); }
  /// Person p's category code of attribute a.
  [[nodiscard]] int attribute_of(std::size_t p, int a) const {
    return attribute[p * static_cast<std::size_t>(attributes) + static_cast<std::size_t>(a)];
  }
  void add_person(Role r, int age_in_months);
};

/// Weeks on public support to months of the refusion clock (52/12 weeks a month, to the
/// nearest whole month, at most 65535).
int refusion_months_of_weeks(double weeks);

/// Draws a synthetic population for one iteration from the scenario's distributions, on the
/// iteration's own population stream (the same for every variant).
Population synthesize_population(const Scenario& scenario, const Streams& streams, std::uint32_t iteration);

/// Reads the scenario's CSV extract (one row per person). Every bad row is reported as
/// `file:line: column: what is wrong`; throws InvalidInput if any.
Population read_population_csv(const Scenario& scenario);
/// The same from text (for tests and the fuzz target); `name` is used in messages.
Population read_population_csv_text(const Scenario& scenario, const std::string& text, const std::string& name);

/// The population of one iteration: the CSV extract when there is one, else synthetic.
/// `extract` is the already-read CSV population (or null).
Population population_for_iteration(const Scenario& scenario, const Population* extract, const Streams& streams,
                                    std::uint32_t iteration);

} // namespace socinvest
