#pragma once
// What the two simulation kernels share (internal): flat tables of the layout and the
// domain rules, the row an intervention changes for an enrolled household, the groups a
// household counts in, and the --trace line.
#include <socinvest/montecarlo/simulate.hpp>

#include <algorithm>
#include <array>
#include <cmath>
#include <string>
#include <vector>

namespace socinvest::kernel {

constexpr int max_domains = 16;
constexpr int max_links = max_domains * 6; // at most 6 links per domain (validated)
constexpr int max_row = 64;

/// Flat, integer versions of the layout and domain rules for the step: one index per
/// (domain, state), ages in months.
struct KernelTables {
  std::vector<int> state_base;          ///< per domain: first (domain, state) index
  std::vector<std::uint32_t> band_offset; ///< per (domain, state): into band
  std::vector<std::uint16_t> band_cap;  ///< per (domain, state): last months with its own entry
  std::vector<std::uint8_t> band;       ///< months-in-state -> band
  std::vector<int> cell_offset;         ///< per (domain, state)
  std::vector<DomainScope> scope;       ///< per domain: who is in it, ages in months
  std::vector<std::uint32_t> upper_offset; ///< per (domain, state): into upper
  std::vector<std::uint16_t> upper;     ///< per band: the months at which the next band starts

  explicit KernelTables(const Scenario& s, const Layout& L) {
    for (int d = 0; d < L.domains; ++d) {
      state_base.push_back(static_cast<int>(band_offset.size()));
      for (int st = 0; st < L.states[d]; ++st) {
        band_offset.push_back(static_cast<std::uint32_t>(band.size()));
        const auto& table = L.band_table[d][st];
        band_cap.push_back(static_cast<std::uint16_t>(table.size() - 1));
        band.insert(band.end(), table.begin(), table.end());
        cell_offset.push_back(L.cell_offset[d][st]);
        upper_offset.push_back(static_cast<std::uint32_t>(upper.size()));
        for (int edge : L.edges[d][st]) upper.push_back(static_cast<std::uint16_t>(std::min(edge, 65535)));
        upper.push_back(65535);
      }
      scope.push_back(s.domains[d].scope());
    }
  }
};

/// Every domain's link conditions in one flat list (domain d's from offset[d]), and which
/// of a domain's links hold for one person.
struct LinkTable {
  int total = 0;
  std::array<int, max_domains> offset{};
  std::vector<ModelDomain::LinkCondition> conditions;

  explicit LinkTable(const TransitionModel& m) {
    for (std::size_t d = 0; d < m.domains.size(); ++d) {
      offset[d] = total;
      total += m.domains[d].links;
      conditions.insert(conditions.end(), m.domains[d].link_conditions.begin(), m.domains[d].link_conditions.end());
    }
  }
  /// The bit set of domain d's links that hold: `own(domain)` is the person's state in a
  /// domain (-1: none), `counts[l]` how many living household members meet condition l.
  template <class OwnState>
  [[nodiscard]] unsigned mask(const ModelDomain& md, int d, const int* counts, OwnState own) const {
    unsigned bits = 0;
    for (int l = 0; l < md.links; ++l) {
      const auto& cond = md.link_conditions[l];
      const int st = own(cond.domain);
      const bool mine = st >= 0 && (cond.states >> st & 1u);
      const int count = counts[offset[d] + l];
      const bool holds = cond.scope == StateCondition::Scope::self            ? mine
                         : cond.scope == StateCondition::Scope::household_any ? count > 0
                                                                              : count - (mine ? 1 : 0) > 0;
      if (holds) bits |= 1u << l;
    }
    return bits;
  }
};

/// A row as the variant's effects change it for an enrolled household in one month.
struct EffectiveRow {
  int n = 0;
  bool changed = false; ///< some effect acts this month (weight > 0)
  bool risk = false;    ///< a risk difference acts: `share` holds probabilities, else hazards
  std::array<double, max_row> share{};
  int next_change_month = ModelEffect::never_month; ///< when a weight may change next
};

/// Effects of variant `mv` on row r (state s of domain d) for household h in `month`.
/// Hazard ratios multiply the hazards (a ratio of 1 leaves them bit for bit); risk
/// differences are added to the resulting probabilities, each capped so the row stays a
/// distribution.
EffectiveRow effective_row(const ModelDomain& md, RowKey r, const ModelVariant& mv, const Enrolment& enrolment,
                           int d, int s, int h, int month);

/// Groups household h counts in for variant v (see tally.hpp): 0, and in the baseline every
/// variant that enrols it, in a variant that variant if it enrols it.
void household_groups(const SimulationContext& c, int v, int h, std::vector<int>& groups);

/// One --trace line: variant, household, person, month, age, role, then state and months
/// in it per domain.
std::string trace_line(const SimulationContext& c, int v, int h, std::uint32_t p, int month, int age_months, int role,
                       const std::int8_t* states, const int* months);

/// The two kernels (simulate.hpp): the same model, the same tally. `trace_lines` has one
/// entry per traced household (the first ones).
Tally simulate_monthly(const SimulationContext& c, int variant, std::vector<std::vector<std::string>>& trace_lines);
/// `baseline`, when given for a variant, is the baseline's tally of the same iteration: only
/// the variant's participants are then simulated (the others live their baseline lives).
Tally simulate_events(const SimulationContext& c, int variant, std::vector<std::vector<std::string>>& trace_lines,
                      const Tally* baseline = nullptr);

} // namespace socinvest::kernel
