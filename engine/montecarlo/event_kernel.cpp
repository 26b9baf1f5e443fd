// The event kernel: the hot path. The model is the monthly one (simulate.hpp), stepped
// differently. A spell in a state gets an exponential(1) clock when it starts; every step
// the clock runs down by the row's total hazard, and the state is left in the step in
// which it runs out, to a destination drawn in proportion to the row's hazards. With a
// constant hazard that step is known in advance (steps_until), so a household is visited
// only in the steps where something happens to it:
//  * a spell's clock runs out (a move), or its row may change by a rule known in advance
//    (HouseholdRules::next_row_change: the next duration band, an effect's weight);
//  * a member dies, the household moves away, a member's ageing rules apply;
//  * a member changes state in a way a linked domain conditions on (its rows change);
//  * a year ends (indicators);
//  * a person on public support reaches the next step of the refusion staircase (its cell
//    changes; HouseholdRules::next_row_change). The refusion clock itself is brought up to
//    date only when the person's state in its domain changes (HouseholdRules::clock_enters).
// When a row's hazard changes mid-spell the clock keeps what is left of it (the hazard is
// memoryless), so the per-step probabilities are exactly the row's. A row whose hazard is
// the same, bit for bit, leaves the clock as it is: an effect with ratio 1 changes nothing.
// Every clock is drawn afresh at each 12-month window boundary (clock_window_months), but
// a household is not visited for it: a clock looks ahead across the windows, while its
// hazard stays, for the first one in which it runs out (SpellClock), and mostly decides
// that from the random word alone, without the logarithm (ClockBounds).
// Occupancy is tallied as differences (+1 where a person enters a cell, -1 where they leave)
// and summed over the steps once at the end; unsigned arithmetic makes that exact.
// What happens to a person at a visit (ageing, a year end, links, the spell's cell and row)
// and from when a row may differ are decided by the household rules (household_rules.hpp),
// as in the monthly kernel; this file decides only in which steps to look.
#include "montecarlo/household_rules.hpp"
#include "montecarlo/spell_clock.hpp"

#include <tbb/blocked_range.h>
#include <tbb/combinable.h>
#include <tbb/enumerable_thread_specific.h>
#include <tbb/parallel_for.h>

#include <bit>
#include <bitset>
#include <optional>
#include <limits>

