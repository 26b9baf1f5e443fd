#include <socinvest/interventions/enrolment.hpp>

#include <algorithm>
#include <array>
#include <bit>
#include <cmath>
#include <limits>
#include <numeric>
#include <variant>

namespace socinvest {

int Enrolment::participants() const {
  return static_cast<int>(std::count(participant.begin(), participant.end(), std::uint8_t{1}));
}

std::vector<std::vector<std::uint64_t>> case_departments(const Scenario& s) {
  std::vector<std::vector<std::uint64_t>> out(s.domains.size());
  for (std::size_t d = 0; d < s.domains.size(); ++d) out[d].assign(s.domains[d].states.size(), 0);
  // Cases are held by the municipality's (and region's) departments; the state paying a
  // student grant or a fund paying a project is not a case.
  for (const auto& c : s.state_costs)
    for (const auto& line : c.lines) {
      const FinancingLevel level = s.departments[line.department].level;
      if (line.amount.dist.mean() > 0.0 && line.department < 64 &&
          (level == FinancingLevel::municipality || level == FinancingLevel::region))
        out[c.domain][c.state] |= 1ULL << line.department;
    }
  return out;
}

namespace {

/// Whether household `h` meets a rule, one operator per kind of rule.
struct Eligible {
  const Population& pop;
  int h;
  const std::vector<std::vector<std::uint64_t>>& cases;

  [[nodiscard]] std::size_t first() const { return pop.household_first[h]; }
  [[nodiscard]] std::size_t end() const { return first() + pop.household_size[h]; }

