#pragma once
// What the two simulation kernels share besides the household rules (household_rules.hpp;
// internal): the row an intervention changes for an enrolled household, the groups a
// household counts in, and the --trace line.
#include <socinvest/montecarlo/simulate.hpp>

#include <algorithm>
#include <array>
#include <cmath>
#include <span>
#include <string>
#include <vector>

namespace socinvest::kernel {

constexpr int max_domains = 16;
constexpr int max_links = max_domains * 6; // at most 6 links per domain (validated)
constexpr int max_row = 64;

/// A row as the variant's effects change it for an enrolled household in one month.
struct EffectiveRow {
  int n = 0;
  bool changed = false; ///< some effect acts this month (weight > 0)
  bool risk = false;    ///< a risk difference acts: `share` holds probabilities, else hazards
  std::array<double, max_row> share{};
  /// The first month after this one in which a weight may differ (HouseholdRules::next_row_change).
  int next_change_month = ModelEffect::never_month;
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

/// The groups each member of a household counts in: the household's (household_groups, with
/// its household attributes' groups), and for each person attribute the household's own
/// groups (those below Layout::variants) again among the persons of the member's category
/// (Layout::attribute_group). Member i's groups are of(i); every member has as many. Without
/// person attributes all members share the household's (stride 0), with no copy per member.
struct MemberGroups {
  std::vector<int> groups;
  std::size_t count = 0, stride = 0;
  [[nodiscard]] std::span<const int> of(int i) const {
    return {groups.data() + static_cast<std::size_t>(i) * stride, count};
  }
};
void member_groups(const SimulationContext& c, int v, int h, MemberGroups& out);

/// A variant's tally in which only its participants were simulated, completed with the
/// others' baseline lives: for everybody (group 0) and everybody of each attribute
/// category, the baseline's group less its participants of `variant`. Unsigned, exact.
void add_baseline_rest(Tally& total, const Tally& baseline, const Layout& layout, int variant);

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
