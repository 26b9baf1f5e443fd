// The event kernel: the hot path. The model is the monthly one (simulate.hpp), stepped
// differently. A spell in a state gets an exponential(1) clock when it starts; every step
// the clock runs down by the row's total hazard, and the state is left in the step in
// which it runs out, to a destination drawn in proportion to the row's hazards. With a
// constant hazard that step is known in advance (steps_until), so a household is visited
// only in the steps where something happens to it:
//  * a spell's clock runs out (a move), or its months reach the next duration band;
//  * a member dies, the household moves away, a member's ageing rules apply;
//  * a member changes state in a way a linked domain conditions on (its rows change);
//  * an intervention's effect changes weight (ramp-up, end, decay);
//  * a year ends (indicators);
//  * a 12-month clock window begins (every clock is drawn afresh, see clock_window_months).
// When a row's hazard changes mid-spell the clock keeps what is left of it (the hazard is
// memoryless), so the per-step probabilities are exactly the row's. A row whose hazard is
// the same, bit for bit, leaves the clock as it is: an effect with ratio 1 changes nothing.
// Occupancy is tallied as differences (+1 where a person enters a cell, -1 where they leave)
// and summed over the steps once at the end; unsigned arithmetic makes that exact.
#include "montecarlo/kernel_common.hpp"

#include <tbb/blocked_range.h>
#include <tbb/combinable.h>
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

int ceil_div(int a, int b) { return a <= 0 ? a / b : (a + b - 1) / b; }

struct Member {
  std::uint32_t person = 0;
  bool alive = true;
  int role = 0;
  int age0 = 0;           ///< age in months at step 0
  int dies = never;       ///< the step in which the person dies
  int ages = 0;           ///< the step at whose end ageing rules may apply
  int next_age_event = 0; ///< in months of age
  unsigned active = 0;    ///< bit d: in domain d
  std::bitset<max_links> conditions; ///< bit l: meets link condition l (all domains' links, flat)
};

/// A person's spell in one domain.
struct Spell {
  int state = -1;
  bool open = false;  ///< counted in `cell` from some step on
  bool fresh = false; ///< new: draw its clock at the next refresh
  int cell = 0;
  int t0 = 0, m0 = 0; ///< m0 months in the state at step t0
  RowKey row;
  int refresh_at = never; ///< the next step whose row may differ (new band, effect weight)
  int exits = never;      ///< the step in which the clock runs out
  int segment = 0;        ///< the step from which `hazard` has applied
  double clock = 0.0;     ///< clock left at `segment`
  double hazard = 0.0;    ///< per step, of the current row
  int window_block = -1;  ///< which four windows `window_words` are for
  std::array<std::uint32_t, 4> window_words{};
};

class EventHousehold {
public:
  EventHousehold(const SimulationContext& c, const KernelTables& k, int variant, Tally& tally)
      : c_(c), K_(k), L_(c.layout), m_(c.model), v_(variant), mv_(c.model.variants[variant]), tally_(tally),
        D_(L_.domains), k_(L_.cycle_months), T_(L_.steps), indicators_(!c.scenario.indicators.empty()),
        window_(std::max(1, clock_window_months / L_.cycle_months)), links_(c.model) {}

