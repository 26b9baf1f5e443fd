// The monthly kernel: the reference against which the event kernel (event_kernel.cpp) is
// checked. It does literally what the model says, step by step: per person and step one
// Philox block (up to three domains), the duration band, a scan of the row's cumulative
// thresholds, integer increments of the tally. Deaths and moving away come from the same
// clocks as in the event kernel (model/transition_model.hpp), which the enrolment also uses.
#include "montecarlo/kernel_common.hpp"

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

using kernel::KernelTables;
using kernel::LinkTable;
using kernel::max_domains;
using kernel::max_links;
using kernel::max_row;

struct Working {
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
  // Per person and domain, what the current (state, duration band) means, kept until the
  // state changes or the months in it reach the next band: the tally cell, the row (for
  // no active links) and the months at which the band changes.
  std::vector<std::uint32_t> cell;
  std::vector<RowKey> row;
  std::vector<std::uint16_t> band_ends;
};


inline int pick(const std::uint32_t* threshold, const std::uint8_t* destination, int n, std::uint32_t word) {
  for (int j = 0; j < n; ++j)
    if (word < threshold[j]) return destination[j];
  return -1;
}

/// Recomputes the cached cell, row and band end of person-domain `idx` in domain d.
inline void refresh(Working& w, const KernelTables& K, const ModelDomain& md, int d, std::size_t idx) {
  const int s = w.state[idx];
  const int ds = K.state_base[d] + s;
  const int mis = w.months[idx];
  const int band = K.band[K.band_offset[ds] + (mis < K.band_cap[ds] ? mis : K.band_cap[ds])];
  w.cell[idx] = static_cast<std::uint32_t>(K.cell_offset[ds] + band);
  w.row[idx] = md.row_key(s, band, 0u);
  w.band_ends[idx] = K.upper[K.upper_offset[ds] + band];
}

using Block = std::array<std::uint32_t, 4>;

class HouseholdSimulator {
public:
  HouseholdSimulator(const SimulationContext& c, const KernelTables& k, int variant, Tally& tally, Working& w)
      : c_(c), K_(k), L_(c.layout), m_(c.model), v_(variant), mv_(c.model.variants[variant]), tally_(tally), w_(w),
        D_(L_.domains), links_(c.model) {}

  void run(int h, std::vector<std::string>* trace_lines) {
    const Population& pop = c_.population;
    const std::uint32_t first = pop.household_first[h];
    const int size = pop.household_size[h];
    kernel::household_groups(c_, v_, h, groups_);
    const bool enrolled = v_ > 0 && c_.enrolment[v_].participant[h];
    const int k = L_.cycle_months;
    const int T = L_.steps;
    // All random blocks this household needs, generated up front in one tight loop per
    // member: the generator vectorises there, and the keys are the same as one by one.
    blocks_.resize(static_cast<std::size_t>(size) * T);
    for (int i = 0; i < size; ++i) {
      Block* out = &blocks_[static_cast<std::size_t>(i) * T];
      const std::uint32_t p = first + i;
      for (int t = 0; t < T; ++t) out[t] = c_.streams.block(Purpose::step, c_.iteration, p, static_cast<std::uint32_t>(t));
    }
    const int moves = moving_step(m_, c_.streams, c_.iteration, static_cast<std::uint32_t>(h), T);
    death_.resize(static_cast<std::size_t>(size));
    for (int i = 0; i < size; ++i)
      death_[i] = death_step(m_, c_.streams, c_.iteration, first + i, pop.role[first + i] == static_cast<std::uint8_t>(Role::adult),
                             pop.age_months[first + i], k, T);
    for (int t = 0; t < T; ++t) {
      const int month = t * k;
      if (t == moves) {
        for (int i = 0; i < size; ++i) w_.alive[first + i] = 0;
        break;
      }
      if (links_.total > 0) count_link_conditions(first, size);
      for (int i = 0; i < size; ++i) {
        const std::uint32_t p = first + i;
        if (!w_.alive[p]) continue;
        if (trace_lines) trace_line(*trace_lines, h, p, month);
        if (t == death_[i]) {
          w_.alive[p] = 0;
          continue;
        }
        step_person(p, blocks_[static_cast<std::size_t>(i) * T + t], h, t, month, enrolled);
      }
      if ((month + k) % 12 == 0) year_end(first, size, (month + k) / 12 - 1);
    }
  }

private:
  void count_link_conditions(std::uint32_t first, int size) {
    const int L = links_.total;
    const int D = D_;
    const ModelDomain::LinkCondition* conditions = links_.conditions.data();
    const std::int8_t* states = w_.state.data();
    const std::uint8_t* alive = w_.alive.data();
    std::array<int, max_links> count{};
    for (int i = 0; i < size; ++i) {
      const std::uint32_t p = first + i;
      if (!alive[p]) continue;
      const std::int8_t* mine = states + static_cast<std::size_t>(p) * D;
      for (int l = 0; l < L; ++l) {
        const int st = mine[conditions[l].domain];
        count[l] += (st >= 0 && (conditions[l].states >> st & 1u)) ? 1 : 0;
      }
    }
    std::copy(count.begin(), count.begin() + L, link_count_.begin());
  }