namespace socinvest::kernel {

namespace {

constexpr int never = 1 << 30;

/// Every spell's clock is drawn afresh at these calendar boundaries (months), keyed by
/// (person, domain, window) like a new spell's by its step. The hazard is memoryless, so
/// this changes no probability; what it does is let a variant's path and the baseline's,
/// once they are in the same state again, share their random numbers again (common random
/// numbers): without it, a path that split off would never draw the same clocks as the
/// baseline again.
/// Why 12: a shorter window re-couples split paths sooner but visits every household at
/// every boundary (a cost on the hot path); a longer one leaves them apart for longer, so
/// variant-minus-baseline differences get noisier. A year is the unit results are counted
/// in, and it is a whole number of steps for every cycle (month, quarter, year). It is a
/// constant, not an option: it decides which random numbers are drawn, so every result
/// depends on it, and the engine's commit (recorded in every manifest) pins it.
constexpr int clock_window_months = 12;
/// How many windows a clock looks ahead at most (EventHousehold::schedule): one block of
/// random words serves four. The look-ahead already stops at the spell's next refresh (where
/// its hazard may change), so a long one is rarely wasted; a short one costs a visit to look
/// on (8 windows: 0.9 visits per person and arm in the peer model, whose 20-year horizon 24
/// covers). Measured against 8, paired runs: peer model 0.975, reference scenario 0.954.
/// It decides no number: the windows' clocks are the same whether looked at early or late.
constexpr int look_ahead_windows = 24;
static_assert(clock_window_months <= max_window_steps);

int ceil_div(int a, int b) { return a <= 0 ? a / b : (a + b - 1) / b; }

/// The steps at which a clock window begins: every `steps` steps, not counting step 0
/// (where every clock is new anyway). For steps 0 to `horizon`; the window of each step is
/// looked up, not divided out (a division is slow, and the kernel asks at every visit).
class ClockWindows {
public:
  ClockWindows(int steps, int horizon) : steps_(steps) {
    for (int t = 0; t <= horizon; ++t) index_.push_back(t / steps);
  }
  [[nodiscard]] int steps() const { return steps_; }
  /// Does one begin at step t?
  [[nodiscard]] bool begins_at(int t) const { return t > 0 && index_[t] != index_[t - 1]; }
  /// The window step t is in (0: from step 0 to the first boundary).
  [[nodiscard]] int index(int t) const { return index_[t]; }
  /// The first step after t at which a window begins.
  [[nodiscard]] int end_after(int t) const { return (index_[t] + 1) * steps_; }

private:
  int steps_;
  std::vector<int> index_; ///< per step: t / steps_
};

/// A spell's exponential(1) clock. From its anchor (step `since`, with `left` of it left, or
/// the value of `word` when `lazy`: a new clock, not yet needed as a number) it runs down by
/// `hazard` per step until the segment ends at `end` (a window boundary), where it is drawn
/// afresh; `runs_out` is the step in which it runs out in this or a later window (never: not
/// within the horizon at this hazard). EventHousehold moves it on (restart, change_hazard).
struct SpellClock {
  double hazard = 0.0;
  double left = 0.0;
  std::uint32_t word = 0;
  bool lazy = false;
  bool stopped = false; ///< runs out in no step of the anchor's segment (a row without destination)
  int since = 0, end = 0;
  int runs_out = never;
  /// `runs_out` is only the window boundary at which to look further ahead (the look-ahead
  /// stops at the spell's next refresh, where its hazard may change, and after a few windows).
  bool looks_on = false;
};

/// Occupancy counted where it changes: +1 in the step a person enters a cell, -1 in the
/// step they leave it, for every group the household counts in. The running sum over the
/// steps (sum_occupancy_changes, at the end) is the occupancy; unsigned arithmetic, which
/// wraps around modulo 2^32, keeps every partial sum exact.
class OccupancyChanges {
public:
  OccupancyChanges(Tally& tally, const MemberGroups& groups)
      : at_(tally.occupancy.data()), cells_(tally.cells), steps_(tally.steps),
        group_stride_(static_cast<std::size_t>(tally.steps) * tally.cells), groups_(groups) {}
  /// Member i of the household enters or leaves `cell` in step t.
  void enter(int i, int cell, int t) { add(i, cell, t, 1u); }
  void leave(int i, int cell, int t) { add(i, cell, t, ~0u); } // -1, modulo 2^32

private:
  void add(int i, int cell, int t, std::uint32_t delta) {
    if (t >= steps_) return;
    std::uint32_t* at = at_ + static_cast<std::size_t>(t) * cells_ + cell;
    for (int g : groups_.of(i)) at[g * group_stride_] += delta;
  }
  std::uint32_t* at_;
  int cells_, steps_;
  std::size_t group_stride_;
  const MemberGroups& groups_;
};

/// Occupancy from its changes (OccupancyChanges): the running sum over the steps.
void sum_occupancy_changes(Tally& total) {
  for (int g = 0; g < total.groups; ++g)
    for (int t = 1; t < total.steps; ++t) {
      std::uint32_t* now = total.occupancy.data() + (static_cast<std::size_t>(g) * total.steps + t) * total.cells;
      const std::uint32_t* before = now - total.cells;
      for (int cell = 0; cell < total.cells; ++cell) now[cell] += before[cell];
    }
}

struct Member {
  std::uint32_t person = 0;
  bool alive = true;
  Role role = Role::adult;
  int age0 = 0;     ///< age in months at step 0
  int dies = never; ///< the step in which the person dies
  int ages = 0;     ///< the step at whose end ageing rules may apply
  unsigned active = 0; ///< bit d: in domain d
  std::bitset<max_links> conditions; ///< bit l: meets link condition l (all domains' links, flat)
  /// The refusion clock (household_rules.hpp), brought up to date when the person's state in
  /// its domain changes; in between it moves as the rules know in advance.
  RefusionClock clock;
};

/// A person's spell in one domain.
struct Spell {
  int state = -1;
  bool open = false;  ///< counted in `cell` from some step on
  bool fresh = false; ///< new: draw its clock at the next refresh
  int cell = 0;
  int t0 = 0, m0 = 0; ///< m0 months in the state at step t0
  RowKey row;
  /// The next step whose row may differ: the first to start at or after the month of the
  /// rules' next row change (HouseholdRules::next_row_change), or sooner when a link may
  /// change (linked_rows_may_change).
  int refresh_at = never;
  SpellClock clock;
  int window_block = -1;  ///< which four windows `window_words` are for
  std::array<std::uint32_t, 4> window_words{};
  /// The words of the move the clock runs out for, drawn when its step became known
  /// (EventHousehold::draw_move): the destination's in step `move_step` and the clock of the
  /// spell that starts in step `next_clock_step` (-1: none drawn). Each is a pure function of
  /// its key, so drawing it early changes nothing; it is drawn early only so that the Philox
  /// rounds overlap other work instead of stalling the move.
  int move_step = -1, next_clock_step = -1;
  std::uint32_t move_word = 0, next_clock_word = 0;
};

/// A spell's row as the variant's effects change it (EventHousehold::effects_on).
struct KeptRow {
  int household = -1, state = -1;
  std::size_t index = 0; ///< the row's RowKey::index
  double total = 0.0;      ///< total hazard of `row` when it changed
  EffectiveRow row;
};

/// One household through the horizon, visited only in the steps where something happens
/// to it. What happens then is the household rules' (household_rules.hpp); this class
/// decides when.
class EventHousehold {
public:
  EventHousehold(const SimulationContext& c, const HouseholdRules& rules, int variant, Tally& tally,
                 ClockBoundsCache& bounds)
      : c_(c), rules_(rules), links_(rules.links()), layout_(c.layout), model_(c.model), variant_(variant),
        model_variant_(c.model.variants[variant]), tally_(tally), domains_(layout_.domains),
        cycle_months_(layout_.cycle_months), steps_(layout_.steps), indicators_(!c.scenario.indicators.empty()),
        windows_(std::max(1, clock_window_months / layout_.cycle_months), steps_), refusion_domain_(rules.refusion_domain()),
        bounds_(bounds), occupancy_(tally, groups_) {}