  void run(int h, std::vector<std::string>* trace_lines) {
    const Population& pop = c_.population;
    const std::uint32_t first = pop.household_first[h];
    const int size = pop.household_size[h];
    h_ = h;
    household_groups(c_, v_, h, groups_);
    enrolled_ = v_ > 0 && c_.enrolment[v_].participant[h];
    members_.assign(static_cast<std::size_t>(size), Member{});
    spells_.assign(static_cast<std::size_t>(size) * D_, Spell{});
    for (int i = 0; i < size; ++i) {
      Member& m = members_[i];
      const std::uint32_t p = first + i;
      m.person = p;
      m.role = pop.role[p];
      m.age0 = pop.age_months[p];
      m.dies = death_step(m_, c_.streams, c_.iteration, p, m.role == static_cast<int>(Role::adult), m.age0, k_, T_);
      for (int d = 0; d < D_; ++d) {
        const int s = pop.state[static_cast<std::size_t>(p) * D_ + d];
        if (s >= 0) start_spell(i, d, s, 0, pop.months_in_state[static_cast<std::size_t>(p) * D_ + d]);
      }
    }
    const int moves = moving_step(m_, c_.streams, c_.iteration, static_cast<std::uint32_t>(h), T_);
    if (links_.total > 0) count_links();
    for (int t = 0;; ++t) {
      // The next step in which anything happens to the household.
      int next = std::min(T_, moves);
      if (trace_lines) next = std::min(next, t);
      if (indicators_) next = std::min(next, next_year_end(t));
      next = std::min(next, t > 0 && t % window_ == 0 ? t : (t / window_ + 1) * window_);
      for (int i = 0; i < size; ++i) {
        const Member& m = members_[i];
        if (!m.alive) continue;
        next = std::min({next, m.dies, m.ages});
        for (unsigned left = m.active; left; left &= left - 1) {
          const Spell& sp = spell(i, std::countr_zero(left));
          next = std::min({next, sp.refresh_at, sp.exits});
        }
      }
      if (next >= T_) break;
      t = next;
      // The start of step t: rows that change now (this may bring a clock's end to t), and
      // at a window boundary every clock drawn afresh.
      const bool new_window = t % window_ == 0;
      for (int i = 0; i < size; ++i) {
        if (!members_[i].alive) continue;
        for (unsigned left = members_[i].active; left; left &= left - 1) {
          const int d = std::countr_zero(left);
          Spell& sp = spell(i, d);
          if (sp.refresh_at <= t) {
            sp.fresh = sp.fresh || new_window;
            refresh(i, d, t);
          } else if (new_window) {
            window_clock(i, d, t);
          }
        }
      }
      if (t == moves) {
        for (int i = 0; i < size; ++i)
          if (members_[i].alive) leave(i, t);
        break;
      }
      bool changed = false;
      for (int i = 0; i < size; ++i) {
        Member& m = members_[i];
        if (!m.alive) continue;
        if (trace_lines) trace(*trace_lines, i, t);
        if (t == m.dies) {
          leave(i, t);
          changed = true;
          continue;
        }
        for (unsigned left = m.active; left; left &= left - 1) {
          const int d = std::countr_zero(left);
          if (spell(i, d).exits == t) {
            transition(i, d, t);
            changed = true;
          }
        }
        if (t == m.ages) changed = age(i, t) || changed;
      }
      if (indicators_ && ((t + 1) * k_) % 12 == 0) year_end(t, (t + 1) * k_ / 12 - 1);
      // Links condition on the household at the start of a step: rows may change from
      // t + 1 when any member's conditions changed (not only the counts: a self or
      // household_other condition also turns on the member's own state, and one member
      // may leave a job as another starts one). A refresh that finds the same hazard
      // leaves the clock as it is.
      if (changed && links_.total > 0 && count_links()) {
        for (int i = 0; i < size; ++i)
          for (unsigned left = members_[i].active; left; left &= left - 1) {
            const int d = std::countr_zero(left);
            if (m_.domains[d].links) spell(i, d).refresh_at = std::min(spell(i, d).refresh_at, t + 1);
          }
      }
    }
  }

private:
  Spell& spell(int i, int d) { return spells_[static_cast<std::size_t>(i) * D_ + d]; }
  const Spell& spell(int i, int d) const { return spells_[static_cast<std::size_t>(i) * D_ + d]; }
  [[nodiscard]] int months_at(const Spell& sp, int t) const { return std::min(65535, sp.m0 + (t - sp.t0) * k_); }
  [[nodiscard]] int age_at(const Member& m, int t) const { return std::min(65535, m.age0 + t * k_); }

  void count(int cell, int t, std::uint32_t delta) {
    if (t >= T_) return;
    const std::size_t stride = static_cast<std::size_t>(T_) * L_.cells;
    std::uint32_t* at = tally_.occupancy.data() + static_cast<std::size_t>(t) * L_.cells + cell;
    for (int g : groups_) at[g * stride] += delta;
  }
  void open(int cell, int t) { count(cell, t, 1u); }
  void close(int cell, int t) { count(cell, t, ~0u); } // -1, modulo 2^32

  /// A spell in state s of domain d from step t, with m0 months in it already.
  void start_spell(int i, int d, int s, int t, int m0) {
    if (s < 0) {
      end_spell(i, d, t);
      return;
    }
    Spell& sp = spell(i, d);
    sp.state = s;
    sp.t0 = t;
    sp.m0 = m0;
    sp.fresh = true;
    sp.exits = never;
    sp.refresh_at = t;
    members_[i].active |= 1u << d;
  }

  void end_spell(int i, int d, int t) {
    Spell& sp = spell(i, d);
    if (sp.open) close(sp.cell, t);
    sp = Spell{};
    members_[i].active &= ~(1u << d);
  }