  unsigned link_mask(int d, const std::int8_t* self) const {
    return links_.mask(m_.domains[d], d, link_count_.data(), [&](int domain) { return static_cast<int>(self[domain]); });
  }

  void step_person(std::uint32_t p, const Block& words, int h, int t, int month, bool enrolled) {
    // Everything the step reads, in local variables: the stores below go through int8
    // pointers, which may alias anything, so members would be reloaded after every store.
    const int k = L_.cycle_months;
    const int D = D_;
    const int* transition_offset = L_.transition_offset.data();
    const int* states = L_.states.data();
    const ModelDomain* domains = m_.domains.data();
    const int* groups = groups_.data();
    const std::size_t group_count = groups_.size();
    const std::size_t occupancy_stride = static_cast<std::size_t>(L_.steps) * L_.cells;
    const std::size_t moves_stride = static_cast<std::size_t>(L_.steps) * L_.transitions;
    std::uint32_t* occupancy = tally_.occupancy.data() + static_cast<std::size_t>(t) * L_.cells;
    std::uint32_t* moves = tally_.moves.data() + static_cast<std::size_t>(t) * L_.transitions;
    std::array<std::uint32_t, 4> more{};
    int more_block = -1;
    std::int8_t* state = w_.state.data() + static_cast<std::size_t>(p) * D;
    std::uint16_t* months = w_.months.data() + static_cast<std::size_t>(p) * D;
    const std::uint32_t* cells = w_.cell.data();
    const RowKey* rows = w_.row.data();
    const std::uint16_t* band_ends = w_.band_ends.data();
    std::array<std::int8_t, max_domains> before{};
    for (int d = 0; d < D; ++d) before[d] = state[d];
    for (unsigned domains_left = w_.active[p]; domains_left; domains_left &= domains_left - 1) {
      const int d = std::countr_zero(domains_left);
      const int s = before[d];
      const std::size_t idx = static_cast<std::size_t>(p) * D + d;
      const int mis = months[d];
      const ModelDomain& md = domains[d];
      if (mis >= band_ends[idx]) refresh(w_, K_, md, d, idx); // crossed into the next duration band
      const int cell = cells[idx];
      ++occupancy[cell];
      for (std::size_t g = 1; g < group_count; ++g) ++occupancy[groups[g] * occupancy_stride + cell];
      const unsigned mask = md.links ? link_mask(d, before.data()) : 0u;
      const RowKey row = rows[idx].with_links(mask);
      const std::size_t r = row.index();
      const int n = md.row_length[r];
      if (d >= 3 && more_block != (d - 3) / 4) { // domains 3-6, 7-10, ...: one more block each
        more_block = (d - 3) / 4;
        more = c_.streams.block(Purpose::step_more, c_.iteration, p, static_cast<std::uint32_t>(t) * 4 + more_block);
      }
      const std::uint32_t word = d < 3 ? words[1 + d] : more[(d - 3) % 4];
      int dest = -1;
      if (enrolled && !mv_.effects_from[d][s].empty())
        dest = pick_with_effects(md, row, n, d, s, h, month, word);
      else if (n)
        dest = pick(md.threshold.data() + md.row_start[r], md.destination.data() + md.row_start[r], n, word);
      if (dest >= 0) {
        state[d] = static_cast<std::int8_t>(dest);
        months[d] = 0;
        refresh(w_, K_, md, d, idx);
        const int tr = transition_offset[d] + s * states[d] + dest;
        for (std::size_t g = 0; g < group_count; ++g) ++moves[groups[g] * moves_stride + tr];
      } else {
        months[d] = static_cast<std::uint16_t>(mis + k < 65535 ? mis + k : 65535);
      }
    }
    if (w_.age[p] + k >= w_.next_age_event[p]) age(p, t, state, months);
    else w_.age[p] = static_cast<std::uint16_t>(w_.age[p] + k);
  }

