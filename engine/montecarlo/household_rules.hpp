#pragma once
// The rules of the model for the people of one household, whatever kernel steps through
// time (internal). A kernel decides *how* it steps to a person; what it then finds, and
// from when it may find something else, is decided here, once for both:
//  * where a spell is counted, which row it follows (spell_row) and from which month that
//    row may differ (next_row_change; links are event-driven, see RowChange);
//  * which links hold for a person, from the household's states (LinkTable), the
//    person's attributes (attribute_links) and age (age_links, next_age_link_change);
//  * what ageing does: becoming an adult, leaving a domain (into the one its on_leaving
//    rule names), entering one at its minimum age (age);
//  * when indicators are measured (a project year's end, or a December that a target or
//    contract asks for: year_ending_with, next_year_end) and what they count (count_indicators).
// A new rule over what a person already has (states, months in them, age, role) is one
// edit here. A rule that needs a new quantity per person is decided here too, but each
// kernel must keep that quantity for its people: the refusion clock (RefusionClock, the
// law's count of months on public support across states) is one, kept by each kernel per
// person and moved on by the rules here (clock_month, clock_to, clock_enters).
// Everything is inline or a template over that view, so the event kernel's hot path pays
// no call for it (and the module is this header only).
#include "montecarlo/kernel_common.hpp"

#include <algorithm>
#include <array>
#include <bit>
#include <bitset>
#include <cstdint>
#include <utility>
#include <variant>
#include <span>
#include <vector>

namespace socinvest::kernel {

/// Every domain's link conditions in one flat list (domain d's from offset[d]), and which
/// of them hold: for one person, and for a domain's row.
struct LinkTable {
  int total = 0;
  std::array<int, max_domains> offset{};
  std::vector<ModelDomain::LinkCondition> conditions;