  bool operator()(const EligibilityRule::Always&) const { return true; }
  bool operator()(const EligibilityRule::AllOf& all) const {
    return std::all_of(all.rules.begin(), all.rules.end(), [&](const auto& c) { return is_eligible(c, pop, h, cases); });
  }
  bool operator()(const EligibilityRule::AnyOf& any) const {
    return std::any_of(any.rules.begin(), any.rules.end(), [&](const auto& c) { return is_eligible(c, pop, h, cases); });
  }
  bool operator()(const EligibilityRule::DepartmentsWithCases& rule) const {
    const int D = pop.domains;
    std::uint64_t open = 0;
    for (std::size_t p = first(); p < end(); ++p)
      for (int d = 0; d < D; ++d) {
        int st = pop.state[p * D + d];
        if (st >= 0) open |= cases[d][st];
      }
    for (int dep : rule.including)
      if (!(open & (1ULL << dep))) return false;
    return std::popcount(open) >= rule.at_least;
  }
  bool operator()(const EligibilityRule::AnyMember& rule) const {
    const int D = pop.domains;
    for (std::size_t p = first(); p < end(); ++p) {
      if (rule.role != Role::any && pop.role[p] != static_cast<std::uint8_t>(rule.role)) continue;
      if (rule.attribute && !rule.attribute->holds(pop.attribute_of(p, rule.attribute->attribute))) continue;
      if (rule.domain < 0) return true; // an attribute alone
      int st = pop.state[p * D + rule.domain];
      int months = pop.months_in_state[p * D + rule.domain];
      if (st >= 0 && std::find(rule.states.begin(), rule.states.end(), st) != rule.states.end() &&
          months >= rule.min_months && months <= rule.max_months)
        return true;
    }
    return false;
  }
  bool operator()(const EligibilityRule::HouseholdAttribute& rule) const {
    return pop.household_size[h] > 0 && rule.condition.holds(pop.attribute_of(first(), rule.condition.attribute));
  }
  bool operator()(const EligibilityRule::HasChildren& rule) const {
    bool children = false;
    for (std::size_t p = first(); p < end(); ++p)
      children = children || pop.role[p] == static_cast<std::uint8_t>(Role::child);
    return children == rule.with_children;
  }
};

} // namespace

bool is_eligible(const EligibilityRule& rule, const Population& pop, int h,
                 const std::vector<std::vector<std::uint64_t>>& cases) {
  return std::visit(Eligible{pop, h, cases}, rule.rule);
}

int enrolment_horizon(const TransitionModel& model, int horizon_months) {
  int last = 0;
  for (const auto& v : model.variants)
    for (const auto& iv : v.interventions) last = std::max(last, iv.end_month);
  return std::min(last, horizon_months);
}

std::vector<int> household_exit_months(const TransitionModel& model, const Population& pop, const Streams& streams,
                                       std::uint32_t iteration, int months, int k) {
  const int H = pop.households();
  std::vector<int> exit(static_cast<std::size_t>(H), std::numeric_limits<int>::max());
  const bool deaths = model.death_adult > 0.0 || model.death_child > 0.0;
  const int steps = (months + k - 1) / k;
  for (int h = 0; h < H; ++h) {
    int leaves = std::numeric_limits<int>::max();
    const int moves = moving_step(model, streams, iteration, static_cast<std::uint32_t>(h), steps);
    if (moves < steps) leaves = moves * k;
    if (deaths) {
      // The household is gone when its last member has died (the step the simulation uses).
      int last_death = 0;
      for (std::uint32_t p = pop.household_first[h]; p < pop.household_first[h] + pop.household_size[h]; ++p) {
        const int dies = death_step(model, streams, iteration, p, pop.role[p] == static_cast<std::uint8_t>(Role::adult),
                                    pop.age_months[p], k, steps);
        last_death = std::max(last_death, dies < steps ? dies * k : std::numeric_limits<int>::max());
      }
      leaves = std::min(leaves, last_death);
    }
    exit[h] = leaves;
  }
  return exit;
}

Enrolment schedule_enrolment(const Scenario& s, const ModelVariant& variant, const Population& pop,
                             const Streams& streams, std::uint32_t iteration, const std::vector<int>& exit_month) {
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
  std::vector<std::uint8_t> eligible_mark(static_cast<std::size_t>(H), 0), consent_mark(static_cast<std::size_t>(H), 0);
  for (int i = 0; i < I; ++i) {
    const ModelIntervention& iv = variant.interventions[i];
    EnrolmentCounts& c = e.counts[i];
    for (auto* v : {&c.enrolled_households, &c.new_households, &c.enrolled_adults, &c.enrolled_children,
                    &c.new_adults, &c.new_children})
      v->assign(months, 0);
    // Consent, and a random place in the queue (the register draw).
    std::vector<std::pair<std::uint32_t, int>> queue;
    int eligible = 0;
    // The queue's order decides who gets a place only when places or intake are limited;
    // without limits everybody still there is admitted in the first month.
    const bool queued = iv.capacity >= 0 || iv.intake_per_month > 0.0;
    // With an uptake that every word decides alike (1, or 0) and no queue, the block is not
    // drawn: it is a pure function of its key, so no other number changes.
    const bool all_consent = Streams::unit(~std::uint32_t{0}) < iv.uptake, none_consent = !(Streams::unit(0) < iv.uptake);
    const bool drawn = queued || !(all_consent || none_consent);
    for (int h = 0; h < H; ++h) {
      if (!is_eligible(*iv.eligible, pop, h, cases)) continue;
      ++eligible;
      eligible_mark[h] = 1;
      std::array<std::uint32_t, 4> w{};
      if (drawn)
        w = streams.block(Purpose::enrolment, iteration, static_cast<std::uint32_t>(h), static_cast<std::uint32_t>(iv.name_key));
      if (drawn ? Streams::unit(w[0]) < iv.uptake : all_consent) {
        queue.emplace_back(w[1], h);
        consent_mark[h] = 1;
      }
    }
    e.eligible_households.push_back(eligible);
    e.consenting_households.push_back(static_cast<int>(queue.size()));
    if (queued) std::sort(queue.begin(), queue.end());
    // Month by month: admit while there is capacity and intake allows. A fractional intake
    // accumulates (0.5 a month admits one household every second month).
    std::vector<int> active_until; // months at which held places free up
    std::size_t next = 0;
    double intake_budget = 0.0;
    const int last = std::min(iv.end_month, months);
    for (int m = iv.start_month; m < last && next < queue.size(); ++m) {
      std::erase_if(active_until, [&](int end) { return end <= m; });
      int free = iv.capacity < 0 ? static_cast<int>(queue.size()) : iv.capacity - static_cast<int>(active_until.size());
      if (iv.intake_per_month > 0.0) {
        intake_budget += iv.intake_per_month;
        free = std::min(free, static_cast<int>(std::floor(intake_budget + 1e-9)));
      }
      for (; free > 0 && next < queue.size(); ++next) {
        int h = queue[next].second;
        if (exit_month[h] <= m) continue; // left before their turn
        --free;
        if (iv.intake_per_month > 0.0) intake_budget -= 1.0;
        int end = std::min({m + iv.stay_months, iv.end_month, exit_month[h]});
        e.start[static_cast<std::size_t>(i) * H + h] = m;
        e.end[static_cast<std::size_t>(i) * H + h] = end;
        e.participant[h] = 1;
        active_until.push_back(end);
      }
    }
    // Counts by month, for costs per enrolled household or person: a stay adds where it
    // starts and takes away where it ends, summed over the months once at the end (the same
    // integers as adding it to every month of the stay).
    std::vector<int> ending_households(months + 1, 0), ending_adults(months + 1, 0), ending_children(months + 1, 0);
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
      if (en <= st) continue;
      c.enrolled_households[st] += 1;
      c.enrolled_adults[st] += adults;
      c.enrolled_children[st] += children;
      ending_households[en] += 1;
      ending_adults[en] += adults;
      ending_children[en] += children;
    }
    for (int m = 1; m < months; ++m) {
      c.enrolled_households[m] += c.enrolled_households[m - 1] - ending_households[m];
      c.enrolled_adults[m] += c.enrolled_adults[m - 1] - ending_adults[m];
      c.enrolled_children[m] += c.enrolled_children[m - 1] - ending_children[m];
    }
  }
  e.eligible_any = static_cast<int>(std::count(eligible_mark.begin(), eligible_mark.end(), std::uint8_t{1}));
  e.consenting_any = static_cast<int>(std::count(consent_mark.begin(), consent_mark.end(), std::uint8_t{1}));
  return e;
}

} // namespace socinvest