  /// The row of an enrolled person, with the intervention's effects at their current weight.
  int pick_with_effects(const ModelDomain& md, RowKey r, int n, int d, int s, int h, int month,
                        std::uint32_t word) const {
    const std::uint32_t start = md.row_start[r.index()];
    const kernel::EffectiveRow row = kernel::effective_row(md, r, mv_, c_.enrolment[v_], d, s, h, month);
    if (!row.changed) return pick(&md.threshold[start], &md.destination[start], n, word);
    std::array<double, max_row> p{};
    if (row.risk) p = row.share;
    else probabilities_from_hazards(row.share.data(), n, p.data());
    std::array<std::uint32_t, max_row> threshold{};
    thresholds_from_probabilities(p.data(), n, threshold.data());
    return pick(threshold.data(), &md.destination[start], n, word);
  }

  void age(std::uint32_t p, int t, std::int8_t* state, std::uint16_t* months) {
    const int k = L_.cycle_months;
    const int before = w_.age[p];
    const int now = std::min(65535, before + k);
    w_.age[p] = static_cast<std::uint16_t>(now);
    if (now < w_.next_age_event[p]) return;
    if (w_.role[p] == static_cast<std::uint8_t>(Role::child) && now >= 18 * 12)
      w_.role[p] = static_cast<std::uint8_t>(Role::adult);
    const int role = w_.role[p];
    std::array<std::uint32_t, 4> words{};
    int words_block = -1;
    auto word = [&](int d) {
      if (words_block != d / 4) {
        words_block = d / 4;
        words = c_.streams.block(Purpose::ageing, c_.iteration, p, static_cast<std::uint32_t>(t) * 4 + d / 4);
      }
      return Streams::unit(words[d % 4]);
    };
    bool changed = false;
    for (int d = 0; d < D_; ++d) {
      if (state[d] >= 0) {
        if (K_.scope[d].covers(static_cast<Role>(role), now)) continue;
        const Domain& dom = c_.scenario.domains[d];
        if (dom.on_leaving && dom.on_leaving->to_domain >= 0) {
          const int to = dom.on_leaving->to_domain;
          int st = dom.on_leaving->map[state[d]].draw(word(d));
          state[to] = static_cast<std::int8_t>(st);
          months[to] = 0;
          if (st >= 0) refresh(w_, K_, m_.domains[to], to, static_cast<std::size_t>(p) * D_ + to);
        }
        state[d] = -1;
        months[d] = 0;
        changed = true;
      } else if (before < K_.scope[d].first_month && now >= K_.scope[d].first_month && K_.scope[d].covers(static_cast<Role>(role), now) &&
                 !c_.scenario.domains[d].entry.empty()) {
        state[d] = static_cast<std::int8_t>(c_.scenario.domains[d].entry.draw(word(d)));
        months[d] = 0;
        if (state[d] >= 0) refresh(w_, K_, m_.domains[d], d, static_cast<std::size_t>(p) * D_ + d);
        changed = true;
      }
    }
    if (changed) {
      std::uint16_t mask = 0;
      for (int d = 0; d < D_; ++d)
        if (state[d] >= 0) mask = static_cast<std::uint16_t>(mask | (1u << d));
      w_.active[p] = mask;
    }
    int next = w_.role[p] == static_cast<std::uint8_t>(Role::child) ? 18 * 12 : 65535;
    for (int d = 0; d < D_; ++d) {
      if (state[d] >= 0) next = std::min(next, K_.scope[d].end_month);
      else if (now < K_.scope[d].first_month && !c_.scenario.domains[d].entry.empty()) next = std::min(next, K_.scope[d].first_month);
    }
    w_.next_age_event[p] = static_cast<std::uint16_t>(std::clamp(next, now + 1, 65535));
  }