  explicit LinkTable(const TransitionModel& model) {
    for (std::size_t d = 0; d < model.domains.size(); ++d) {
      offset[d] = total;
      total += model.domains[d].links;
      conditions.insert(conditions.end(), model.domains[d].link_conditions.begin(),
                        model.domains[d].link_conditions.end());
    }
  }
  /// Does a person in state `st` (-1: none) of the condition's domain meet it?
  [[nodiscard]] static bool meets(const ModelDomain::LinkCondition& cond, int st) {
    return st >= 0 && (cond.states >> st & 1u);
  }
  /// The conditions (all domains', flat) that a living person meets, each also counted in
  /// `counts` (how many of the household's living members meet it). `state(domain)` is the
  /// person's state in a domain (-1: none).
  template <class StateOf>
  [[nodiscard]] std::bitset<max_links> conditions_met(StateOf state, int* counts) const {
    std::bitset<max_links> met;
    for (int l = 0; l < total; ++l)
      if (meets(conditions[l], state(conditions[l].domain))) {
        met.set(static_cast<std::size_t>(l));
        ++counts[l];
      }
    return met;
  }
  /// The bit set of domain d's links that hold for a person: `own(domain)` is the person's
  /// state in a domain (-1: none), `counts` the household's counts (conditions_met).
  template <class OwnState>
  [[nodiscard]] unsigned holding(const ModelDomain& md, int d, const int* counts, OwnState own) const {
    unsigned bits = 0;
    for (int l = 0; l < md.links; ++l) {
      const auto& cond = md.link_conditions[l];
      const bool mine = meets(cond, own(cond.domain));
      const int count = counts[offset[d] + l];
      const bool holds = cond.scope == StateCondition::Scope::self            ? mine
                         : cond.scope == StateCondition::Scope::household_any ? count > 0
                                                                              : count - (mine ? 1 : 0) > 0;
      if (holds) bits |= 1u << l;
    }
    return bits;
  }
};

/// What a spell of some months in a state means: the tally cell it is counted in, the row
/// it follows (before links), and when either next changes by duration alone.
struct SpellRow {
  /// band_ends when the spell is in its state's last band (months in a state stop at 65535).
  static constexpr int last_band = 65535;
  int cell = 0;
  RowKey row;        ///< with no link holding; add them with row.with_links
  int band_ends = 0; ///< months in the state at which the next duration band starts
  /// The run month from which the cell's refusion level (the person's step on the
  /// staircase) differs; ModelEffect::never_month when it does not while the spell lasts.
  int refusion_ends = ModelEffect::never_month;
};

/// A person's refusion clock (ReimbursementRule::Clock; lov om kommunernes finansiering af
/// visse offentlige ydelser, LBK nr. 221 af 12.2.2021): § 5 sets the state's share by the
/// person's weeks with benefits, counted across every benefit the law covers; § 6 starts
/// the count over once the person has had 52 whole calendar weeks of self-support within
/// the last 3 years (after the first week with benefits); wage-subsidised work (flexjob)
/// is not self-support. In months of 52/12 weeks: one month in a support state is 52/12
/// weeks with benefits, one in a self-support state 52/12 weeks of self-support; the
/// reset is `reset_months` (12) of self-support among the last `window_months` (36).
/// The clock is as of run month `since`, and the person has been in the clock domain's
/// state `state` (-1: none) since then: while a state lasts, the clock moves in a way
/// known in advance (HouseholdRules::clock_to), so a kernel need only bring it up to date
/// when the state changes (clock_enters), or step it month by month (clock_month).
struct RefusionClock {
  int since = 0;
  std::uint16_t months = 0; ///< months on public support since the count last started (up to the last level)
  std::int8_t state = -1;
  bool legacy = false; ///< the award held since the start keeps the old rules (until it ends)
  std::uint64_t self = 0; ///< bit k: month since - 1 - k was self-support, counted since the count began
};

/// When the row a spell follows may next differ while the person stays in its state: the
/// run's month (0: its first) from which it may differ, `never` when no rule known in
/// advance changes it. HouseholdRules::next_row_change decides it for both kernels; they
/// only decide how to keep to it (the event kernel visits the spell in the first step that
/// starts at or after it, the monthly kernel compares every month with it). So a rule that
/// changes a row at a month known in advance is one edit there.
/// Links are not in it, they are event-driven: which links hold turns on the household
/// members' states, so a linked row may change whenever any member's state in a domain a
/// link conditions on changes (a move, a domain left or entered by ageing, a death), and
/// never otherwise. Such a change is not known in advance: the event kernel looks at the
/// household's linked rows again after a step in which a member's link conditions changed,
/// the monthly kernel adds the links that hold every month.
struct RowChange {
  static constexpr int never = ModelEffect::never_month;
  int month = never;
};

/// What ageing one step did to a person.
struct Ageing {
  Role role = Role::any; ///< the role from now on (a child becomes an adult at 18)
  bool changed = false;  ///< a domain was left or entered
  int next_age = 0;      ///< the age in months at which a rule can next apply (nothing to check before)
};

class HouseholdRules {
public:
  explicit HouseholdRules(const SimulationContext& c)
      : c_(c), domains_(c.layout.domains), cycle_months_(c.layout.cycle_months), steps_(c.layout.steps),
        point_of_step_(c.layout.point_of_step), next_point_step_(c.layout.next_point_step),
        links_(c.model) {
    const Layout& layout = c.layout;
    for (int d = 0; d < layout.domains; ++d) {
      scope_.push_back(c.scenario.domains[d].scope());
      state_base_.push_back(static_cast<int>(band_offset_.size()));
      for (int st = 0; st < layout.states[d]; ++st) {
        band_offset_.push_back(static_cast<std::uint32_t>(band_of_months_.size()));
        const auto& table = layout.band_table[d][st];
        band_cap_.push_back(static_cast<std::uint16_t>(table.size() - 1));
        band_of_months_.insert(band_of_months_.end(), table.begin(), table.end());
        cell_offset_.push_back(layout.cell_offset[d][st]);
        band_ends_offset_.push_back(static_cast<std::uint32_t>(band_ends_.size()));
        for (int edge : layout.edges[d][st]) band_ends_.push_back(static_cast<std::uint16_t>(std::min(edge, 65535)));
        band_ends_.push_back(SpellRow::last_band);
        levels_.push_back(layout.levels[d][st]);
        split_attribute_.push_back(layout.split_attribute[d][st]);
        category_cells_.push_back(layout.cells_per_category(d, st));
      }
      move_attribute_.push_back(layout.move_attribute[d]);
      move_stride_.push_back(layout.states[d] * layout.states[d]);
    }
    if (layout.refusion_rule >= 0) {
      const ReimbursementRule::Clock& clock = c.scenario.reimbursements[layout.refusion_rule].clock;
      refusion_domain_ = clock.domain;
      for (std::size_t st = 0; st < clock.kind.size(); ++st) {
        kind_.push_back(clock.kind[st]);
        has_legacy_.push_back(clock.has_legacy(static_cast<int>(st)));
      }
      level_from_ = layout.refusion_level_from;
      legacy_level_ = layout.refusion_levels();
      cap_ = static_cast<std::uint16_t>(std::max(1, level_from_.back()));
      for (int m = 0, l = 0; m <= cap_; ++m) {
        while (l + 1 < legacy_level_ && m >= level_from_[l + 1]) ++l;
        level_of_months_.push_back(static_cast<std::uint8_t>(l));
      }
      reset_months_ = clock.reset_months;
      window_mask_ = clock.window_months >= 64 ? ~0ULL : (1ULL << clock.window_months) - 1;
    }
    // Links on attributes (Link::attribute): which hold for each person, once (an attribute
    // never changes). Nothing is kept when no link asks for an attribute.
    bool attribute_links = false;
    for (int d = 0; d < layout.domains; ++d)
      for (const auto& link : c.scenario.domains[d].links) attribute_links = attribute_links || link.attribute.has_value();
    if (attribute_links) {
      const Population& pop = c.population;
      attribute_links_.assign(static_cast<std::size_t>(pop.persons()) * layout.domains, 0);
      for (std::size_t p = 0; p < static_cast<std::size_t>(pop.persons()); ++p)
        for (int d = 0; d < layout.domains; ++d) {
          const auto& links = c.scenario.domains[d].links;
          unsigned bits = 0;
          for (std::size_t l = 0; l < links.size(); ++l)
            if (links[l].attribute && links[l].attribute->holds(pop.attribute_of(p, links[l].attribute->attribute)))
              bits |= 1u << l;
          attribute_links_[p * layout.domains + d] = static_cast<std::uint8_t>(bits);
        }
    }
    // Links on age (Link::age): which bit each is, and its range, per domain.
    age_links_.resize(static_cast<std::size_t>(layout.domains));
    for (int d = 0; d < layout.domains; ++d) {
      const auto& links = c.scenario.domains[d].links;
      for (std::size_t l = 0; l < links.size(); ++l)
        if (links[l].age) age_links_[static_cast<std::size_t>(d)].push_back({1u << l, *links[l].age});
    }
  }

