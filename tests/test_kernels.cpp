// The event kernel against the monthly reference kernel. They use their random numbers
// differently, so single runs differ; the distributions must not. On a scenario with
// every feature the step has (duration bands, a household link, entry at an age, leaving
// into another domain, deaths, moving away, indicators with minimum months, an
// intervention with ramp-up, end and decay, a hazard ratio and a risk difference, the
// refusion clock with a short reset, weeks on support and legacy awards at the start), every
// tallied quantity's mean over independent iterations must agree within a few standard
// errors of the difference.
#include "support.hpp"

#include <doctest/doctest.h>

#include <algorithm>
#include <cmath>
#include <map>
#include <string>

namespace {

using namespace socinvest;

const char* everything = R"(
scenario: kernels
run: {start: 2024-01, horizon_years: 6, iterations: 30, seed: 21}
departments: {d: {name: D}, state: {name: S, level: state}}
reimbursement:
  staircase:
    weeks: [4, 26, 52]
    state_share: [0.8, 0.4, 0.3, 0.2]
    clock:
      support: [employment.benefit, employment.flexjob]
      self_support: [employment.job]
      reset: {self_support_weeks: 13, within_weeks: 52}
    legacy_state_share: {employment.flexjob: 0.65}
exits:
  mortality: {adult: 0.002, child: 0.001}
  moving_away: 0.004
domains:
  employment:
    applies_to: {role: adult, age: [18, 67]}
    states: [benefit, job, flexjob]
    transitions:
      benefit:
        - {months_in_state: [0, 12], to: {job: 0.04, flexjob: 0.005}}
        - {months_in_state: [12, null], to: {job: 0.015, flexjob: 0.005}}
      job: {to: {benefit: 0.015}}
      flexjob: {to: {benefit: 0.01}}
  school:
    applies_to: {role: child, age: [6, 16]}
    states: [regular, high_absence, placed]
    entry: {regular: 0.85, high_absence: 0.15}
    transitions:
      regular: {to: {high_absence: 0.02}}
      high_absence: {to: {regular: 0.06, placed: 0.004}}
      placed: {to: {regular: 0.02}}
    links:
      - {when: {household_any: {employment: job}}, transition: regular->high_absence, hazard_ratio: 0.6}
      - {when: {household_other: {school: placed}}, transition: regular->high_absence, hazard_ratio: 1.5}
    on_leaving:
      at_age: 16
      to_domain: youth
      map:
        regular: {education: 0.8, neet: 0.2}
        high_absence: {education: 0.5, neet: 0.5}
        placed: {education: 0.3, neet: 0.7}
  youth:
    applies_to: {age: [16, 18]}
    states: [education, neet]
    transitions:
      education: {to: {neet: 0.01}}
      neet: {to: {education: 0.03}}
    links:
      - {when: {household_other: {employment: job}}, transition: neet->education, hazard_ratio: 2.0}
      - {when: {self: {youth: education}}, transition: education->neet, hazard_ratio: 0.9}
population:
  households: 4000
  synthetic:
    adults_per_household: {categorical: {1: 0.5, 2: 0.5}}
    children_per_household: {poisson: 1.2, max: 5}
    adult_age: {uniform: [20, 62]}
    child_age: {uniform: [0, 17]}
    start_state:
      employment: {benefit: 0.6, job: 0.3, flexjob: 0.1}
      school: {regular: 0.7, high_absence: 0.25, placed: 0.05}
      youth: {education: 0.7, neet: 0.3}
    months_in_start_state: {employment.benefit: {uniform: [0, 40]}}
    refusion_weeks_at_start: {employment.benefit: {uniform: [0, 30]}}
    legacy_refusion_share: {employment.flexjob: 0.5}
costs:
  employment.benefit: [{department: d, amount: 1000, reimbursement: staircase}]
  employment.flexjob: [{department: d, amount: 1000, reimbursement: staircase}]
indicators:
  lasting_work: {label: "Job 12+ months", domain: employment, states: [job], min_months: 12, role: adult}
  less_absence: {label: "Less absence", domain: school, improved: [regular, high_absence, placed], role: child}
variants:
  baseline: {}
  project:
    interventions:
      team:
        eligible: {any_member: {state: employment.benefit, role: adult}}
        uptake: 0.7
        capacity: {households: 400}
        start: 2024-03
        duration_months: 36
        stay_months: 18
        effects:
          - {transition: employment.benefit->job, hazard_ratio: 1.8, ramp_up_months: 6, decay_half_life_months: 12}
          - {transition: school.regular->high_absence, risk_difference: -0.008, ramp_up_months: 3, decay_half_life_months: never}
          - {transition: school.high_absence->placed, risk_difference: 0.002}
)";

