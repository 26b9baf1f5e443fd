#include <socinvest/interventions/enrolment.hpp>

#include <algorithm>
#include <bit>
#include <numeric>

namespace socinvest {

int Enrolment::participants() const {
  return static_cast<int>(std::count(participant.begin(), participant.end(), std::uint8_t{1}));
}

std::vector<std::vector<std::uint64_t>> case_departments(const Scenario& s) {
  std::vector<std::vector<std::uint64_t>> out(s.domains.size());
  for (std::size_t d = 0; d < s.domains.size(); ++d) out[d].assign(s.domains[d].states.size(), 0);
  for (const auto& c : s.state_costs)
    for (const auto& line : c.lines)
      if (line.amount.dist.mean() > 0.0 && line.department < 64) out[c.domain][c.state] |= 1ULL << line.department;
  return out;
}

bool is_eligible(const EligibilityRule& rule, const Population& pop, int h,
                 const std::vector<std::vector<std::uint64_t>>& cases) {
  const int D = pop.domains;
  const std::size_t first = pop.household_first[h], size = pop.household_size[h];
  switch (rule.kind) {
  case EligibilityRule::Kind::always: return true;
  case EligibilityRule::Kind::all_of:
    return std::all_of(rule.children.begin(), rule.children.end(),
                       [&](const auto& c) { return is_eligible(c, pop, h, cases); });
  case EligibilityRule::Kind::any_of:
    return std::any_of(rule.children.begin(), rule.children.end(),
                       [&](const auto& c) { return is_eligible(c, pop, h, cases); });
  case EligibilityRule::Kind::departments_with_cases: {
    std::uint64_t open = 0;
    for (std::size_t p = first; p < first + size; ++p)
      for (int d = 0; d < D; ++d) {
        int st = pop.state[p * D + d];
        if (st >= 0) open |= cases[d][st];
      }
    for (int dep : rule.including)
      if (!(open & (1ULL << dep))) return false;
    return std::popcount(open) >= rule.at_least;
  }
  case EligibilityRule::Kind::any_member:
    for (std::size_t p = first; p < first + size; ++p) {
      if (rule.role != Role::any && pop.role[p] != static_cast<std::uint8_t>(rule.role)) continue;
      int st = pop.state[p * D + rule.domain];
      int months = pop.months_in_state[p * D + rule.domain];
      if (st >= 0 && std::find(rule.states.begin(), rule.states.end(), st) != rule.states.end() &&
          months >= rule.min_months && months <= rule.max_months)
        return true;
    }
    return false;
  case EligibilityRule::Kind::has_children: {
    bool children = false;
    for (std::size_t p = first; p < first + size; ++p)
      children = children || pop.role[p] == static_cast<std::uint8_t>(Role::child);
    return children == (rule.at_least == 1); // at_least: 1 for has_children: true, 0 for false
  }
  }
  return false;
}

Enrolment schedule_enrolment(const Scenario& s, const ModelVariant& variant, const Population& pop,
                             const Streams& streams, std::uint32_t iteration) {
  Enrolment e;
  const int H = pop.households();
  const int months = s.run.horizon_months();
  const int I = static_cast<int>(variant.interventions.size());
  e.households = H;
  e.start.assign(static_cast<std::size_t>(I) * H, -1);
  e.end.assign(static_cast<std::size_t>(I) * H, -1);
  e.participant.assign(H, 0);
  e.counts.resize(I);
  auto cases = case_departments(s);
  for (int i = 0; i < I; ++i) {
    const ModelIntervention& iv = variant.interventions[i];
    EnrolmentCounts& c = e.counts[i];
    for (auto* v : {&c.enrolled_households, &c.new_households, &c.enrolled_adults, &c.enrolled_children,
                    &c.new_adults, &c.new_children})
      v->assign(months, 0);
    // Consent, and a random place in the queue (the register draw).
    std::vector<std::pair<std::uint32_t, int>> queue;
    int eligible = 0;
    for (int h = 0; h < H; ++h) {
      if (!is_eligible(*iv.eligible, pop, h, cases)) continue;
      ++eligible;
      auto w = streams.block(Purpose::enrolment, iteration, static_cast<std::uint32_t>(h),
                             static_cast<std::uint32_t>(iv.name_key));
      if (Streams::unit(w[0]) < iv.uptake) queue.emplace_back(w[1], h);
    }
    e.eligible_households.push_back(eligible);
    e.consenting_households.push_back(static_cast<int>(queue.size()));
    std::sort(queue.begin(), queue.end());
    // Month by month: admit while there is capacity and intake allows.
    std::vector<int> active_until; // end months of households holding a slot
    std::size_t next = 0;
    const int last = std::min(iv.end_month, months);
    for (int m = iv.start_month; m < last && next < queue.size(); ++m) {
      std::erase_if(active_until, [&](int end) { return end <= m; });
      int free = iv.capacity < 0 ? static_cast<int>(queue.size()) : iv.capacity - static_cast<int>(active_until.size());
      if (iv.intake_per_month > 0) free = std::min(free, iv.intake_per_month);
      for (; free > 0 && next < queue.size(); --free, ++next) {
        int h = queue[next].second;
        int end = std::min(m + iv.stay_months, iv.end_month);
        e.start[static_cast<std::size_t>(i) * H + h] = m;
        e.end[static_cast<std::size_t>(i) * H + h] = end;
        e.participant[h] = 1;
        active_until.push_back(end);
      }
    }
    // Counts by month, for costs per enrolled household or person.
    for (int h = 0; h < H; ++h) {
      int st = e.start[static_cast<std::size_t>(i) * H + h];
      if (st < 0) continue;
      int en = std::min(e.end[static_cast<std::size_t>(i) * H + h], months);
      int adults = 0, children = 0;
      for (std::size_t p = pop.household_first[h]; p < pop.household_first[h] + pop.household_size[h]; ++p)
        (pop.role[p] == static_cast<std::uint8_t>(Role::adult) ? adults : children)++;
      c.new_households[st] += 1;
      c.new_adults[st] += adults;
      c.new_children[st] += children;
      for (int m = st; m < en; ++m) {
        c.enrolled_households[m] += 1;
        c.enrolled_adults[m] += adults;
        c.enrolled_children[m] += children;
      }
    }
  }
  return e;
}

} // namespace socinvest