  [[nodiscard]] const LinkTable& links() const { return links_; }
  /// The bit set of domain d's links on attributes that hold for person p (population
  /// index): added to LinkTable::holding's by both kernels. 0 without attribute links.
  [[nodiscard]] unsigned attribute_links(std::uint32_t p, int d) const {
    return attribute_links_.empty() ? 0u : attribute_links_[static_cast<std::size_t>(p) * domains_ + d];
  }
  /// Does domain d have links on age?
  [[nodiscard]] bool has_age_links(int d) const { return !age_links_[static_cast<std::size_t>(d)].empty(); }
  /// The bit set of domain d's links on age that hold for a person aged `age_months` at the
  /// start of a step: added to LinkTable::holding's by both kernels, which take the age at
  /// the start of the step (as ageing does).
  [[nodiscard]] unsigned age_links(int d, int age_months) const {
    unsigned bits = 0;
    for (const AgeLink& link : age_links_[static_cast<std::size_t>(d)])
      if (link.range.holds(age_months)) bits |= link.bit;
    return bits;
  }
  /// The first age in months above `age_months` at which one of domain d's links on age
  /// starts or stops holding (RowChange::never: none): the event kernel looks at the row
  /// again in the first step that starts at that age or later.
  [[nodiscard]] int next_age_link_change(int d, int age_months) const {
    int next = RowChange::never;
    for (const AgeLink& link : age_links_[static_cast<std::size_t>(d)]) {
      if (link.range.first_month > age_months) next = std::min(next, link.range.first_month);
      if (link.range.end_month > age_months) next = std::min(next, link.range.end_month);
    }
    return next;
  }