/// Per iteration, named totals of everything the tally holds: occupancy per (variant,
/// group, year, domain, state), moves per (variant, group, transition) over the horizon,
/// and indicator counts per (variant, group, year, indicator).
using Totals = std::vector<std::map<std::string, double>>;

Totals totals(const Scenario& s, Kernel kernel, std::uint64_t seed) {
  RunOptions o;
  o.iterations = s.run.iterations;
  o.threads = 2;
  o.seed = seed;
  o.has_seed = true;
  o.kernel = kernel;
  o.parameters.central = true; // the same parameters in every iteration: only path randomness
  Totals out(static_cast<std::size_t>(o.iterations));
  run_monte_carlo(s, o, [&](const IterationData& data) {
    const Layout& L = *data.layout;
    auto& m = out[data.iteration];
    for (std::size_t vi = 0; vi < data.variants.size(); ++vi) {
      const Tally& t = data.tallies[vi];
      const std::string v = s.variants[data.variants[vi]].id;
      for (int g = 0; g < t.groups; ++g) {
        const std::string vg = v + "/group " + std::to_string(g) + "/";
        for (int step = 0; step < L.steps; ++step)
          for (int c = 0; c < L.cells; ++c) {
            const int d = L.cell_domain[c];
            const std::string cell = vg + "year " + std::to_string(step * L.cycle_months / 12) + "/" +
                                     s.domains[d].id + "." + s.domains[d].states[L.cell_state[c]];
            m[cell] += t.occupied(g, step, c);
            // The refusion clock's step (its levels; the last one the old rules).
            if (L.cell_level[c] >= 0) m[cell + "/refusion level " + std::to_string(L.cell_level[c])] += t.occupied(g, step, c);
          }
        for (int d = 0; d < L.domains; ++d)
          for (int a = 0; a < L.states[d]; ++a)
            for (int b = 0; b < L.states[d]; ++b)
              for (int step = 0; step < L.steps; ++step)
                m[vg + "moves " + s.domains[d].states[a] + "->" + s.domains[d].states[b]] +=
                    t.moved(g, step, L.transition(d, a, b));
        for (int y = 0; y < t.points; ++y)
          for (int i = 0; i < t.indicators; ++i) {
            const std::string key = vg + "year " + std::to_string(y) + "/" + s.indicators[i].id;
            m[key + " met"] = t.indicator_met[t.indicator_index(g, y, i)];
            m[key + " base"] = t.indicator_base[t.indicator_index(g, y, i)];
          }
      }
    }
  });
  return out;
}

struct Agreement {
  int checked = 0;
  double worst = 0.0;
  std::string worst_key;
};

/// |mean_a - mean_b| / se of the difference, for every quantity either run has.
Agreement compare(const Totals& a, const Totals& b) {
  Agreement result;
  for (const auto& [key, unused] : a[0]) {
    auto stats = [&](const Totals& runs) {
      double mean = 0.0, ss = 0.0;
      for (const auto& r : runs) mean += r.at(key) / static_cast<double>(runs.size());
      for (const auto& r : runs) ss += (r.at(key) - mean) * (r.at(key) - mean);
      return std::pair{mean, ss / static_cast<double>(runs.size() - 1) / static_cast<double>(runs.size())};
    };
    const auto [ma, va] = stats(a);
    const auto [mb, vb] = stats(b);
    if (ma == 0.0 && mb == 0.0) continue;
    const double z = std::abs(ma - mb) / std::sqrt(std::max(va + vb, 1e-18));
    ++result.checked;
    if (z > result.worst) {
      result.worst = z;
      result.worst_key = key;
    }
  }
  return result;
}

/// What an iteration sets up before it simulates (montecarlo/runner.cpp): its parameters,
/// model, population and the households' exits, for the enrolment.
struct IterationSetUp {
  IterationSetUp(const Scenario& s, const Layout& layout, const Streams& streams, std::uint32_t iteration)
      : sampler(streams, iteration, settings), model(build_transition_model(s, layout, sampler)),
        pop(population_for_iteration(s, nullptr, streams, iteration)),
        exits(household_exit_months(model, pop, streams, iteration, enrolment_horizon(model, s.run.horizon_months()),
                                    s.run.cycle_months)) {}
  const ParameterSettings settings; ///< first: the sampler keeps a reference to it
  ParameterSampler sampler;
  const TransitionModel model;
  const Population pop;
  const std::vector<int> exits;
};

} // namespace

