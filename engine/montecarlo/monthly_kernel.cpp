// The monthly kernel: the reference against which the event kernel (event_kernel.cpp) is
// checked. It does literally what the model says, step by step: per person and step one
// Philox block (up to three domains), the duration band, a scan of the row's cumulative
// thresholds, integer increments of the tally. Deaths and moving away come from the same
// clocks as in the event kernel (model/transition_model.hpp), which the enrolment also uses.
// What happens to a person (ageing, a year end, links, the spell's cell and row) and from
// when a row may differ are the household rules' (household_rules.hpp), shared with the
// event kernel; this file only compares every month with them.
#include "montecarlo/household_rules.hpp"

#include <tbb/blocked_range.h>
#include <tbb/combinable.h>
#include <tbb/parallel_for.h>

#include <algorithm>
#include <array>
#include <bit>
#include <cmath>
#include <cstdio>

namespace socinvest {

namespace {

using kernel::HouseholdRules;
using kernel::max_domains;
using kernel::max_links;
using kernel::max_row;

struct Working {
  int domains = 0;
  std::vector<std::uint8_t> role;
  std::vector<std::uint16_t> age;
  std::vector<std::int8_t> state;
  std::vector<std::uint16_t> months;
  std::vector<std::uint8_t> alive;
  /// Age in months at which a domain rule (leaving, entering, becoming an adult) can next
  /// apply to the person; until then ageing has nothing to check.
  std::vector<std::uint16_t> next_age_event;
  /// Bit d set when the person is in domain d: the step visits only those domains.
  std::vector<std::uint16_t> active;
  // Per person and domain, what the current (state, duration band) means
  // (HouseholdRules::spell_row), kept until the state changes or the run reaches the month
  // from which it may differ (HouseholdRules::next_row_change): the tally cell, the row
  // (with no link holding) and that month. Links and effects are added to the row afresh
  // every month, so they need no month of their own here. Run months stay below 65535
  // (horizons are at most 70 years), so 65535 is never.
  std::vector<std::uint32_t> cell;
  std::vector<RowKey> row;
  std::vector<std::uint16_t> row_changes;
  /// Per person: the refusion clock (household_rules.hpp), stepped month by month (empty
  /// when no rule has one).
  std::vector<kernel::RefusionClock> clock;
};


inline int pick(const std::uint32_t* threshold, const std::uint8_t* destination, int n, std::uint32_t word) {
  for (int j = 0; j < n; ++j)
    if (word < threshold[j]) return destination[j];
  return -1;
}

/// Recomputes the cached cell and row of person-domain `idx` in domain d, as they are in
/// run month `month`, and the month from which they may differ. Without effects: those
/// are applied every month (pick_with_effects), not kept.
inline void refresh(Working& w, const HouseholdRules& rules, const ModelDomain& md, int d, std::size_t idx,
                    int month) {
  const kernel::RefusionClock* clock =
      d == rules.refusion_domain() ? &w.clock[idx / static_cast<std::size_t>(w.domains)] : nullptr;
  const kernel::SpellRow now = rules.spell_row(md, d, w.state[idx], w.months[idx], clock, month,
                                               static_cast<std::uint32_t>(idx / static_cast<std::size_t>(w.domains)));
  w.cell[idx] = static_cast<std::uint32_t>(now.cell);
  w.row[idx] = now.row;
  const kernel::RowChange next = rules.next_row_change(now, w.months[idx], month, nullptr);
  w.row_changes[idx] = static_cast<std::uint16_t>(std::min(next.month, 65535));
}

using Block = std::array<std::uint32_t, 4>;

class HouseholdSimulator {
public:
  HouseholdSimulator(const SimulationContext& c, const HouseholdRules& rules, int variant, Tally& tally, Working& working)
      : c_(c), rules_(rules), links_(rules.links()), layout_(c.layout), model_(c.model), variant_(variant),
        model_variant_(c.model.variants[variant]), tally_(tally), working_(working), domains_(layout_.domains) {}