  /// A move of person p (population index) in domain d whose transition costs vary by
  /// attribute (Layout::move_attribute) is counted in the block of the person's category:
  /// what to add to the unsplit index (Layout::transition), the same in both kernels.
  [[nodiscard]] int move_block(int d, std::uint32_t p) const {
    const int a = move_attribute_[static_cast<std::size_t>(d)];
    return a < 0 ? 0 : move_stride_[static_cast<std::size_t>(d)] * c_.population.attribute_of(p, a);
  }

  /// Spell rows. A spell in state s of domain d with `months` months in it: its cell, its
  /// row and the months at which its duration band ends (when the row changes by duration
  /// alone; next_row_change says from when it may change at all).
  /// In the refusion clock's domain `clock` is the person's clock and `month` the run month:
  /// a support state's cells are split by the person's step (refusion_step). A state some
  /// cost line prices by attribute (Layout::split_attribute) has its cells split by person
  /// `person`'s category too (population index), the same in both kernels.
  [[nodiscard]] SpellRow spell_row(const ModelDomain& md, int d, int s, int months, const RefusionClock* clock,
                                   int month, std::uint32_t person) const {
    const int ds = state_base_[d] + s;
    const int band = band_of_months_[band_offset_[ds] + (months < band_cap_[ds] ? months : band_cap_[ds])];
    SpellRow row{cell_offset_[ds] + band * levels_[ds], md.row_key(s, band, 0u),
                 band_ends_[band_ends_offset_[ds] + band]};
    if (split_attribute_[ds] >= 0)
      row.cell += category_cells_[ds] * c_.population.attribute_of(person, split_attribute_[ds]);
    if (clock && levels_[ds] > 1) {
      const auto [level, ends] = refusion_step(*clock, s, month);
      row.cell += level;
      row.refusion_ends = ends;
    }
    return row;
  }