  /// Person i is no longer counted from step t (death, moving away).
  void leave(int i, int t) {
    for (unsigned left = members_[i].active; left; left &= left - 1) {
      Spell& sp = spell(i, std::countr_zero(left));
      if (sp.open) close(sp.cell, t);
      sp.open = false;
    }
    members_[i].alive = false;
  }

  /// The spell's cell, row and hazard at step t; moves its clock's end if the hazard changed.
  void refresh(int i, int d, int t) {
    Spell& sp = spell(i, d);
    const int ds = K_.state_base[d] + sp.state;
    const int months = months_at(sp, t);
    const int band = K_.band[K_.band_offset[ds] + (months < K_.band_cap[ds] ? months : K_.band_cap[ds])];
    const int cell = K_.cell_offset[ds] + band;
    if (!sp.open || cell != sp.cell) {
      if (sp.open) close(sp.cell, t);
      open(cell, t);
      sp.open = true;
      sp.cell = cell;
    }
    const int upper = K_.upper[K_.upper_offset[ds] + band];
    sp.refresh_at = upper < 65535 ? sp.t0 + ceil_div(upper - sp.m0, k_) : never;
    const ModelDomain& md = m_.domains[d];
    sp.row = md.row_key(sp.state, band, md.links ? link_mask(d, i) : 0u);
    double hazard = md.total_hazard[sp.row.index()];
    if (enrolled_ && !mv_.effects_from[d][sp.state].empty()) {
      const EffectiveRow row = effective_row(md, sp.row, mv_, c_.enrolment[v_], d, sp.state, h_, t * k_);
      if (row.changed) hazard = total_of(row);
      if (row.next_change_month < ModelEffect::never_month)
        sp.refresh_at = std::min(sp.refresh_at, ceil_div(row.next_change_month, k_));
    }
    if (sp.fresh) {
      sp.hazard = hazard;
      restart_clock(i, d, t);
      return;
    }
    if (hazard != sp.hazard) {
      sp.clock -= sp.hazard * (t - sp.segment);
      sp.segment = t;
      sp.hazard = hazard;
    } else {
      return;
    }
    sp.exits = sp.segment + steps_until(sp.clock, sp.hazard, never) - 1;
  }

  /// A new clock for a running spell (i, d) at the window boundary t: one block serves
  /// four windows.
  void window_clock(int i, int d, int t) {
    Spell& sp = spell(i, d);
    const int window = t / window_;
    if (sp.window_block != window / 4) {
      sp.window_block = window / 4;
      sp.window_words = c_.streams.block(Purpose::window_clock, c_.iteration, members_[i].person,
                                         static_cast<std::uint32_t>(window / 4) << 4 | static_cast<std::uint32_t>(d));
    }
    sp.segment = t;
    sp.clock = Streams::clock(sp.window_words[window % 4]);
    sp.exits = sp.segment + steps_until(sp.clock, sp.hazard, never) - 1;
  }