  /// Visit by visit: household (moving away) → members (death) → spells ending (a
  /// transition each) → ageing → year end → links that changed.
  void run(int h, std::vector<std::string>* trace_lines) {
    start(h);
    const int size = static_cast<int>(members_.size());
    int begun = -1; // the step whose begin_step is done
    for (int t = 0;; ++t) {
      t = next_visit(t, trace_lines != nullptr);
      if (t >= steps_) break;
      if (t != begun) begin_step(t);
      if (t == moves_away_) {
        for (int i = 0; i < size; ++i)
          if (members_[i].alive) leave(i, t);
        break;
      }
      bool changed = false; // a state some link may condition on
      for (int i = 0; i < size; ++i) {
        const Member& member = members_[i];
        if (!member.alive) continue;
        if (trace_lines) trace(*trace_lines, i, t);
        if (t == member.dies) {
          leave(i, t);
          changed = true;
          continue;
        }
        end_spells(i, t, changed);
        if (t == member.ages) changed = age(i, t) || changed;
      }
      if (indicators_)
        if (const int year = rules_.year_ending_with(t); year >= 0) year_end(t, year);
      if (changed && links_.total > 0 && count_links()) linked_rows_may_change(t + 1);
      // A spell that starts in step t + 1 is looked at then (its cell, row and clock): at once,
      // rather than in a visit of its own. Nothing happens to the household between the end
      // of step t and the start of t + 1, so it is the same begin_step, and the visit to step
      // t + 1, if something else happens then, does not repeat it.
      if (changed && t + 1 < steps_) begin_step(begun = t + 1);
      // After step 0 (where ageing rules are first looked at, and say when they next are),
      // a lone spell chain goes on in a loop of its own.
      if (t == 0 && trace_lines == nullptr && lone_spell_chain()) return run_lone_spell_chain(begun);
    }
  }

private:
  /// Is the household one person in one domain to whom nothing happens within the horizon
  /// but their spell's moves and row changes: no death, ageing, moving away, year end or
  /// link? Then run()'s visits from step 1 on are run_lone_spell_chain's.
  [[nodiscard]] bool lone_spell_chain() const {
    return members_.size() == 1 && domains_ == 1 && !indicators_ && links_.total == 0 && moves_away_ >= steps_ &&
           members_[0].dies >= steps_ && members_[0].ages >= steps_;
  }
  /// run() from step 1 on for a lone spell chain (lone_spell_chain; `begun` as in run()): the
  /// same visits in the same order — the next step in which the spell's row may change or
  /// its clock runs out, its begin_step unless done, the move, and the next spell's
  /// begin_step at once — without looking at what cannot happen to such a household (the
  /// peer model's, and most one-adult cases'). tests/test_kernels.cpp checks it against run().
  /// Everything it calls is inlined into it (flatten), so that with member 0 and domain 0
  /// as constants the compiler drops what only several members or domains need: the same
  /// code as run()'s, compiled once more.
  [[gnu::flatten]] void run_lone_spell_chain(int begun) {
    const Spell& sp = spells_[0];
    for (;;) {
      if (!(members_[0].active & 1u)) return; // as next_visit: no spell, nothing to visit
      const int t = std::min(sp.refresh_at, sp.clock.runs_out);
      if (t >= steps_) return;
      if (t != begun) begin_step(t);
      if (sp.clock.runs_out != t) continue;
      transition(0, 0, t);
      if (t + 1 < steps_) begin_step(begun = t + 1);
    }
  }

  Spell& spell(int i, int d) { return spells_[static_cast<std::size_t>(i) * domains_ + d]; }
  const Spell& spell(int i, int d) const { return spells_[static_cast<std::size_t>(i) * domains_ + d]; }
  [[nodiscard]] int months_at(const Spell& sp, int t) const {
    return std::min(65535, sp.m0 + (t - sp.t0) * cycle_months_);
  }
  [[nodiscard]] int age_at(const Member& member, int t) const { return std::min(65535, member.age0 + t * cycle_months_); }