TEST_CASE("the event kernel and the monthly reference kernel simulate the same distribution") {
  std::string text = everything;
  SUBCASE("monthly cycle") {}
  SUBCASE("quarterly cycle") { text.replace(text.find("horizon_years: 6,"), 17, "horizon_years: 6, cycle: quarter,"); }
  SUBCASE("from February, indicators also measured at the end of 2026 (at_budget_year)") {
    // December 2026 is 35 months in: a measurement point of its own, between project years.
    // Every December is one (the outcomes by budget year): 2024 to 2029, six points after
    // the six project-year ends (January 2030's end is the horizon's, project year 6).
    text.replace(text.find("start: 2024-01"), 14, "start: 2024-02");
    text.replace(text.find("variants:"), 9,
                 "targets:\n  - {indicator: lasting_work, among: participants, at_budget_year: 2026, at_least: 0.1}\nvariants:");
    CHECK(make_layout(test::scenario(text)).points.size() == 12);
  }
  const auto s = test::scenario(text);
  const Totals events = totals(s, Kernel::events, 21);
  const Totals monthly = totals(s, Kernel::monthly, 22);
  const Agreement agreement = compare(events, monthly);
  MESSAGE("largest difference: " << agreement.worst << " standard errors (" << agreement.worst_key << ") over "
                                 << agreement.checked << " quantities");
  CHECK(agreement.checked > 300);
  CHECK_MESSAGE(agreement.worst < 5.0, agreement.worst_key);
  // Something happened to every part of the model (else agreement would say little).
  for (const char* key : {"project/group 1/moves benefit->job", "baseline/group 0/moves regular->high_absence",
                          "baseline/group 0/year 5/youth.neet", "project/group 1/moves high_absence->placed",
                          "baseline/group 0/year 3/lasting_work met",
                          "baseline/group 0/year 4/employment.benefit/refusion level 0",
                          "baseline/group 0/year 4/employment.benefit/refusion level 3",
                          "baseline/group 0/year 1/employment.flexjob/refusion level 4"})
    CHECK_MESSAGE(events[0].at(key) > 0.0, key);
}

TEST_CASE("the kernel comparison can fail: a slightly different model is told apart") {
  std::string text = everything;
  text.replace(text.find("job: {to: {benefit: 0.015}}"), 27, "job: {to: {benefit: 0.018}}");
  const Agreement agreement = compare(totals(test::scenario(text), Kernel::events, 21),
                                      totals(test::scenario(everything), Kernel::monthly, 22));
  MESSAGE("largest difference: " << agreement.worst << " standard errors (" << agreement.worst_key << ")");
  CHECK(agreement.worst > 8.0);
}

TEST_CASE("a variant simulated for its participants only gives the tally of simulating everybody") {
  // Households the variant does not enrol live their baseline lives: the event kernel
  // takes them from the baseline's tally. The result must be the same, count for count.
  // A second variant that enrols nobody (uptake 0): its tally is the baseline's.
  const auto s = test::scenario(std::string(everything) + R"(
  nobody:
    interventions:
      none:
        eligible: {any_member: {state: employment.benefit, role: adult}}
        uptake: 0
        start: 2024-03
        duration_months: 12
        effects: [{transition: employment.benefit->job, hazard_ratio: 2.0}]
)");
  const Layout layout = make_layout(s);
  const Streams streams(s.run.seed);
  for (std::uint32_t iteration : {0u, 1u}) {
    const IterationSetUp set_up(s, layout, streams, iteration);
    const TransitionModel& model = set_up.model;
    const Population& pop = set_up.pop;
    const std::vector<int>& exits = set_up.exits;
    std::vector<Enrolment> enrolment(s.variants.size());
    for (int v : {1, 2}) enrolment[v] = schedule_enrolment(s, model.variants[v], pop, streams, iteration, exits);
    REQUIRE(enrolment[1].participants() > 0);
    REQUIRE(enrolment[1].participants() < pop.households());
    REQUIRE(enrolment[2].participants() == 0);
    SimulationContext context{s, layout, model, pop, enrolment, streams, iteration, nullptr};
    const Tally baseline = simulate_variant(context, 0);
    for (int v : {1, 2}) {
      CAPTURE(v);
      Trace full_trace{4, {}}, shared_trace{4, {}};
      const Tally everybody = simulate_variant(context, v, &full_trace);
      const Tally participants_only = simulate_variant(context, v, &shared_trace, &baseline);
      CHECK(participants_only.occupancy == everybody.occupancy);
      CHECK(participants_only.moves == everybody.moves);
      CHECK(participants_only.indicator_met == everybody.indicator_met);
      CHECK(participants_only.indicator_base == everybody.indicator_base);
      CHECK(shared_trace.lines == full_trace.lines);
      CHECK_FALSE(full_trace.lines.empty());
      // Everybody (group 0): the first variant changes something; the second, enrolling
      // nobody, nothing.
      const auto block = static_cast<std::ptrdiff_t>(baseline.occupancy.size() / baseline.groups);
      const bool same = std::equal(everybody.occupancy.begin(), everybody.occupancy.begin() + block, baseline.occupancy.begin());
      CHECK(same == (v == 2));
    }
  }
}