  void year_end(std::uint32_t first, int size, int year) {
    const auto& indicators = c_.scenario.indicators;
    if (indicators.empty() || year >= L_.years) return;
    for (int i = 0; i < size; ++i) {
      const std::uint32_t p = first + i;
      if (!w_.alive[p]) continue;
      for (std::size_t k = 0; k < indicators.size(); ++k) {
        const Indicator& ind = indicators[k];
        if (ind.role != Role::any && w_.role[p] != static_cast<std::uint8_t>(ind.role)) continue;
        const int s = w_.state[static_cast<std::size_t>(p) * D_ + ind.domain];
        if (s < 0) continue;
        bool base = true, met = false;
        if (ind.kind == Indicator::Kind::share_in_states) {
          met = std::find(ind.states.begin(), ind.states.end(), s) != ind.states.end() &&
                w_.months[static_cast<std::size_t>(p) * D_ + ind.domain] >= ind.min_months;
        } else {
          const int s0 = c_.population.state[static_cast<std::size_t>(p) * D_ + ind.domain];
          base = s0 >= 0 && ind.rank[s0] >= 0 && ind.rank[s] >= 0;
          met = base && ind.rank[s] < ind.rank[s0];
        }
        if (!base) continue;
        for (int g : groups_) {
          std::size_t idx = tally_.indicator_index(g, year, static_cast<int>(k));
          ++tally_.indicator_base[idx];
          if (met) ++tally_.indicator_met[idx];
        }
      }
    }
  }

  void trace_line(std::vector<std::string>& out, int h, std::uint32_t p, int month) const {
    std::array<int, max_domains> months{};
    for (int d = 0; d < D_; ++d) months[d] = w_.months[static_cast<std::size_t>(p) * D_ + d];
    out.push_back(kernel::trace_line(c_, v_, h, p, month, w_.age[p], w_.role[p],
                                     &w_.state[static_cast<std::size_t>(p) * D_], months.data()));
  }

  const SimulationContext& c_;
  const KernelTables& K_;
  const Layout& L_;
  const TransitionModel& m_;
  int v_;
  const ModelVariant& mv_;
  Tally& tally_;
  Working& w_;
  int D_;
  LinkTable links_;
  std::array<int, max_links> link_count_{};
  std::vector<int> groups_;
  std::vector<int> death_;
  std::vector<Block> blocks_;
};

} // namespace

namespace kernel {

Tally simulate_monthly(const SimulationContext& c, int variant, std::vector<std::vector<std::string>>& trace_lines) {
  const Layout& L = c.layout;
  const Population& pop = c.population;
  const int groups = static_cast<int>(c.scenario.variants.size());
  const int indicators = static_cast<int>(c.scenario.indicators.size());
  auto empty_tally = [&] { return Tally(groups, L.steps, L.cells, L.transitions, L.years, indicators); };
  const KernelTables tables(c.scenario, L);
  Working w{pop.role, pop.age_months, pop.state, pop.months_in_state, std::vector<std::uint8_t>(pop.role.size(), 1),
            std::vector<std::uint16_t>(pop.role.size(), 0), std::vector<std::uint16_t>(pop.role.size(), 0),
            std::vector<std::uint32_t>(pop.state.size(), 0), std::vector<RowKey>(pop.state.size()),
            std::vector<std::uint16_t>(pop.state.size(), 0)};
  for (std::size_t p = 0; p < pop.role.size(); ++p)
    for (int d = 0; d < L.domains; ++d)
      if (pop.state[p * L.domains + d] >= 0) {
        w.active[p] = static_cast<std::uint16_t>(w.active[p] | (1u << d));
        refresh(w, tables, c.model.domains[d], d, p * L.domains + d);
      }
  tbb::combinable<Tally> partial(empty_tally);
  const int H = pop.households();
  const int traced = static_cast<int>(trace_lines.size());
  tbb::parallel_for(tbb::blocked_range<int>(0, H, 64), [&](const tbb::blocked_range<int>& range) {
    if (c.cancel && c.cancel->load(std::memory_order_relaxed)) return;
    Tally& tally = partial.local();
    HouseholdSimulator sim(c, tables, variant, tally, w);
    for (int h = range.begin(); h != range.end(); ++h) sim.run(h, h < traced ? &trace_lines[h] : nullptr);
  });
  Tally total = empty_tally();
  partial.combine_each([&](const Tally& t) { total.add(t); });
  return total;
}

} // namespace kernel

} // namespace socinvest