  /// The household at step 0: its members and their spells, when each dies, when it
  /// moves away, and the links that hold.
  void start(int h) {
    const Population& pop = c_.population;
    const std::uint32_t first = pop.household_first[h];
    const int size = pop.household_size[h];
    household_ = h;
    member_groups(c_, variant_, h, groups_);
    enrolled_ = variant_ > 0 && c_.enrolment[variant_].participant[h];
    members_.assign(static_cast<std::size_t>(size), Member{});
    spells_.assign(static_cast<std::size_t>(size) * domains_, Spell{});
    if (kept_.size() < spells_.size()) kept_.resize(spells_.size()); // told apart by household_
    for (int i = 0; i < size; ++i) {
      Member& member = members_[i];
      const std::uint32_t p = first + i;
      member.person = p;
      member.role = static_cast<Role>(pop.role[p]);
      member.age0 = pop.age_months[p];
      member.dies = death_step(model_, c_.streams, c_.iteration, p, member.role == Role::adult, member.age0,
                               cycle_months_, steps_);
      if (refusion_domain_ >= 0)
        member.clock = rules_.start_clock(p, pop.state[static_cast<std::size_t>(p) * domains_ + refusion_domain_]);
      for (int d = 0; d < domains_; ++d) {
        const int s = pop.state[static_cast<std::size_t>(p) * domains_ + d];
        if (s >= 0) start_spell(i, d, s, 0, pop.months_in_state[static_cast<std::size_t>(p) * domains_ + d]);
      }
    }
    moves_away_ = moving_step(model_, c_.streams, c_.iteration, static_cast<std::uint32_t>(h), steps_);
    if (links_.total > 0) count_links();
  }

  /// The first step from t on in which anything happens to the household (steps_ when
  /// nothing does within the horizon): it moves away, a year ends, a member dies or ages, a
  /// spell's clock runs out or its row may change. A traced
  /// household is visited every step.
  [[nodiscard]] int next_visit(int t, bool traced) const {
    int next = std::min(steps_, moves_away_);
    if (traced) next = std::min(next, t);
    if (indicators_) next = std::min(next, rules_.next_year_end(t, never));
    const int size = static_cast<int>(members_.size());
    for (int i = 0; i < size; ++i) {
      const Member& member = members_[i];
      if (!member.alive) continue;
      next = std::min({next, member.dies, member.ages});
      for (unsigned left = member.active; left; left &= left - 1) {
        const Spell& sp = spell(i, std::countr_zero(left));
        next = std::min({next, sp.refresh_at, sp.clock.runs_out});
      }
    }
    return next;
  }

  /// The start of step t: spells whose row may change now are looked at again (which may
  /// bring a clock's end to t); at a window boundary their clocks are the window's. (The
  /// other spells' clocks have looked ahead across the boundary already.)
  void begin_step(int t) {
    const bool new_window = windows_.begins_at(t);
    const int size = static_cast<int>(members_.size());
    for (int i = 0; i < size; ++i) {
      if (!members_[i].alive) continue;
      for (unsigned left = members_[i].active; left; left &= left - 1) {
        const int d = std::countr_zero(left);
        Spell& sp = spell(i, d);
        if (sp.refresh_at <= t) {
          sp.fresh = sp.fresh || new_window;
          refresh(i, d, t);
        } else if (sp.clock.looks_on && sp.clock.runs_out == t) {
          anchor_window(i, d, t);
          schedule(i, d);
        }
      }
    }
  }

  /// Member i's spells whose clock runs out in step t move on (`changed` if any does).
  void end_spells(int i, int t, bool& changed) {
    for (unsigned left = members_[i].active; left; left &= left - 1) {
      const int d = std::countr_zero(left);
      if (spell(i, d).clock.runs_out == t) {
        transition(i, d, t);
        changed = true;
      }
    }
  }

  /// Links condition on the household at the start of a step, and change rows only when a
  /// member's state changes (event-driven, see RowChange): when any member's conditions
  /// changed in a step (not only the counts: a self or household_other condition also
  /// turns on the member's own state, and one member may leave a job as another starts
  /// one), every linked row may change from step `from`. A refresh that finds the same
  /// hazard leaves the clock as it is.
  void linked_rows_may_change(int from) {
    const int size = static_cast<int>(members_.size());
    for (int i = 0; i < size; ++i)
      for (unsigned left = members_[i].active; left; left &= left - 1) {
        const int d = std::countr_zero(left);
        if (model_.domains[d].links) spell(i, d).refresh_at = std::min(spell(i, d).refresh_at, from);
      }
  }