  void run(int h, std::vector<std::string>* trace_lines) {
    const Population& pop = c_.population;
    const std::uint32_t first = pop.household_first[h];
    const int size = pop.household_size[h];
    kernel::member_groups(c_, variant_, h, groups_);
    const bool enrolled = variant_ > 0 && c_.enrolment[variant_].participant[h];
    const int cycle = layout_.cycle_months;
    const int steps = layout_.steps;
    // All random blocks this household needs, generated up front in one tight loop per
    // member: the generator vectorises there, and the keys are the same as one by one.
    blocks_.resize(static_cast<std::size_t>(size) * steps);
    for (int i = 0; i < size; ++i) {
      Block* out = &blocks_[static_cast<std::size_t>(i) * steps];
      const std::uint32_t p = first + i;
      for (int t = 0; t < steps; ++t)
        out[t] = c_.streams.block(Purpose::step, c_.iteration, p, static_cast<std::uint32_t>(t));
    }
    const int moves = moving_step(model_, c_.streams, c_.iteration, static_cast<std::uint32_t>(h), steps);
    death_.resize(static_cast<std::size_t>(size));
    for (int i = 0; i < size; ++i)
      death_[i] = death_step(model_, c_.streams, c_.iteration, first + i,
                             pop.role[first + i] == static_cast<std::uint8_t>(Role::adult), pop.age_months[first + i],
                             cycle, steps);
    for (int t = 0; t < steps; ++t) {
      const int month = t * cycle;
      if (t == moves) {
        for (int i = 0; i < size; ++i) working_.alive[first + i] = 0;
        break;
      }
      if (links_.total > 0) count_link_conditions(first, size);
      for (int i = 0; i < size; ++i) {
        const std::uint32_t p = first + i;
        if (!working_.alive[p]) continue;
        if (trace_lines) trace_line(*trace_lines, h, p, month);
        if (t == death_[i]) {
          working_.alive[p] = 0;
          continue;
        }
        step_person(p, i, blocks_[static_cast<std::size_t>(i) * steps + t], h, t, month, enrolled);
      }
      if (const int year = rules_.year_ending_with(t); year >= 0 && !c_.scenario.indicators.empty())
        year_end(first, size, t, year);
    }
  }

private:
  /// A person at the end of a step, as the household rules see them (HouseholdRules::age,
  /// count_indicators): spells they start begin in run month `next_month`.
  struct PersonView {
    HouseholdSimulator& sim;
    std::uint32_t p;
    int next_month;
    std::int8_t* state_of;
    std::uint16_t* months_of;
    [[nodiscard]] int state(int d) const { return state_of[d]; }
    [[nodiscard]] int months(int d) const { return months_of[d]; }
    [[nodiscard]] Role role() const { return static_cast<Role>(sim.working_.role[p]); }
    [[nodiscard]] std::uint32_t id() const { return p; }
    void end(int d) {
      if (d == sim.rules_.refusion_domain()) sim.rules_.clock_enters(sim.working_.clock[p], next_month, -1);
      state_of[d] = -1;
      months_of[d] = 0;
      sim.working_.active[p] = static_cast<std::uint16_t>(sim.working_.active[p] & ~(1u << d));
    }
    void start(int d, int s) {
      if (s < 0) {
        end(d);
        return;
      }
      if (d == sim.rules_.refusion_domain()) sim.rules_.clock_enters(sim.working_.clock[p], next_month, s);
      state_of[d] = static_cast<std::int8_t>(s);
      months_of[d] = 0;
      sim.working_.active[p] = static_cast<std::uint16_t>(sim.working_.active[p] | (1u << d));
      refresh(sim.working_, sim.rules_, sim.model_.domains[d], d, static_cast<std::size_t>(p) * sim.domains_ + d,
              next_month);
    }
  };
  /// Person p at the end of step t.
  PersonView person(std::uint32_t p, int t) {
    const std::size_t at = static_cast<std::size_t>(p) * domains_;
    return {*this, p, (t + 1) * layout_.cycle_months, working_.state.data() + at, working_.months.data() + at};
  }

  /// Links condition on the household at the start of the step: how many living members
  /// meet each condition (LinkTable::meets), counted afresh every step. Forced inline: GCC
  /// keeps it out of line otherwise, and the call costs the kernel about 4 % (callgrind).
  [[gnu::always_inline]] void count_link_conditions(std::uint32_t first, int size) {
    // In locals, and a local array: every store to the counts could otherwise alias the
    // members, which would be reloaded (this runs for every household and step).
    const int L = links_.total;
    const int D = domains_;
    const ModelDomain::LinkCondition* conditions = links_.conditions.data();
    const std::int8_t* states = working_.state.data();
    const std::uint8_t* alive = working_.alive.data();
    std::array<int, max_links> count{};
    for (int i = 0; i < size; ++i) {
      const std::uint32_t p = first + i;
      if (!alive[p]) continue;
      const std::int8_t* mine = states + static_cast<std::size_t>(p) * D;
      for (int l = 0; l < L; ++l) count[l] += kernel::LinkTable::meets(conditions[l], mine[conditions[l].domain]) ? 1 : 0;
    }
    // Only the counts in use: copying all max_links of them every step costs the monthly
    // kernel several per cent.
    std::copy(count.begin(), count.begin() + L, link_count_.begin());
  }

  unsigned holding_links(int d, const std::int8_t* self, std::uint32_t p) const {
    return links_.holding(model_.domains[d], d, link_count_.data(),
                          [&](int domain) { return static_cast<int>(self[domain]); }) |
           rules_.attribute_links(p, d) | rules_.age_links(d, working_.age[p]);
  }