  /// A new clock for spell (i, d) from step t (a new spell, or a window boundary).
  void restart_clock(int i, int d, int t) {
    if (t % window_ == 0 && t > 0) {
      spell(i, d).fresh = false;
      window_clock(i, d, t);
      return;
    }
    Spell& sp = spell(i, d);
    sp.fresh = false;
    sp.segment = t;
    sp.clock = Streams::clock(c_.streams.block(Purpose::spell_clock, c_.iteration, members_[i].person,
                                               static_cast<std::uint32_t>(t) << 4 | static_cast<std::uint32_t>(d))[0]);
    sp.exits = sp.segment + steps_until(sp.clock, sp.hazard, never) - 1;
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
    const ModelDomain& md = m_.domains[d];
    const std::uint32_t start = md.row_start[sp.row.index()];
    const int n = md.row_length[sp.row.index()];
    const double* share = &md.hazard[start];
    EffectiveRow row;
    if (enrolled_ && !mv_.effects_from[d][sp.state].empty()) {
      row = effective_row(md, sp.row, mv_, c_.enrolment[v_], d, sp.state, h_, t * k_);
      if (row.changed) share = row.share.data();
    }
    double total = 0.0;
    for (int j = 0; j < n; ++j) total += share[j];
    const double target = Streams::unit(c_.streams.block(Purpose::transition, c_.iteration, members_[i].person,
                                                         static_cast<std::uint32_t>(t) << 4 | static_cast<std::uint32_t>(d))[0]) *
                          total;
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
      sp.exits = never;
      return;
    }
    const int from = sp.state, to = md.destination[start + j];
    const std::size_t stride = static_cast<std::size_t>(T_) * L_.transitions;
    std::uint32_t* moves = tally_.moves.data() + static_cast<std::size_t>(t) * L_.transitions +
                           L_.transition_offset[d] + from * L_.states[d] + to;
    for (int g : groups_) ++moves[g * stride];
    start_spell(i, d, to, t + 1, 0);
  }

  /// Ageing rules at the end of step t (leaving and entering domains, becoming an adult);
  /// true when a state changed.
  bool age(int i, int t) {
    Member& m = members_[i];
    const int before = age_at(m, t), now = age_at(m, t + 1);
    if (m.role == static_cast<int>(Role::child) && now >= 18 * 12) m.role = static_cast<int>(Role::adult);
    std::array<std::uint32_t, 4> words{};
    int words_block = -1;
    auto word = [&](int d) {
      if (words_block != d / 4) {
        words_block = d / 4;
        words = c_.streams.block(Purpose::ageing, c_.iteration, m.person, static_cast<std::uint32_t>(t) * 4 + d / 4);
      }
      return Streams::unit(words[d % 4]);
    };
    bool changed = false;
    for (int d = 0; d < D_; ++d) {
      if (spell(i, d).state >= 0) {
        if (K_.scope[d].covers(static_cast<Role>(m.role), now)) continue;
        const Domain& dom = c_.scenario.domains[d];
        const int leaving = spell(i, d).state;
        end_spell(i, d, t + 1);
        if (dom.on_leaving && dom.on_leaving->to_domain >= 0) {
          const int to = dom.on_leaving->to_domain;
          start_spell(i, to, dom.on_leaving->map[leaving].draw(word(d)), t + 1, 0);
        }
        changed = true;
      } else if (before < K_.scope[d].first_month && now >= K_.scope[d].first_month && K_.scope[d].covers(static_cast<Role>(m.role), now) &&
                 !c_.scenario.domains[d].entry.empty()) {
        start_spell(i, d, c_.scenario.domains[d].entry.draw(word(d)), t + 1, 0);
        changed = true;
      }
    }
    int next = m.role == static_cast<int>(Role::child) ? 18 * 12 : 65535;
    for (int d = 0; d < D_; ++d) {
      if (spell(i, d).state >= 0) next = std::min(next, K_.scope[d].end_month);
      else if (now < K_.scope[d].first_month && !c_.scenario.domains[d].entry.empty()) next = std::min(next, K_.scope[d].first_month);
    }
    m.next_age_event = std::clamp(next, now + 1, 65535);
    m.ages = std::max(t + 1, ceil_div(m.next_age_event - k_ - m.age0, k_));
    return changed;
  }

  [[nodiscard]] int next_year_end(int t) const {
    for (int u = t; u < t + 12; ++u)
      if (((u + 1) * k_) % 12 == 0) return (u + 1) * k_ / 12 - 1 < L_.years ? u : never;
    return never;
  }

  /// Indicators after step t: states then, months in them at the start of step t + 1.
  void year_end(int t, int year) {
    if (year >= L_.years) return;
    const auto& indicators = c_.scenario.indicators;
    for (std::size_t i = 0; i < members_.size(); ++i) {
      const Member& m = members_[i];
      if (!m.alive) continue;
      for (std::size_t k = 0; k < indicators.size(); ++k) {
        const Indicator& ind = indicators[k];
        if (ind.role != Role::any && m.role != static_cast<int>(ind.role)) continue;
        const Spell& sp = spell(static_cast<int>(i), ind.domain);
        const int s = sp.state;
        if (s < 0) continue;
        bool base = true, met = false;
        if (ind.kind == Indicator::Kind::share_in_states) {
          met = std::find(ind.states.begin(), ind.states.end(), s) != ind.states.end() &&
                months_at(sp, t + 1) >= ind.min_months;
        } else {
          const int s0 = c_.population.state[static_cast<std::size_t>(m.person) * D_ + ind.domain];
          base = s0 >= 0 && ind.rank[s0] >= 0 && ind.rank[s] >= 0;
          met = base && ind.rank[s] < ind.rank[s0];
        }
        if (!base) continue;
        for (int g : groups_) {
          const std::size_t idx = tally_.indicator_index(g, year, static_cast<int>(k));
          ++tally_.indicator_base[idx];
          if (met) ++tally_.indicator_met[idx];
        }
      }
    }
  }

  /// Each living member's link conditions and their counts; true when a member's changed.
  bool count_links() {
    std::array<int, max_links> counts{};
    bool changed = false;
    for (std::size_t i = 0; i < members_.size(); ++i) {
      Member& m = members_[i];
      std::bitset<max_links> bits;
      if (m.alive)
        for (int l = 0; l < links_.total; ++l) {
          const int st = spell(static_cast<int>(i), links_.conditions[l].domain).state;
          if (st >= 0 && (links_.conditions[l].states >> st & 1u)) {
            bits.set(static_cast<std::size_t>(l));
            ++counts[l];
          }
        }
      changed = changed || bits != m.conditions;
      m.conditions = bits;
    }
    link_count_ = counts;
    return changed;
  }

  [[nodiscard]] unsigned link_mask(int d, int i) const {
    return links_.mask(m_.domains[d], d, link_count_.data(), [&](int domain) { return spell(i, domain).state; });
  }


  void trace(std::vector<std::string>& out, int i, int t) const {
    std::array<std::int8_t, max_domains> states{};
    std::array<int, max_domains> months{};
    for (int d = 0; d < D_; ++d) {
      const Spell& sp = spell(i, d);
      states[d] = static_cast<std::int8_t>(sp.state);
      months[d] = sp.state >= 0 ? months_at(sp, t) : 0;
    }
    const Member& m = members_[i];
    out.push_back(trace_line(c_, v_, h_, m.person, t * k_, age_at(m, t), m.role, states.data(), months.data()));
  }

  const SimulationContext& c_;
  const KernelTables& K_;
  const Layout& L_;
  const TransitionModel& m_;
  int v_;
  const ModelVariant& mv_;
  Tally& tally_;
  int D_, k_, T_;
  bool indicators_;
  int window_; ///< steps between clock windows
  int h_ = 0;
  bool enrolled_ = false;
  LinkTable links_;
  std::array<int, max_links> link_count_{};
  std::vector<int> groups_;
  std::vector<Member> members_;
  std::vector<Spell> spells_; ///< [member * domains + d]
};

} // namespace