  /// A spell in state s of domain d from step t, with m0 months in it already.
  void start_spell(int i, int d, int s, int t, int m0) {
    if (s < 0) {
      end_spell(i, d, t);
      return;
    }
    if (d == refusion_domain_) rules_.clock_enters(members_[i].clock, t * cycle_months_, s);
    Spell& sp = spell(i, d);
    sp.state = s;
    sp.t0 = t;
    sp.m0 = m0;
    sp.fresh = true;
    sp.clock.runs_out = never; // until its clock is drawn, at the refresh in step t
    sp.clock.looks_on = false;
    sp.refresh_at = t;
    members_[i].active |= 1u << d;
  }

  void end_spell(int i, int d, int t) {
    if (d == refusion_domain_) rules_.clock_enters(members_[i].clock, t * cycle_months_, -1);
    Spell& sp = spell(i, d);
    if (sp.open) occupancy_.leave(i, sp.cell, t);
    sp = Spell{};
    members_[i].active &= ~(1u << d);
  }

  /// Person i is no longer counted from step t (death, moving away).
  void leave(int i, int t) {
    for (unsigned left = members_[i].active; left; left &= left - 1) {
      Spell& sp = spell(i, std::countr_zero(left));
      if (sp.open) occupancy_.leave(i, sp.cell, t);
      sp.open = false;
    }
    members_[i].alive = false;
  }

  /// Spell (i, d) at step t: its cell, row and hazard as they are now and when they may
  /// change next; its clock keeps running at the new hazard (or is drawn, if fresh).
  void refresh(int i, int d, int t) {
    Spell& sp = spell(i, d);
    const ModelDomain& md = model_.domains[d];
    const int months = months_at(sp, t), month = t * cycle_months_;
    const SpellRow now =
        rules_.spell_row(md, d, sp.state, months, d == refusion_domain_ ? &members_[i].clock : nullptr, month,
                         members_[i].person);
    if (!sp.open || now.cell != sp.cell) {
      if (sp.open) occupancy_.leave(i, sp.cell, t);
      occupancy_.enter(i, now.cell, t);
      sp.open = true;
      sp.cell = now.cell;
    }
    sp.row = now.row.with_links(md.links ? holding_links(d, i, t) : 0u);
    double hazard = md.total_hazard[sp.row.index()];
    RowChange next;
    if (enrolled_ && !model_variant_.effects_from[d][sp.state].empty()) {
      const KeptRow& kept = effects_on(i, d, month);
      if (kept.row.changed) hazard = kept.total;
      next = rules_.next_row_change(now, months, month, &kept.row);
    } else {
      next = rules_.next_row_change(now, months, month, nullptr);
    }
    // Looked at again in the first step that starts at or after that month.
    sp.refresh_at = next.month >= RowChange::never ? never : cycle_months_ == 1 ? next.month : ceil_div(next.month, cycle_months_);
    // A link on age may start or stop holding at an age: the first step that starts at it.
    if (md.links && rules_.has_age_links(d)) {
      const Member& member = members_[i];
      const int age = rules_.next_age_link_change(d, age_at(member, t));
      if (age < RowChange::never) sp.refresh_at = std::min(sp.refresh_at, ceil_div(age - member.age0, cycle_months_));
    }
    if (sp.fresh) {
      sp.clock.hazard = hazard;
      new_clock(i, d, t);
      return;
    }
    change_hazard(i, d, hazard, t);
  }

  /// The word of spell (i, d)'s clock in window `window`: one block serves four windows.
  std::uint32_t window_word(int i, int d, int window) {
    Spell& sp = spell(i, d);
    if (sp.window_block != window / 4) {
      sp.window_block = window / 4;
      sp.window_words = c_.streams.block(Purpose::window_clock, c_.iteration, members_[i].person,
                                         static_cast<std::uint32_t>(window / 4) << 4 | static_cast<std::uint32_t>(d));
    }
    return sp.window_words[window % 4];
  }

  /// The clock of spell (i, d) is drawn afresh at the window boundary t (not yet as a number).
  void anchor_window(int i, int d, int t) {
    SpellClock& c = spell(i, d).clock;
    c.since = t;
    c.end = t + windows_.steps();
    c.word = window_word(i, d, windows_.index(t));
    c.lazy = true;
    c.stopped = false;
  }

  /// A new clock for spell (i, d) from step t: a new spell's, or at a window boundary the
  /// window's.
  void new_clock(int i, int d, int t) {
    Spell& sp = spell(i, d);
    sp.fresh = false;
    if (windows_.begins_at(t)) {
      anchor_window(i, d, t);
    } else {
      SpellClock& c = sp.clock;
      c.since = t;
      c.end = windows_.end_after(t);
      c.word = sp.next_clock_step == t ? sp.next_clock_word : spell_clock_word(i, d, t);
      c.lazy = true;
      c.stopped = false;
    }
    schedule(i, d);
  }