  void step_person(std::uint32_t p, int member, const Block& words, int h, int t, int month, bool enrolled) {
    // Everything the step reads, in local variables: the stores below go through int8
    // pointers, which may alias anything, so members would be reloaded after every store.
    const int cycle = layout_.cycle_months;
    const int D = domains_;
    const int* transition_offset = layout_.transition_offset.data();
    const int* states = layout_.states.data();
    const ModelDomain* domains = model_.domains.data();
    const std::span<const int> member_groups = groups_.of(member);
    const int* groups = member_groups.data();
    const std::size_t group_count = member_groups.size();
    const std::size_t occupancy_stride = static_cast<std::size_t>(layout_.steps) * layout_.cells;
    const std::size_t moves_stride = static_cast<std::size_t>(layout_.steps) * layout_.transitions;
    std::uint32_t* occupancy = tally_.occupancy.data() + static_cast<std::size_t>(t) * layout_.cells;
    std::uint32_t* moves = tally_.moves.data() + static_cast<std::size_t>(t) * layout_.transitions;
    std::array<std::uint32_t, 4> more{};
    int more_block = -1;
    std::int8_t* state = working_.state.data() + static_cast<std::size_t>(p) * D;
    std::uint16_t* months = working_.months.data() + static_cast<std::size_t>(p) * D;
    const std::uint32_t* cells = working_.cell.data();
    const RowKey* rows = working_.row.data();
    const std::uint16_t* row_changes = working_.row_changes.data();
    std::array<std::int8_t, max_domains> before{};
    for (int d = 0; d < D; ++d) before[d] = state[d];
    // The refusion clock moves one month at a time, in the state the person is in during
    // the step (in its domain after the month's cell is counted, else here).
    const int refusion = rules_.refusion_domain();
    if (refusion >= 0 && !(working_.active[p] >> refusion & 1u))
      for (int j = 0; j < cycle; ++j) rules_.clock_month(working_.clock[p]);
    for (unsigned domains_left = working_.active[p]; domains_left; domains_left &= domains_left - 1) {
      const int d = std::countr_zero(domains_left);
      const int s = before[d];
      const std::size_t idx = static_cast<std::size_t>(p) * D + d;
      const int mis = months[d];
      const ModelDomain& md = domains[d];
      if (month >= row_changes[idx]) refresh(working_, rules_, md, d, idx, month); // the rules' next row change
      const int cell = cells[idx];
      ++occupancy[cell];
      for (std::size_t g = 1; g < group_count; ++g) ++occupancy[groups[g] * occupancy_stride + cell];
      if (d == refusion)
        for (int j = 0; j < cycle; ++j) rules_.clock_month(working_.clock[p]);
      const RowKey row = rows[idx].with_links(md.links ? holding_links(d, before.data(), p) : 0u);
      const std::size_t r = row.index();
      const int n = md.row_length[r];
      if (d >= 3 && more_block != (d - 3) / 4) { // domains 3-6, 7-10, ...: one more block each
        more_block = (d - 3) / 4;
        more = c_.streams.block(Purpose::step_more, c_.iteration, p, static_cast<std::uint32_t>(t) * 4 + more_block);
      }
      const std::uint32_t word = d < 3 ? words[1 + d] : more[(d - 3) % 4];
      int dest = -1;
      if (enrolled && !model_variant_.effects_from[d][s].empty())
        dest = pick_with_effects(md, row, n, d, s, h, month, word);
      else if (n)
        dest = pick(md.threshold.data() + md.row_start[r], md.destination.data() + md.row_start[r], n, word);
      if (dest >= 0) {
        if (d == refusion) rules_.clock_enters(working_.clock[p], month + cycle, dest);
        state[d] = static_cast<std::int8_t>(dest);
        months[d] = 0;
        refresh(working_, rules_, md, d, idx, month + cycle); // the new spell begins with the next step
        const int tr = transition_offset[d] + s * states[d] + dest + rules_.move_block(d, p);
        for (std::size_t g = 0; g < group_count; ++g) ++moves[groups[g] * moves_stride + tr];
      } else {
        months[d] = static_cast<std::uint16_t>(mis + cycle < 65535 ? mis + cycle : 65535);
      }
    }
    if (working_.age[p] + cycle >= working_.next_age_event[p]) age(p, t);
    else working_.age[p] = static_cast<std::uint16_t>(working_.age[p] + cycle);
  }

