#pragma once
// `socinvest calibrate`: transition rates from a register panel (evidence/panel.hpp). Per
// state of every domain in the panel: duration bands (given, or chosen from the data where the
// exit rate changes), the observed counts of staying and of each exit per band as a Dirichlet
// row (so the run's parameter uncertainty is the data's own), a Kaplan-Meier exit curve with
// censoring, and from the panel's last period the start-state distribution and the months
// already in each state. Written as a fragment a scenario includes as is (calibrated.yaml) and
// a fit report (calibration.html). Only aggregated counts leave this module.
//
// What is counted. A person in state s of a domain in month t, whose spell began in a month
// the panel shows (the month before, the person was observed in another state or in none), has
// d = t - (first month of the spell) months in s: the months already in the state, as
// `months_in_state` bands count them. If the person is observed in month t + 1, the month is a
// person-month at risk in the band of d: a stay when the state is still s, an exit to s' when
// it is another state s' of the domain. Not in any state of the domain in t + 1 (left it by
// age, died, moved, or no record) censors the spell, and month t is not counted. A spell
// already under way in the person's first observed month (left-censored: its length is not
// known) is left out of the bands and the curve, and reported.
#include <socinvest/evidence/panel.hpp>
#include <socinvest/report/format.hpp>
#include <socinvest/scenario/scenario.hpp>

#include <string>
#include <vector>

namespace socinvest {

struct CalibrationOptions {
  /// Band starts in months already in the state, from 0 (e.g. {0, 6, 12, 24}: [0,6), [6,12),
  /// [12,24), [24, no end)); empty: chosen from the data.
  std::vector<int> band_starts;
  /// Chosen bands hold at least this many exits each; a band with fewer is warned about.
  int min_count = 20;
  int max_bands = 6;
  /// Rows by group (--by): empty none; "age_group" (the person's age in the month at risk, in
  /// the bands of age_group_starts); "household_type" (the panel's column, or derived from
  /// household ids and ages: household_type_of); or an attribute column of the panel.
  std::string by;
  /// Age-group starts in years above 0: {30, 50} gives [0, 30), [30, 50), [50, no end).
  std::vector<int> age_group_starts = {30, 50};
  /// A domain's links at most (Domain links, scenarios/README.md 8.4): splits beyond are pooled.
  int max_links = 6;
};

/// The counts of one duration band of one state.
struct BandCounts {
  int from = 0, to = -1;                  ///< months already in the state: [from, to); to -1: no end
  long long stays = 0;
  std::vector<long long> exits;           ///< per state of the domain (its own entry is 0)
  int first_month = -1, last_month = -1;  ///< panel months with a person-month at risk in the band
  [[nodiscard]] long long exit_total() const;
  [[nodiscard]] long long exposure() const { return stays + exit_total(); }
};

/// A state's rows by group (CalibrationOptions::by): the counts per group in the state's bands,
/// and the hazard ratio of each exit of every group against the reference group (the one with
/// the most person-months at risk), proportional over the bands: for destination j,
/// HR = sum_b n_gb lambda_gbj / sum_b n_gb lambda_rbj (the group's own hazards against the
/// reference's at the group's exposure; lambda the competing-risks hazard of the row, as the
/// model turns rows into hazards), with a 90 % interval from se(log HR) = sqrt(1/e_g + 1/e_r)
/// (Poisson counts of exits). Whether the data support the split: twice the log-likelihood gain
/// of the split rows over the pooled rows against (parameters) x ln(person-months) (the Bayesian
/// information criterion), and every group at least min_count exits.
struct GroupRatio {
  int to = 0;                       ///< destination state
  long long exits = 0;              ///< the group's exits to it
  double hazard_ratio = 1, lo = 1, hi = 1;
};
struct StateSplit {
  enum class Verdict : std::uint8_t { none, split, pooled_bic, pooled_thin, pooled_links };
  Verdict verdict = Verdict::none;
  int reference = -1; ///< group index (Calibration::groups)
  std::vector<std::vector<BandCounts>> bands;       ///< [group][band of the state]
  std::vector<std::vector<GroupRatio>> ratios;      ///< [group] (the reference's empty)
  double gain = 0, penalty = 0;                     ///< 2 x log-likelihood gain, BIC penalty
  int parameters = 0;
  int thin_group = -1;
  long long thin_exits = 0;
};

struct StateCalibration {
  int k = 0;     ///< panel domain
  int state = 0; ///< state of the scenario's domain
  std::vector<BandCounts> bands; ///< empty: no person-month at risk with a known duration
  /// By months already in the state (known-start spells): person-months at risk and exits.
  std::vector<long long> at_risk, events;
  long long spells_known = 0, spells_left_censored = 0, left_censored_months = 0;
  /// In the panel's last period: persons in the state, and their months in it (a lower
  /// bound for a left-censored spell).
  long long last_count = 0, last_lower_bounds = 0;
  double last_months_mean = 0, last_months_sd = 0;
  StateSplit split; ///< with CalibrationOptions::by
};

struct Calibration {
  std::string panel_name;
  int persons = 0, months = 0;
  YearMonth start;
  std::string first_period, last_period;
  bool weekly = false;
  std::vector<int> domains; ///< scenario domain per panel domain
  std::vector<StateCalibration> states; ///< every state of every panel domain, domain by domain
  long long person_months_at_risk = 0;
  int persons_with_gaps = 0, missing_periods = 0;
  int min_count = 20;
  /// The panel's last period: households, adults and children per household (adults: 18 years
  /// and over), their ages in years, and who is in which state. `ages_known` false: a person
  /// without an age, so no population is written.
  bool ages_known = true;
  int households_last = 0;
  std::vector<int> adults_per_household, children_per_household; ///< [count] -> households
  double adult_age_min = 0, adult_age_max = 0, child_age_min = 0, child_age_max = 0;
  int adults = 0, children = 0;
  std::vector<std::vector<long long>> start_counts; ///< [k][state]
  /// --by: what the groups are and their names; each group's persons in the last period.
  std::string by;
  std::vector<std::string> groups;
  std::vector<long long> group_last;
  std::vector<int> age_group_starts;
  int max_links = 6;
  /// by is a scenario attribute (its links go into the fragment as they are); household_type
  /// not declared in the scenario: the fragment declares it; age_group: links on age
  /// (when: {age: [from, to]}).
  bool by_scenario_attribute = false;
};

/// The central `level` interval of a probability with Dirichlet counts `count` out of `total`:
/// its marginal, Beta(count, total - count). {0, 0} without a count.
struct Interval {
  double lo = 0, hi = 0;
};
Interval dirichlet_interval(double count, double total, double level);

Calibration calibrate(const Scenario& scenario, const Panel& panel, const CalibrationOptions& options,
                      const std::string& panel_name);

/// The fragment: `domains:` (each panel domain whole: the scenario's applies_to, states, entry
/// and on_leaving, with calibrated transitions) and `population:` from the last period.
std::string calibrated_yaml(const Scenario& scenario, const Calibration& calibration);
/// Warnings (thin bands, states never left, left-censored spells, gaps), one a line.
std::vector<std::string> calibration_warnings(const Scenario& scenario, const Calibration& calibration, Language lang);
/// The fit report, self-contained like report.html.
std::string calibration_html(const Scenario& scenario, const Calibration& calibration, Language lang);

} // namespace socinvest