TEST_CASE("a lone spell chain (one person, one domain) is visited as run() visits every household") {
  // EventHousehold::run_lone_spell_chain takes one-person, one-domain households with no
  // death, ageing, moving or year end within the horizon; a traced household always goes
  // through the general loop, and is counted too. So tracing every household must give the
  // same tally, count for count: duration bands (refreshes mid-spell), an effect that ramps
  // up and ends (row changes known in advance), a row without destination (never left) and
  // households the path does not take (mortality for some, a person who ages out).
  const auto s = test::scenario(R"(
scenario: lone-chains
run: {start: 2024-01, horizon_years: 5, iterations: 2, seed: 8}
departments: {d: {name: D}}
exits:
  mortality: {adult: 0.001}
domains:
  work:
    applies_to: {role: adult, age: [18, 67]}
    states: [benefit, job, flexjob, retired]
    transitions:
      benefit:
        - {months_in_state: [0, 6], to: {job: 0.05, flexjob: 0.01}}
        - {months_in_state: [6, 30], to: {job: 0.03, flexjob: 0.01, retired: 0.002}}
        - {months_in_state: [30, null], to: {job: 0.01, flexjob: 0.004, retired: 0.004}}
      job: {to: {benefit: 0.02}}
      flexjob: {to: {benefit: 0.01, job: 0.004}}
population:
  households: 3000
  synthetic:
    adults_per_household: 1
    adult_age: {uniform: [30, 66]}
    start_state: {work: {benefit: 0.7, job: 0.2, flexjob: 0.1}}
    months_in_start_state: {work.benefit: {uniform: [0, 40]}}
costs:
  work.benefit: [{department: d, amount: 1000}]
variants:
  baseline: {}
  project:
    interventions:
      team:
        eligible: {any_member: {state: work.benefit}}
        uptake: 0.6
        start: 2024-04
        duration_months: 30
        effects:
          - {transition: work.benefit->job, hazard_ratio: 1.6, ramp_up_months: 6, decay_half_life_months: 12}
)");
  const Layout layout = make_layout(s);
  const Streams streams(s.run.seed);
  const IterationSetUp set_up(s, layout, streams, 0);
  std::vector<Enrolment> enrolment(s.variants.size());
  enrolment[1] = schedule_enrolment(s, set_up.model.variants[1], set_up.pop, streams, 0, set_up.exits);
  REQUIRE(enrolment[1].participants() > 0);
  SimulationContext context{s, layout, set_up.model, set_up.pop, enrolment, streams, 0, nullptr};
  for (int v : {0, 1}) {
    CAPTURE(v);
    Trace all{set_up.pop.households(), {}};
    const Tally lone = simulate_variant(context, v);
    const Tally general = simulate_variant(context, v, &all);
    REQUIRE_FALSE(all.lines.empty());
    CHECK(lone.occupancy == general.occupancy);
    CHECK(lone.moves == general.moves);
    // And the chain moved: the comparison is not of two empty tallies.
    CHECK(std::any_of(lone.moves.begin(), lone.moves.end(), [](std::uint32_t m) { return m > 0; }));
  }
}