  /// The row of an enrolled person, with the intervention's effects at their current weight.
  int pick_with_effects(const ModelDomain& md, RowKey r, int n, int d, int s, int h, int month,
                        std::uint32_t word) const {
    const std::uint32_t start = md.row_start[r.index()];
    const kernel::EffectiveRow row = kernel::effective_row(md, r, model_variant_, c_.enrolment[variant_], d, s, h, month);
    if (!row.changed) return pick(&md.threshold[start], &md.destination[start], n, word);
    std::array<double, max_row> p{};
    if (row.risk) p = row.share;
    else probabilities_from_hazards(row.share.data(), n, p.data());
    std::array<std::uint32_t, max_row> threshold{};
    thresholds_from_probabilities(p.data(), n, threshold.data());
    return pick(threshold.data(), &md.destination[start], n, word);
  }

  /// One step older (the end of step t); the household rules apply once an age they name
  /// is reached. Rare next to the step itself: kept out of line so the step loop stays tight.
  [[gnu::noinline]] void age(std::uint32_t p, int t) {
    const int before = working_.age[p];
    const int now = std::min(65535, before + layout_.cycle_months);
    working_.age[p] = static_cast<std::uint16_t>(now);
    if (now < working_.next_age_event[p]) return;
    PersonView view = person(p, t);
    const kernel::Ageing ageing = rules_.age(static_cast<Role>(working_.role[p]), p, t, before, now, view);
    working_.role[p] = static_cast<std::uint8_t>(ageing.role);
    working_.next_age_event[p] = static_cast<std::uint16_t>(ageing.next_age);
  }

  /// The indicators of the year that ends with step t.
  void year_end(std::uint32_t first, int size, int t, int year) {
    for (int i = 0; i < size; ++i) {
      const std::uint32_t p = first + i;
      if (working_.alive[p]) rules_.count_indicators(person(p, t), year, groups_.of(i), tally_);
    }
  }

  void trace_line(std::vector<std::string>& out, int h, std::uint32_t p, int month) const {
    std::array<int, max_domains> months{};
    for (int d = 0; d < domains_; ++d) months[d] = working_.months[static_cast<std::size_t>(p) * domains_ + d];
    out.push_back(kernel::trace_line(c_, variant_, h, p, month, working_.age[p], working_.role[p],
                                     &working_.state[static_cast<std::size_t>(p) * domains_], months.data()));
  }

  const SimulationContext& c_;
  const HouseholdRules& rules_;
  const kernel::LinkTable& links_;
  const Layout& layout_;
  const TransitionModel& model_;
  int variant_;
  const ModelVariant& model_variant_;
  Tally& tally_;
  Working& working_;
  int domains_;
  std::array<int, max_links> link_count_{};
  kernel::MemberGroups groups_;
  std::vector<int> death_;
  std::vector<Block> blocks_;
};

} // namespace

namespace kernel {

Tally simulate_monthly(const SimulationContext& c, int variant, std::vector<std::vector<std::string>>& trace_lines) {
  const Layout& L = c.layout;
  const Population& pop = c.population;
  const int groups = L.groups;
  const int indicators = static_cast<int>(c.scenario.indicators.size());
  auto empty_tally = [&] { return Tally(groups, L.steps, L.cells, L.transitions, L.points.size(), indicators); };
  const HouseholdRules rules(c);
  Working w{L.domains, pop.role, pop.age_months, pop.state, pop.months_in_state, std::vector<std::uint8_t>(pop.role.size(), 1),
            std::vector<std::uint16_t>(pop.role.size(), 0), std::vector<std::uint16_t>(pop.role.size(), 0),
            std::vector<std::uint32_t>(pop.state.size(), 0), std::vector<RowKey>(pop.state.size()),
            std::vector<std::uint16_t>(pop.state.size(), 0), {}};
  if (rules.refusion_domain() >= 0)
    for (std::size_t p = 0; p < pop.role.size(); ++p)
      w.clock.push_back(rules.start_clock(static_cast<std::uint32_t>(p), pop.state[p * L.domains + rules.refusion_domain()]));
  for (std::size_t p = 0; p < pop.role.size(); ++p)
    for (int d = 0; d < L.domains; ++d)
      if (pop.state[p * L.domains + d] >= 0) {
        w.active[p] = static_cast<std::uint16_t>(w.active[p] | (1u << d));
        refresh(w, rules, c.model.domains[d], d, p * L.domains + d, 0);
      }
  tbb::combinable<Tally> partial(empty_tally);
  const int H = pop.households();
  const int traced = static_cast<int>(trace_lines.size());
  tbb::parallel_for(tbb::blocked_range<int>(0, H, 64), [&](const tbb::blocked_range<int>& range) {
    if (c.cancel && c.cancel->load(std::memory_order_relaxed)) return;
    Tally& tally = partial.local();
    HouseholdSimulator sim(c, rules, variant, tally, w);
    for (int h = range.begin(); h != range.end(); ++h) sim.run(h, h < traced ? &trace_lines[h] : nullptr);
  });
  Tally total = empty_tally();
  partial.combine_each([&](const Tally& t) { total.add(t); });
  return total;
}

} // namespace kernel

} // namespace socinvest