  /// The refusion clock. The domain whose states it counts (-1: no rule has a clock).
  [[nodiscard]] int refusion_domain() const { return refusion_domain_; }
  /// Person p's clock at the start (population: months on public support, legacy), in
  /// state `state` of the clock's domain (-1: none).
  [[nodiscard]] RefusionClock start_clock(std::uint32_t p, int state) const {
    RefusionClock clock;
    clock.state = static_cast<std::int8_t>(state);
    clock.months = std::min(cap_, c_.population.refusion_months[p]);
    clock.legacy = c_.population.refusion_legacy[p] && state >= 0 && has_legacy_[state];
    return clock;
  }
  /// The step-by-step rule: one month in the clock's state, from `since` to since + 1.
  void clock_month(RefusionClock& clock) const {
    const Kind kind = clock.state >= 0 ? kind_[clock.state] : Kind::neither;
    if (kind == Kind::support) {
      clock.months = std::min<std::uint16_t>(cap_, static_cast<std::uint16_t>(clock.months + 1));
      clock.self = (clock.self << 1) & window_mask_;
    } else if (kind == Kind::self_support && clock.months > 0) { // self-support after the count began
      clock.self = ((clock.self << 1) | 1u) & window_mask_;
      if (std::popcount(clock.self) >= reset_months_) clock.months = 0, clock.self = 0; // § 6: starts over
    } else {
      clock.self = (clock.self << 1) & window_mask_;
    }
    ++clock.since;
  }
  /// The clock brought up to run month `month`, the state unchanged since `since`: the
  /// same as clock_month month - since times, in closed form (a self-support spell
  /// resets within reset_months months, if at all, so its loop is short).
  void clock_to(RefusionClock& clock, int month) const {
    const int n = month - clock.since;
    if (n <= 0) return;
    const Kind kind = clock.state >= 0 ? kind_[clock.state] : Kind::neither;
    if (kind == Kind::self_support && clock.months > 0) {
      for (int j = 0; j < n; ++j) {
        clock.self = ((clock.self << 1) | 1u) & window_mask_;
        if (std::popcount(clock.self) >= reset_months_) {
          clock.months = 0, clock.self = 0;
          break;
        }
      }
    } else {
      if (kind == Kind::support) clock.months = static_cast<std::uint16_t>(std::min<int>(cap_, clock.months + n));
      clock.self = n >= 64 ? 0 : (clock.self << n) & window_mask_;
    }
    clock.since = month;
  }
  /// The person is in `state` (-1: none) of the clock's domain from run month `month` on: the
  /// clock is brought up to then; a new state ends a legacy award.
  void clock_enters(RefusionClock& clock, int month, int state) const {
    clock_to(clock, month);
    if (state != clock.state) {
      clock.state = static_cast<std::int8_t>(state);
      clock.legacy = false;
    }
  }
  /// The level of a support state's cell in run month `month` (the person in state s since
  /// the clock's `since`) and the run month from which it differs (never: not while the
  /// state lasts): the staircase's level for the months on public support then, or the
  /// old rules' level for a legacy award.
  [[nodiscard]] std::pair<int, int> refusion_step(const RefusionClock& clock, int s, int month) const {
    if (clock.legacy && has_legacy_[s]) return {legacy_level_, ModelEffect::never_month};
    const int months = std::min<int>(cap_, clock.months + (month - clock.since));
    const int level = level_of_months_[months];
    return {level, level + 1 < legacy_level_ ? month + (level_from_[level + 1] - months) : ModelEffect::never_month};
  }

  /// Row changes. The run's month from which a spell's row may next differ while the person
  /// stays in its state (RowChange), as seen in run month `month` with `months` months in
  /// the state: `now` is spell_row for those months, `effects` effective_row for `month`
  /// (null when no effect acts on the row: the household is not enrolled or no effect
  /// leaves the state; or the kernel applies effects afresh every month and asks only
  /// about the row it keeps). The reasons, each known in advance; a new one is one more
  /// minimum here:
  ///  * the next duration band (SpellRow::band_ends; the bands are every boundary anything
  ///    needs, model/layout.hpp). Months in the state and months of the run go up together
  ///    while the spell lasts, so the band ends (band_ends - months) months after `month`;
  ///  * an intervention effect's next change of weight (ramp-up, end, decay:
  ///    ModelEffect::next_change, the earliest in EffectiveRow::next_change_month);
  ///  * the person's next step on the refusion staircase (SpellRow::refusion_ends: the
  ///    cell changes, the row does not). A reset of the clock changes no cell: it happens
  ///    in self-support, whose cells are not split, and shows when the person next enters
  ///    a support state (clock_enters).
  /// Links change rows too, but not at a month known in advance (RowChange).
  [[nodiscard]] RowChange next_row_change(const SpellRow& now, int months, int month,
                                          const EffectiveRow* effects) const {
    RowChange next;
    if (now.band_ends < SpellRow::last_band) next.month = month + (now.band_ends - months);
    if (effects) next.month = std::min(next.month, effects->next_change_month);
    next.month = std::min(next.month, now.refusion_ends);
    return next;
  }