  /// The word of the clock of a spell of member i in domain d that starts in step t (not at a
  /// window boundary).
  std::uint32_t spell_clock_word(int i, int d, int t) const {
    return c_.streams.block(Purpose::spell_clock, c_.iteration, members_[i].person,
                            static_cast<std::uint32_t>(t) << 4 | static_cast<std::uint32_t>(d))[0];
  }
  /// The word that picks the destination of spell (i, d)'s move in step t.
  std::uint32_t move_word(int i, int d, int t) const {
    return c_.streams.block(Purpose::transition, c_.iteration, members_[i].person,
                            static_cast<std::uint32_t>(t) << 4 | static_cast<std::uint32_t>(d))[0];
  }
  /// Spell (i, d)'s clock runs out in step t: the words its move will use (Spell::move_step),
  /// drawn now, both at once. If the clock is moved on before then, they are not used.
  void draw_move(int i, int d, int t) {
    Spell& sp = spell(i, d);
    sp.move_step = t;
    if (t + 1 < steps_ && !windows_.begins_at(t + 1)) { // else no spell clock is drawn then
      // Both blocks at once (Streams::block_pair): the same words as move_word(i, d, t) and
      // spell_clock_word(i, d, t + 1), with the two Philox chains overlapping.
      const std::uint32_t person = members_[i].person, domain = static_cast<std::uint32_t>(d);
      const auto words = c_.streams.block_pair(Purpose::transition, person, static_cast<std::uint32_t>(t) << 4 | domain,
                                               Purpose::spell_clock, person,
                                               static_cast<std::uint32_t>(t + 1) << 4 | domain, c_.iteration);
      sp.move_word = words[0][0];
      sp.next_clock_step = t + 1;
      sp.next_clock_word = words[1][0];
    } else {
      sp.move_word = move_word(i, d, t);
    }
  }

  /// The clock of spell (i, d) anchored in the segment that step t is in: a later window's
  /// clock, drawn afresh at its boundary, when the anchor's segment is over by then.
  void anchor_at(int i, int d, int t) {
    if (t >= spell(i, d).clock.end) anchor_window(i, d, windows_.index(t) * windows_.steps());
  }

  /// From step t on the clock of spell (i, d) runs down at `hazard`. It keeps what is left of
  /// it (the hazard is memoryless); the same hazard, bit for bit, leaves it as it is.
  void change_hazard(int i, int d, double hazard, int t) {
    SpellClock& c = spell(i, d).clock;
    if (hazard == c.hazard) return;
    anchor_at(i, d, t);
    if (c.lazy) c.left = Streams::clock(c.word), c.lazy = false;
    c.left -= c.hazard * (t - c.since);
    c.since = t;
    c.hazard = hazard;
    c.stopped = false;
    schedule(i, d);
  }

  /// The clock of spell (i, d) ran out in step t on a row without a destination: it runs out
  /// in no later step of that segment (in the next window, it is drawn afresh).
  void stop_clock(int i, int d, int t) {
    anchor_at(i, d, t);
    spell(i, d).clock.stopped = true;
    schedule(i, d);
  }

  /// The step in which the clock of spell (i, d) runs out: in the anchor's segment, or in the
  /// first window after it in which the window's clock does (at the same hazard); never when
  /// it does not within the horizon. What the word alone decides needs no logarithm. The
  /// look-ahead stops at the first window boundary from the spell's next refresh on (its
  /// hazard may change there, and the look-ahead would be wasted), and after
  /// `look_ahead_windows` windows: the spell is then visited at that boundary to look on
  /// (`looks_on`).
  void schedule(int i, int d) {
    const Spell& sp = spell(i, d);
    SpellClock& c = spell(i, d).clock;
    c.runs_out = never;
    c.looks_on = false;
    if (!(c.hazard > 0.0)) return; // not in any window at this hazard
    const ClockBounds* bounds = nullptr;
    int since = c.since, end = c.end;
    const int look_until = std::min(sp.refresh_at, c.end + (look_ahead_windows - 1) * windows_.steps());
    bool lazy = c.lazy, stopped = c.stopped;
    std::uint32_t word = c.word;
    while (since < steps_) {
      if (!stopped) {
        int n = 0;
        if (lazy) {
          if (!bounds) bounds = bounds_.find(c.hazard);
          n = bounds ? bounds->steps_until(word, end - since) : 0;
          if (n == 0) n = steps_until(Streams::clock(word), c.hazard, never);
        } else {
          n = steps_until(c.left, c.hazard, never);
        }
        if (n - 1 < end - since) {
          c.runs_out = since + n - 1;
          if (c.runs_out < steps_) draw_move(i, d, c.runs_out);
          return;
        }
      }
      since = end;
      end += windows_.steps();
      lazy = true;
      stopped = false;
      if (since >= steps_) break;
      if (since >= look_until) {
        c.runs_out = since;
        c.looks_on = true;
        return;
      }
      word = window_word(i, d, windows_.index(since));
    }
  }