TEST_CASE("enrolment counts per month are the stays that cover the month; without limits everybody consenting is admitted at the start") {
  // The counts are kept as changes where stays start and end (interventions/enrolment.cpp):
  // here they are counted month by month from the stays themselves. A second variant
  // without capacity or intake limit (its queue is not sorted): every consenting household
  // still there when the project starts is admitted then, for the whole duration.
  const auto s = test::scenario(std::string(everything) + R"(
  open:
    interventions:
      open_team:
        eligible: {any_member: {state: employment.benefit, role: adult}}
        uptake: 0.5
        start: 2024-05
        duration_months: 24
        effects: [{transition: employment.benefit->job, hazard_ratio: 1.5}]
)");
  const Layout layout = make_layout(s);
  const Streams streams(s.run.seed);
  const int months = s.run.horizon_months();
  for (std::uint32_t iteration : {0u, 1u}) {
    const IterationSetUp set_up(s, layout, streams, iteration);
    const TransitionModel& model = set_up.model;
    const Population& pop = set_up.pop;
    const std::vector<int>& exits = set_up.exits;
    for (int v : {1, 2}) {
      CAPTURE(v);
      const Enrolment e = schedule_enrolment(s, model.variants[v], pop, streams, iteration, exits);
      const int H = pop.households();
      REQUIRE(e.participants() > 0);
      const EnrolmentCounts& c = e.counts[0];
      bool ending_within = false;
      for (int m = 0; m < months; ++m) {
        int households = 0, adults = 0, children = 0, starting = 0;
        for (int h = 0; h < H; ++h) {
          const int start = e.start[h], end = std::min(e.end[h], months);
          if (start < 0) continue;
          ending_within = ending_within || end < months;
          starting += start == m ? 1 : 0;
          if (m < start || m >= end) continue;
          ++households;
          for (std::uint32_t p = pop.household_first[h]; p < pop.household_first[h] + pop.household_size[h]; ++p)
            (pop.role[p] == static_cast<std::uint8_t>(Role::adult) ? adults : children)++;
        }
        CAPTURE(m);
        CHECK(c.enrolled_households[m] == households);
        CHECK(c.enrolled_adults[m] == adults);
        CHECK(c.enrolled_children[m] == children);
        CHECK(c.new_households[m] == starting);
      }
      CHECK(ending_within); // stays end within the horizon, so the counts go down too
      if (v == 2) {
        const int first = model.variants[2].interventions[0].start_month;
        int admitted = 0;
        for (int h = 0; h < H; ++h) {
          if (e.start[h] < 0) continue;
          ++admitted;
          CHECK(e.start[h] == first);
          CHECK(exits[h] > first);
        }
        const ModelIntervention& iv = model.variants[2].interventions[0];
        const auto cases = case_departments(s);
        int still_there = 0; // eligible, consenting (the uptake draw) and not gone before the start
        for (int h = 0; h < H; ++h) {
          const auto w = streams.block(Purpose::enrolment, iteration, static_cast<std::uint32_t>(h),
                                       static_cast<std::uint32_t>(iv.name_key));
          if (is_eligible(*iv.eligible, pop, h, cases) && Streams::unit(w[0]) < iv.uptake && exits[h] > first)
            ++still_there;
        }
        CHECK(admitted == still_there);
      }
    }
  }
}

TEST_CASE("two random blocks at once (Streams::block_pair) are word for word the two blocks one by one") {
  // Random123 1.09, examples/kat_vectors, "philox4x32 10": counter {0,0,0,0} under key {0,0}
  // gives 6627e8d5 e169c58d bc57ac4c 9b00dbd8; Streams' counter is (a, b, iteration, purpose).
  const socinvest::Streams zero(0);
  const std::array<std::uint32_t, 4> known = {0x6627e8d5, 0xe169c58d, 0xbc57ac4c, 0x9b00dbd8};
  const auto none = static_cast<socinvest::Purpose>(0);
  CHECK(zero.block_pair(none, 0, 0, none, 0, 0, 0)[0] == known);
  CHECK(zero.block_pair(socinvest::Purpose::transition, 1, 2, none, 0, 0, 0)[1] == known);
  // Every word and position: keys from a simple generator over all 32 bits, either order.
  std::uint64_t x = 0x9E3779B97F4A7C15ULL;
  auto next = [&x] {
    x ^= x << 13, x ^= x >> 7, x ^= x << 17;
    return x;
  };
  int mismatches = 0;
  for (int n = 0; n < 20000; ++n) {
    const socinvest::Streams streams(next());
    const auto p1 = static_cast<socinvest::Purpose>(1 + n % 14), p2 = static_cast<socinvest::Purpose>(1 + (n / 14) % 14);
    const auto iteration = static_cast<std::uint32_t>(next());
    const auto a1 = static_cast<std::uint32_t>(next()), b1 = static_cast<std::uint32_t>(next() >> 17);
    const auto a2 = static_cast<std::uint32_t>(next()), b2 = static_cast<std::uint32_t>(next() >> 17);
    const auto pair = streams.block_pair(p1, a1, b1, p2, a2, b2, iteration);
    if (pair[0] != streams.block(p1, iteration, a1, b1) || pair[1] != streams.block(p2, iteration, a2, b2)) ++mismatches;
  }
  CHECK(mismatches == 0);
}