  /// Ageing at the end of `step`, from `before` to `now` months of age. `spells` is the
  /// kernel's view of the person's spells: `state(d)` (-1: none), `end(d)` and `start(d, s)`
  /// (s -1: not in the domain), both from the next step. A domain the person no longer
  /// belongs to is left, into the domain its on_leaving rule names (state drawn from the
  /// rule's map for the state left); a domain whose minimum age is reached now is entered
  /// (state drawn from its entry distribution). The draws are keyed by (person, step,
  /// domain), so both kernels draw the same numbers for the same person and step.
  template <class Spells>
  Ageing age(Role role, std::uint32_t person, int step, int before, int now, Spells& spells) const {
    if (role == Role::child && now >= adult_age_months) role = Role::adult;
    AgeingDraws draws{c_, person, step};
    bool changed = false;
    for (int d = 0; d < domains_; ++d) {
      const DomainScope& scope = scope_[d];
      const Domain& domain = c_.scenario.domains[d];
      if (spells.state(d) >= 0) {
        if (scope.covers(role, now)) continue;
        const int leaving = spells.state(d);
        spells.end(d);
        if (domain.on_leaving && domain.on_leaving->to_domain >= 0)
          spells.start(domain.on_leaving->to_domain, domain.on_leaving->map[leaving].draw(draws.unit(d)));
        changed = true;
      } else if (before < scope.first_month && now >= scope.first_month && scope.covers(role, now) &&
                 !domain.entry.empty()) {
        spells.start(d, domain.entry.draw(draws.unit(d)));
        changed = true;
      }
    }
    int next = role == Role::child ? adult_age_months : 65535;
    for (int d = 0; d < domains_; ++d) {
      if (spells.state(d) >= 0) next = std::min(next, scope_[d].end_month);
      else if (now < scope_[d].first_month && !c_.scenario.domains[d].entry.empty())
        next = std::min(next, scope_[d].first_month);
    }
    return {role, changed, std::clamp(next, now + 1, 65535)};
  }

  /// Year ends: where indicators are measured (Layout::points: the project-year ends, point
  /// y - 1 for project year y, then the Decembers that targets and contracts with
  /// at_budget_year need). The point that ends with step `step`, or -1 when none does.
  [[nodiscard]] int year_ending_with(int step) const {
    return step >= 0 && step < steps_ ? point_of_step_[static_cast<std::size_t>(step)] : -1;
  }
  /// The first step from `step` on with which a point ends; `never` if none does within the horizon.
  [[nodiscard]] int next_year_end(int step, int never) const {
    if (step < 0 || step >= steps_) return never;
    const int u = next_point_step_[static_cast<std::size_t>(step)];
    return u < steps_ ? u : never;
  }
  /// A living person's indicators for measurement point `year` (year_ending_with), counted for every group the person
  /// counts in (MemberGroups::of). `person` is the kernel's view: `state(d)` and `months(d)` (the months in it
  /// at the start of the next step), `role()`, `id()`.
  template <class Person>
  void count_indicators(const Person& person, int year, std::span<const int> groups, Tally& tally) const {
    const auto& indicators = c_.scenario.indicators;
    for (std::size_t k = 0; k < indicators.size(); ++k) {
      const Indicator& ind = indicators[k];
      if (ind.role != Role::any && person.role() != ind.role) continue;
      const int s = person.state(ind.domain);
      if (s < 0) continue;
      bool base = true, met = false;
      static_assert(std::variant_size_v<decltype(ind.share)> == 2, "a new kind of indicator is counted here");
      if (const auto* in = std::get_if<Indicator::InStates>(&ind.share)) {
        met = std::find(in->states.begin(), in->states.end(), s) != in->states.end() &&
              person.months(ind.domain) >= in->min_months;
      } else {
        const auto& rank = std::get_if<Indicator::Improved>(&ind.share)->rank;
        const int s0 = c_.population.state[static_cast<std::size_t>(person.id()) * domains_ + ind.domain];
        base = s0 >= 0 && rank[s0] >= 0 && rank[s] >= 0;
        met = base && rank[s] < rank[s0];
      }
      if (!base) continue;
      if (c_.person_indicators && static_cast<int>(k) == c_.person_indicators->indicator)
        c_.person_indicators->value[static_cast<std::size_t>(person.id()) * c_.person_indicators->points + year] =
            met ? 2 : 1;
      for (int g : groups) {
        const std::size_t idx = tally.indicator_index(g, year, static_cast<int>(k));
        ++tally.indicator_base[idx];
        if (met) ++tally.indicator_met[idx];
      }
    }
  }

private:
  /// The uniforms ageing draws for one person and step: one Philox block per four domains,
  /// made only when a rule needs one.
  struct AgeingDraws {
    const SimulationContext& c;
    std::uint32_t person;
    int step;
    std::array<std::uint32_t, 4> words{};
    int block = -1;
    double unit(int d) {
      if (block != d / 4) {
        block = d / 4;
        words = c.streams.block(Purpose::ageing, c.iteration, person, static_cast<std::uint32_t>(step) * 4 + d / 4);
      }
      return Streams::unit(words[d % 4]);
    }
  };