Tally simulate_events(const SimulationContext& c, int variant, std::vector<std::vector<std::string>>& trace_lines,
                      const Tally* baseline) {
  const Layout& L = c.layout;
  const int groups = static_cast<int>(c.scenario.variants.size());
  const int indicators = static_cast<int>(c.scenario.indicators.size());
  auto empty_tally = [&] { return Tally(groups, L.steps, L.cells, L.transitions, L.years, indicators); };
  const KernelTables tables(c.scenario, L);
  tbb::combinable<Tally> partial(empty_tally);
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
    EventHousehold household(c, tables, variant, partial.local());
    std::optional<Tally> scratch; // a traced household that is not counted here
    std::optional<EventHousehold> tracer;
    for (int h = range.begin(); h != range.end(); ++h) {
      std::vector<std::string>* lines = h < traced ? &trace_lines[h] : nullptr;
      if (!participants_only || enrolled[h]) {
        household.run(h, lines);
      } else if (lines) {
        if (!tracer) tracer.emplace(c, tables, variant, scratch.emplace(empty_tally()));
        tracer->run(h, lines);
      }
    }
  });
  Tally total = empty_tally();
  partial.combine_each([&](const Tally& t) { total.add(t); });
  // Occupancy was counted as differences between steps: sum them up.
  for (int g = 0; g < total.groups; ++g)
    for (int t = 1; t < total.steps; ++t) {
      std::uint32_t* now = total.occupancy.data() + (static_cast<std::size_t>(g) * total.steps + t) * total.cells;
      const std::uint32_t* before = now - total.cells;
      for (int cell = 0; cell < total.cells; ++cell) now[cell] += before[cell];
    }
  if (participants_only) {
    // Everybody = participants (simulated) + the rest (baseline everybody - baseline
    // participants); unsigned arithmetic, exact.
    auto add_rest = [&](std::vector<std::uint32_t>& out, const std::vector<std::uint32_t>& base) {
      const std::size_t block = out.size() / static_cast<std::size_t>(total.groups);
      const std::uint32_t* all = base.data();
      const std::uint32_t* enrolled_part = base.data() + static_cast<std::size_t>(variant) * block;
      for (std::size_t k = 0; k < block; ++k) out[k] += all[k] - enrolled_part[k];
    };
    add_rest(total.occupancy, baseline->occupancy);
    add_rest(total.moves, baseline->moves);
    add_rest(total.indicator_met, baseline->indicator_met);
    add_rest(total.indicator_base, baseline->indicator_base);
  }
  return total;
}

} // namespace socinvest::kernel
