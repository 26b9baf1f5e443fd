#pragma once
// The state-transition model of one Monte Carlo iteration, with its parameters drawn: for
// every (domain, state, duration band, active links) a row of destinations with per-step
// cause-specific hazards and cumulative thresholds, ready for the monthly step.
//
// Competing risks. A row of monthly probabilities p_j (total P) is turned into hazards
// lambda_j = -ln(1 - P) p_j / P. Hazard ratios (links, intervention effects) multiply
// lambda_j, and the row is turned back with P' = 1 - exp(-sum lambda'), p'_j = P' lambda'_j /
// sum lambda'. This keeps every row a valid distribution for any ratio, and a ratio of 1
// reproduces the row bit for bit. A cycle of k months uses k x lambda (constant hazards).
#include <socinvest/model/layout.hpp>
#include <socinvest/model/parameters.hpp>
#include <socinvest/scenario/scenario.hpp>

#include <cstdint>
#include <vector>

namespace socinvest {

/// Turns hazards into probabilities (p = P' lambda / sum lambda).
void probabilities_from_hazards(const double* lambda, int n, double* p);
/// Cumulative thresholds on 32-bit random words: destination j is taken when word < t_j.
void thresholds_from_probabilities(const double* p, int n, std::uint32_t* threshold);

/// Which row of a domain a person follows: their state, the duration band of their months
/// in it, and the bit set of the domain's links that hold for them (bit l: link l). How
/// that is packed into an index of the domain's row tables is decided here only; the model
/// builds its rows by it and both kernels look them up by it.
class RowKey {
public:
  RowKey() = default;
  /// The row of `state` in duration band `band` when the links in `links` hold, in a domain
  /// of `max_bands` bands per state and `link_count` links.
  [[nodiscard]] static RowKey of(int state, int band, unsigned links, int max_bands, int link_count) {
    return RowKey(static_cast<std::uint32_t>(((static_cast<std::size_t>(state) * max_bands + band) << link_count) | links));
  }
  /// How many rows such a domain has.
  [[nodiscard]] static std::size_t count(int states, int max_bands, int link_count) {
    return static_cast<std::size_t>(states) * max_bands << link_count;
  }
  /// The same state and band with the links in `links` holding; for a key made with none
  /// (a kernel keeps that while the band lasts and adds the links as they are now).
  [[nodiscard]] RowKey with_links(unsigned links) const { return RowKey(index_ | links); }
  [[nodiscard]] std::size_t index() const { return index_; }

private:
  explicit RowKey(std::uint32_t index) : index_(index) {}
  std::uint32_t index_ = 0;
};

struct ModelDomain {
  int states = 0;
  int links = 0;
  int max_bands = 1;
  // Rows indexed by row_key(s, band, links).index().
  std::vector<std::uint32_t> row_start;
  std::vector<std::uint8_t> row_length;
  std::vector<std::uint8_t> destination;
  std::vector<std::uint32_t> threshold;
  std::vector<double> hazard;
  /// Per row: the sum of its hazards, added in row order (so that an effect with ratio 1,
  /// summed the same way, gives the same bits).
  std::vector<double> total_hazard;
  // Links of this domain: condition domain, scope and states (bit set).
  struct LinkCondition {
    int domain;
    StateCondition::Scope scope;
    std::uint64_t states;
  };
  std::vector<LinkCondition> link_conditions;

  [[nodiscard]] RowKey row_key(int s, int band, unsigned holding_links) const {
    return RowKey::of(s, band, holding_links, max_bands, links);
  }
  [[nodiscard]] std::size_t row_count() const { return RowKey::count(states, max_bands, links); }
};

struct ModelEffect {
  int intervention = 0; ///< index within the variant
  int domain = -1, from = -1, to = -1;
  bool hazard_ratio = true;
  double value = 1.0; ///< drawn hazard ratio, or risk difference per step
  int ramp_up_months = 0;
  double decay_half_life_months = 0.0;

  /// The share of the full effect (0..1) in `month` for a household enrolled [start, end).
  [[nodiscard]] double weight(int start, int end, int month) const;
  /// The first month after `month` in which weight(start, end, .) may differ from its value
  /// in `month`; never_month when it stays as it is.
  [[nodiscard]] int next_change(int start, int end, int month) const;
  static constexpr int never_month = 1 << 30;
};

struct ModelIntervention {
  std::uint64_t name_key = 0; ///< keys uptake and queue draws: the same across variants
  const EligibilityRule* eligible = nullptr;
  double uptake = 1.0;
  int capacity = -1;        ///< households at once (-1: no limit)
  double intake_per_month = 0; ///< households a month (may be fractional); 0: no limit
  int start_month = 0;
  int end_month = 0;
  int stay_months = 0;
};

/// A net success rate (SuccessRate, scenario.hpp) of one iteration: the drawn difference
/// and the hazard ratio solved for it, shared by its effects (one per `via` transition,
/// whose value is that ratio). solve_success_rates (montecarlo/success_rate.hpp) sets it.
struct ModelSuccessRate {
  const Effect* effect = nullptr; ///< the scenario's (name, where, indicator)
  int indicator = -1;
  int point = -1;          ///< the measurement point of at_month (Layout::points)
  double difference = 0.0; ///< drawn (after any haircut)
  std::vector<int> effects; ///< indices into ModelVariant::effects
  double hazard_ratio = 1.0; ///< solved; 1 until then
};

struct ModelVariant {
  std::vector<ModelIntervention> interventions;
  std::vector<ModelEffect> effects;
  std::vector<ModelSuccessRate> success_rates; ///< in Variant::success_rate_effects() order
  /// [d][s]: indices into effects of those that act on transitions out of s.
  std::vector<std::vector<std::vector<int>>> effects_from;
};

struct TransitionModel {
  std::vector<ModelDomain> domains;
  double death_adult = 0.0, death_child = 0.0, moving_away = 0.0; ///< per step
  std::vector<ModelVariant> variants;
};

/// Steps until an exponential(1) clock runs out at a constant per-step hazard: the clock
/// runs out in the n-th step (n >= 1) when (n - 1) x hazard < clock <= n x hazard, which
/// happens with probability exp(-(n-1) hazard) (1 - exp(-hazard)): the per-step
/// probability 1 - exp(-hazard) of the row, step after step. Returns `never` when the
/// clock does not run out within `never` steps.
int steps_until(double clock, double hazard, int never);

/// The step in which person `person` dies (`steps` when not within the horizon): the same
/// per-step probabilities as a draw every step, child's until the step at which the person
/// is 18, adult's after, from one clock (Purpose::death). The simulation and the enrolment
/// (which must know when a household is gone) both ask this.
int death_step(const TransitionModel& model, const Streams& streams, std::uint32_t iteration, std::uint32_t person,
               bool adult, int age_months, int cycle_months, int steps);
/// The step in which household h moves away (`steps` when not within the horizon).
int moving_step(const TransitionModel& model, const Streams& streams, std::uint32_t iteration, std::uint32_t household,
                int steps);

/// Draws the iteration's parameters and builds the rows.
TransitionModel build_transition_model(const Scenario& scenario, const Layout& layout, const ParameterSampler& sampler);

} // namespace socinvest