  const SimulationContext& c_;
  int domains_, cycle_months_, steps_;
  const std::vector<int>& point_of_step_;
  const std::vector<int>& next_point_step_;
  std::vector<DomainScope> scope_;         ///< per domain
  LinkTable links_;
  struct AgeLink {
    unsigned bit; ///< the link's bit in its domain's row
    AgeCondition range;
  };
  std::vector<std::vector<AgeLink>> age_links_; ///< per domain: age_links
  std::vector<std::uint8_t> attribute_links_; ///< [person * domains + d]: attribute_links; empty without
  // Flat, integer versions of the layout's duration bands: one index per (domain, state).
  std::vector<int> state_base_;            ///< per domain: first (domain, state) index
  std::vector<std::uint32_t> band_offset_; ///< per (domain, state): into band_of_months_
  std::vector<std::uint16_t> band_cap_;    ///< per (domain, state): the last months with an entry of their own
  std::vector<std::uint8_t> band_of_months_; ///< months in the state -> band
  std::vector<int> cell_offset_;           ///< per (domain, state)
  std::vector<std::uint32_t> band_ends_offset_; ///< per (domain, state): into band_ends_
  std::vector<std::uint16_t> band_ends_;   ///< per band: the months at which the next band starts
  std::vector<int> levels_;                ///< per (domain, state): refusion levels of its cells
  std::vector<int> split_attribute_;       ///< per (domain, state): Layout::split_attribute
  std::vector<int> category_cells_;        ///< per (domain, state): Layout::cells_per_category
  std::vector<int> move_attribute_;        ///< per domain: Layout::move_attribute
  std::vector<int> move_stride_;           ///< per domain: its transitions per category (states x states)
  // The refusion clock (RefusionClock), when a rule has one.
  using Kind = ReimbursementRule::Clock::Kind;
  int refusion_domain_ = -1;
  std::vector<Kind> kind_;        ///< per state of the clock's domain
  std::vector<bool> has_legacy_;  ///< per state: has a legacy share
  std::vector<int> level_from_;   ///< per level: its first month on public support
  std::vector<std::uint8_t> level_of_months_; ///< months on public support (0..cap_) -> level
  int legacy_level_ = 0;          ///< the old rules' level (after the staircase's)
  std::uint16_t cap_ = 0;         ///< months on public support stop here (the last level's first)
  int reset_months_ = 12;
  std::uint64_t window_mask_ = 0;
};

} // namespace socinvest::kernel
