#pragma once
// Register panels: the state of every person in every period, as a municipality extracts it
// from its registers (the job centre's benefit histories, the DREAM-style weekly register of
// transfer payments, school absence records, residential-care stays), or as the engine
// simulates it from a scenario's model (`socinvest panel`). Three forms, all CSV with a
// header row (lines before the header that start with '#' are comments):
//  * long:   one row per person and period:
//            person_id, household_id, period, age_months, then one column per domain (its state
//            in that period, empty: in none of its states);
//  * wide:   the DREAM-like form, one row per person and domain:
//            person_id, household_id, age_months (at the panel's first period), domain, then one
//            column per period (named by the period) holding the state;
//  * spells: one row per spell: person_id, household_id, age_months (at the panel's first
//            period), domain, state, from, to (the first and the last period of the spell, both
//            included).
// household_id and age_months may be left out. Optionally, one column per attribute of the
// scenario (named after it, `attributes:`) and `household_type` (household_type_names): a
// person's value, the same in every row of the person (`socinvest panel --attributes` writes
// them; calibrate --by reads them). Optionally, the months a person had already
// spent in a state where the record shows it first (a register's spell start): in the long form
// a column `<domain>_months` beside each domain (read where a spell's start is not seen: in the
// person's first row, or after a gap), in the wide form `months_in_state` (at the first period),
// in the spell form `months_in_state` (at `from`). A spell with it is counted from the panel's
// start at its true duration (delayed entry); without it, it is left-censored. Periods are months (YYYY-MM) or ISO weeks
// (YYYY-Www), one kind in a file. Weeks are turned into months by the convention the refusion
// clock uses for weeks on support (population.hpp, refusion_months_of_weeks: 52/12 weeks a
// month, to the nearest whole month, counted from the panel's first week); a month's state is
// the state in its first week.
#include <socinvest/montecarlo/runner.hpp>
#include <socinvest/scenario/scenario.hpp>

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace socinvest {

enum class PanelForm : std::uint8_t { long_form, wide, spells };

/// The household types of a panel (`household_type`), by the household's adults (18 and over)
/// and children at the panel's first period: the engine's own four categories (GUESS: the split
/// a job centre's caseworkers use; Danmarks Statistik's familietype is finer and is not derived
/// here). `calibrate --by household_type` derives them from household ids and ages when the
/// panel has no such column.
inline constexpr std::string_view household_type_names[] = {"single_no_children", "single_with_children",
                                                            "couple_no_children", "couple_with_children"};
std::string_view household_type_of(int adults, int children);

/// Each form's name, as the command line spells it.
inline constexpr std::pair<PanelForm, std::string_view> panel_form_names[] = {
    {PanelForm::long_form, "long"}, {PanelForm::wide, "wide"}, {PanelForm::spells, "spells"}};
std::string_view panel_form_name(PanelForm form);
std::optional<PanelForm> panel_form_named(std::string_view name);

/// A panel in months: persons x months x domains.
struct Panel {
  struct Person {
    std::string id, household;
    int age_months_at_start = -1; ///< at month 0 (from the data; -1: not given)
  };
  std::vector<int> domains; ///< the scenario's index of each panel domain
  YearMonth start;          ///< month 0 (for a weekly panel: the month of its first week)
  std::string first_period, last_period; ///< as the source wrote them
  int months = 0;
  bool weekly = false;      ///< the source's periods were weeks
  std::vector<Person> persons;
  /// [(person * months + month) * domains.size() + k]: the state in panel domain k, -1 none.
  std::vector<std::int8_t> state;
  /// [person * months + month]: 1 when the person has a record for the month.
  std::vector<std::uint8_t> observed;
  int persons_with_gaps = 0, missing_periods = 0;
  /// Months already in the state (same index as `state`; -1: not known): every cell of a
  /// simulated panel, as the simulation had them; for a panel read from a file, where the file
  /// gives them (empty: nowhere).
  std::vector<int> months_in_state;
  /// Attribute columns (a scenario attribute's id, or household_type) and each person's value
  /// ([person * attributes.size() + a]; "" where a row left it empty).
  std::vector<std::string> attributes;
  std::vector<std::string> attribute_values;
  [[nodiscard]] const std::string& attribute_value(int person, std::size_t a) const {
    return attribute_values[static_cast<std::size_t>(person) * attributes.size() + a];
  }

  [[nodiscard]] std::size_t index(int person, int month, int k) const {
    return (static_cast<std::size_t>(person) * months + month) * domains.size() + k;
  }
  [[nodiscard]] int state_at(int person, int month, int k) const { return state[index(person, month, k)]; }
  [[nodiscard]] bool is_observed(int person, int month) const {
    return observed[static_cast<std::size_t>(person) * months + month] != 0;
  }
};

struct PanelRequest {
  int persons = 0;   ///< at least this many: the first households that hold them
  int months = 0;    ///< periods, from run.start
  int variant = 0;   ///< 0: the baseline
  RunOptions run;    ///< seed, threads, kernel, parameters (--central), cancel
};

/// Simulates the registers of the scenario's model: iteration 1 of a run (its parameter draws;
/// --central for the medians), through the run's own trace of monthly paths, so no new
/// kernel is involved. A synthetic population is drawn with `persons` households (enough for
/// the persons asked); a CSV population gives what it has. Needs `run.cycle: month`.
Panel simulate_panel(const Scenario& scenario, const PanelRequest& request);

/// The panel as CSV in `form`; `comment` (may be empty) becomes '#' lines before the header.
/// `durations`: also the months already in the state (the optional columns above);
/// `attributes`: also the attribute columns the panel has.
std::string panel_csv(const Scenario& scenario, const Panel& panel, PanelForm form, const std::string& comment,
                      bool durations = false, bool attributes = false);

/// Which form a CSV header is in (by its columns), nullopt when it is none of them.
std::optional<PanelForm> detect_panel_form(std::string_view text);

/// Reads a panel; the domains and states are the scenario's. Every problem (unknown column,
/// domain or state, a bad period, two rows for one person and period, periods out of order,
/// overlapping spells, a spell that ends before it starts, gaps unless `allow_gaps`) is
/// reported as `file:line:column: key: what is wrong (allowed)`; throws InvalidInput.
Panel read_panel(const Scenario& scenario, PanelForm form, std::string_view text, const std::string& name,
                 bool allow_gaps = false);

} // namespace socinvest