  /// The row the variant's effects make of spell (i, d)'s row in `month` (effective_row),
  /// and its total hazard: worked out again only when the state or the row differs from the
  /// kept one's, or the month is one in which an effect's weight may differ
  /// (EffectiveRow::next_change_month): until then effective_row would give the same row,
  /// bit for bit (the weights are the same), so a spell's refreshes and its transition, and
  /// the person's later spells in the state, share one.
  const KeptRow& effects_on(int i, int d, int month) {
    const Spell& sp = spell(i, d);
    KeptRow& kept = kept_[static_cast<std::size_t>(i) * domains_ + d];
    const std::size_t index = sp.row.index();
    if (kept.household != household_ || kept.state != sp.state || kept.index != index ||
        month >= kept.row.next_change_month) {
      kept.household = household_;
      kept.state = sp.state;
      kept.index = index;
      kept.row = effective_row(model_.domains[d], sp.row, model_variant_, c_.enrolment[variant_], d, sp.state,
                               household_, month);
      kept.total = kept.row.changed ? total_of(kept.row) : 0.0;
    }
    return kept;
  }

  /// Total hazard of a changed row: the sum of its hazards, or from the probabilities when
  /// a risk difference acts (a certain move has an infinite hazard).
  static double total_of(const EffectiveRow& row) {
    double total = 0.0;
    for (int j = 0; j < row.n; ++j) total += row.share[j];
    if (!row.risk) return total;
    return total >= 1.0 ? std::numeric_limits<double>::infinity() : -std::log1p(-total);
  }

  /// The clock of spell (i, d) ran out in step t: the destination, in proportion to the
  /// row's hazards (probabilities when a risk difference acts).
  void transition(int i, int d, int t) {
    Spell& sp = spell(i, d);
    const ModelDomain& md = model_.domains[d];
    const std::uint32_t start = md.row_start[sp.row.index()];
    const int n = md.row_length[sp.row.index()];
    const double* share = &md.hazard[start];
    if (enrolled_ && !model_variant_.effects_from[d][sp.state].empty()) {
      const EffectiveRow& row = effects_on(i, d, t * cycle_months_).row;
      if (row.changed) share = row.share.data();
    }
    double total = 0.0;
    for (int j = 0; j < n; ++j) total += share[j];
    const double target = Streams::unit(sp.move_step == t ? sp.move_word : move_word(i, d, t)) * total;
    int j = 0;
    double cum = 0.0;
    int last = -1;
    for (; j < n; ++j) {
      if (share[j] > 0.0) last = j;
      cum += share[j];
      if (target < cum && share[j] > 0.0) break;
    }
    if (j == n) j = last;
    if (j < 0) { // a clock cannot run out on a row without hazard
      stop_clock(i, d, t);
      return;
    }
    const int from = sp.state, to = md.destination[start + j];
    const std::size_t stride = static_cast<std::size_t>(steps_) * layout_.transitions;
    std::uint32_t* moves = tally_.moves.data() + static_cast<std::size_t>(t) * layout_.transitions +
                           layout_.transition_offset[d] + from * layout_.states[d] + to +
                           rules_.move_block(d, members_[i].person);
    for (int g : groups_.of(i)) ++moves[g * stride];
    start_spell(i, d, to, t + 1, 0);
  }

  /// Member i at the end of step t, as the household rules see them: spells they start or
  /// end start or end from step t + 1, months are those at the start of step t + 1.
  struct MemberView {
    EventHousehold& household;
    int i;
    int t;
    [[nodiscard]] int state(int d) const { return household.spell(i, d).state; }
    [[nodiscard]] int months(int d) const { return household.months_at(household.spell(i, d), t + 1); }
    [[nodiscard]] Role role() const { return household.members_[i].role; }
    [[nodiscard]] std::uint32_t id() const { return household.members_[i].person; }
    void end(int d) { household.end_spell(i, d, t + 1); }
    void start(int d, int s) { household.start_spell(i, d, s, t + 1, 0); }
  };

  /// Ageing at the end of step t; true when a state changed.
  bool age(int i, int t) {
    Member& member = members_[i];
    MemberView view{*this, i, t};
    const Ageing ageing = rules_.age(member.role, member.person, t, age_at(member, t), age_at(member, t + 1), view);
    member.role = ageing.role;
    member.ages = std::max(t + 1, ceil_div(ageing.next_age - cycle_months_ - member.age0, cycle_months_));
    return ageing.changed;
  }

  /// The indicators of the year that ends with step t.
  void year_end(int t, int year) {
    const int size = static_cast<int>(members_.size());
    for (int i = 0; i < size; ++i)
      if (members_[i].alive) rules_.count_indicators(MemberView{*this, i, t}, year, groups_.of(i), tally_);
  }

  /// Each living member's link conditions and their counts; true when a member's changed.
  bool count_links() {
    std::array<int, max_links> counts{};
    bool changed = false;
    for (std::size_t i = 0; i < members_.size(); ++i) {
      Member& member = members_[i];
      std::bitset<max_links> met;
      if (member.alive)
        met = links_.conditions_met([&](int domain) { return spell(static_cast<int>(i), domain).state; }, counts.data());
      changed = changed || met != member.conditions;
      member.conditions = met;
    }
    link_count_ = counts;
    return changed;
  }

  /// Domain d's links that hold for member i in step t.
  [[nodiscard]] unsigned holding_links(int d, int i, int t) const {
    return links_.holding(model_.domains[d], d, link_count_.data(), [&](int domain) { return spell(i, domain).state; }) |
           rules_.attribute_links(members_[i].person, d) | rules_.age_links(d, age_at(members_[i], t));
  }

  void trace(std::vector<std::string>& out, int i, int t) const {
    std::array<std::int8_t, max_domains> states{};
    std::array<int, max_domains> months{};
    for (int d = 0; d < domains_; ++d) {
      const Spell& sp = spell(i, d);
      states[d] = static_cast<std::int8_t>(sp.state);
      months[d] = sp.state >= 0 ? months_at(sp, t) : 0;
    }
    const Member& member = members_[i];
    out.push_back(trace_line(c_, variant_, household_, member.person, t * cycle_months_, age_at(member, t),
                             static_cast<int>(member.role), states.data(), months.data()));
  }

  const SimulationContext& c_;
  const HouseholdRules& rules_;
  const LinkTable& links_;
  const Layout& layout_;
  const TransitionModel& model_;
  int variant_;
  const ModelVariant& model_variant_;
  Tally& tally_;
  int domains_, cycle_months_, steps_;
  bool indicators_;
  ClockWindows windows_;
  int refusion_domain_; ///< the refusion clock's domain, -1 none
  ClockBoundsCache& bounds_;
  int household_ = 0;
  int moves_away_ = never; ///< the step in which the household moves away
  bool enrolled_ = false;
  std::array<int, max_links> link_count_{};
  MemberGroups groups_;
  OccupancyChanges occupancy_; ///< after groups_, which it counts in
  std::vector<Member> members_;
  std::vector<Spell> spells_; ///< [member * domains + d]
  std::vector<KeptRow> kept_; ///< [member * domains + d]: effects_on
};

} // namespace

Tally simulate_events(const SimulationContext& c, int variant, std::vector<std::vector<std::string>>& trace_lines,
                      const Tally* baseline) {
  const Layout& L = c.layout;
  const int groups = L.groups;
  const int indicators = static_cast<int>(c.scenario.indicators.size());
  auto empty_tally = [&] { return Tally(groups, L.steps, L.cells, L.transitions, L.points.size(), indicators); };
  const HouseholdRules rules(c);
  tbb::combinable<Tally> partial(empty_tally);
  const int window_steps = std::max(1, clock_window_months / L.cycle_months);
  tbb::enumerable_thread_specific<ClockBoundsCache> bounds(window_steps);
  const int H = c.population.households();
  const int traced = static_cast<int>(trace_lines.size());
  // A household the variant does not enrol lives exactly its baseline life (the same
  // random numbers, no effect): with the baseline's tally at hand, only the participants
  // are simulated, and the others are the baseline's everybody minus its participants of
  // this variant (group `variant` of the baseline tally, see tally.hpp).
  const bool participants_only = variant > 0 && baseline != nullptr;
  const std::vector<std::uint8_t>& enrolled = c.enrolment[variant].participant;
  tbb::parallel_for(tbb::blocked_range<int>(0, H, 64), [&](const tbb::blocked_range<int>& range) {
    if (c.cancel && c.cancel->load(std::memory_order_relaxed)) return;
    ClockBoundsCache& local_bounds = bounds.local();
    EventHousehold household(c, rules, variant, partial.local(), local_bounds);
    std::optional<Tally> scratch; // a traced household that is not counted here
    std::optional<EventHousehold> tracer;
    for (int h = range.begin(); h != range.end(); ++h) {
      std::vector<std::string>* lines = h < traced ? &trace_lines[h] : nullptr;
      if (!participants_only || enrolled[h]) {
        household.run(h, lines);
      } else if (lines) {
        if (!tracer) tracer.emplace(c, rules, variant, scratch.emplace(empty_tally()), local_bounds);
        tracer->run(h, lines);
      }
    }
  });
  Tally total = empty_tally();
  partial.combine_each([&](const Tally& t) { total.add(t); });
  sum_occupancy_changes(total);
  // Everybody = participants (simulated) + the rest (baseline everybody - baseline participants).
  if (participants_only) add_baseline_rest(total, *baseline, L, variant);
  return total;
}

} // namespace socinvest::kernel
