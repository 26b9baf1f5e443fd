// Re-pricing instead of re-simulating (decision/sweep.cpp, analysis.hpp reprice): the
// classification of price-only parameters holds (fixing one leaves every tally as it was,
// fixing a hazard ratio does not), and re-priced tornados, grids and thresholds give the
// figures of full re-runs to the byte, on a small fixture and on shipped cases, with both
// kernels.
#include "support.hpp"

#include <socinvest/decision/compare.hpp>
#include <socinvest/decision/sweep.hpp>
#include <socinvest/report/outputs.hpp>
#include <socinvest/report/format.hpp>
#include <socinvest/report/tables.hpp>
#include <socinvest/report/tornado_report.hpp>

#include <filesystem>
#include <fstream>

#include <doctest/doctest.h>

#include <algorithm>
#include <map>
#include <mutex>
#include <string>
#include <vector>

namespace {

// Every kind of price: a state cost with a cashable share and a rate change, a transition
// cost, staff, a grant, a measure and a pay-for-results payment per person.
const char* priced = R"(
scenario: reprice
run: {start: 2024-01, horizon_years: 4, iterations: 6, seed: 11}
departments: {jobcenter: {name: J}, social: {name: S}, fund: {name: F}, state: {name: St, level: state}}
domains:
  work:
    applies_to: {role: adult, age: [18, 100]}
    states: [unemployed, job]
    transitions:
      unemployed: {to: {job: {beta: {mean: 0.03, sd: 0.01}}}}
      job: {to: {unemployed: {beta: {mean: 0.01, sd: 0.004}}}}
indicators:
  in_work: {domain: work, states: [job]}
population:
  households: 150
  synthetic: {adults_per_household: 1, adult_age: {uniform: [30, 40]}, start_state: {work: {unemployed: 1.0}}}
costs:
  work.unemployed:
    - department: jobcenter
      amount: {gamma: {mean: 10000, sd: 800}}
      changes: [{from: 2026-01, amount: {gamma: {mean: 11000, sd: 900}}}]
    - {department: social, amount: {uniform: [2000, 4000]}, cashable_share: 0.5}
  transitions:
    work.unemployed->work.job: {department: social, amount: {triangular: [500, 1000, 2000]}}
variants:
  baseline: {}
  team:
    interventions:
      team:
        start: 2024-01
        duration_months: 24
        uptake: {beta: {mean: 0.6, sd: 0.1}}
        costs:
          - {department: jobcenter, fte: {uniform: [2, 4]}, monthly_cost_per_fte: {uniform: [40000, 60000]}}
          - {department: fund, total: {uniform: [100000, 300000]}, finances: [jobcenter]}
          - {department: social, amount: {uniform: [1000, 3000]}, per: household, when: enrolment}
        effects: [{transition: work.unemployed->job, hazard_ratio: {lognormal: {median: 1.8, ci95: [1.2, 2.6]}}}]
    contracts:
      - name: bonus
        payer: jobcenter
        payee: fund
        when: {indicator: in_work, among: participants, at_year: 2, at_least: 0.1}
        amount_per_person: {uniform: [5000, 15000]}
)";

const std::string cost_path = "costs.work.unemployed[0].amount";
const std::string hazard_path = "variants.team.interventions.team.effects[0].hazard_ratio";

/// Every iteration's tallies under `options`, in iteration order.
std::vector<std::vector<socinvest::Tally>> tallies(const socinvest::Scenario& s, const socinvest::RunOptions& options) {
  std::vector<std::vector<socinvest::Tally>> out(static_cast<std::size_t>(socinvest::plan_run(s, options).iterations));
  socinvest::run_monte_carlo(s, options, [&](const socinvest::IterationData& d) { out[d.iteration] = d.tallies; });
  return out;
}

bool same(const std::vector<std::vector<socinvest::Tally>>& a, const std::vector<std::vector<socinvest::Tally>>& b) {
  if (a.size() != b.size()) return false;
  for (std::size_t i = 0; i < a.size(); ++i) {
    if (a[i].size() != b[i].size()) return false;
    for (std::size_t v = 0; v < a[i].size(); ++v) {
      const auto &x = a[i][v], &y = b[i][v];
      if (x.occupancy != y.occupancy || x.moves != y.moves || x.indicator_met != y.indicator_met ||
          x.indicator_base != y.indicator_base)
        return false;
    }
  }
  return true;
}

socinvest::RunOptions options(int iterations, socinvest::Kernel kernel = socinvest::Kernel::events) {
  socinvest::RunOptions o;
  o.iterations = iterations;
  o.threads = 2;
  o.kernel = kernel;
  return o;
}

socinvest::SweepControl simulate_every_point() {
  socinvest::SweepControl c;
  c.reprice_memory_bytes = 0;
  return c;
}

/// The grid's cells as exact numbers, one line each.
std::string cells_text(const socinvest::Grid& g) {
  std::string out;
  for (const auto& column : g.cells)
    for (const auto& c : column)
      out += socinvest::exact_number(c.npv.mean) + " " + socinvest::exact_number(c.npv.se) + " " +
             socinvest::exact_number(c.npv.p5) + " " + socinvest::exact_number(c.npv.p95) + " " +
             socinvest::exact_number(c.p_break_even) + "\n";
  return out;
}

std::string threshold_text(const socinvest::Threshold& t) {
  return std::string(t.found ? "found " : "not found ") + socinvest::exact_number(t.value) + " " +
         socinvest::exact_number(t.lower) + " " + socinvest::exact_number(t.upper) + " " +
         socinvest::exact_number(t.probability_at_value) + " " + std::to_string(t.evaluations) + " " + t.note;
}

} // namespace

TEST_CASE("price-only: unit costs, intervention costs and payments are; hazard ratios, probabilities and uptake are not") {
  const auto s = test::scenario(priced);
  CHECK(s.price_only(cost_path));
  CHECK(s.price_only("costs.work.unemployed[0].changes[0].amount"));
  CHECK(s.price_only("costs.work.unemployed[1].amount"));
  CHECK(s.price_only("costs.transitions.work.unemployed->work.job.amount"));
  CHECK(s.price_only("variants.team.interventions.team.costs[0].fte"));
  CHECK(s.price_only("variants.team.interventions.team.costs[0].monthly_cost_per_fte"));
  CHECK(s.price_only("variants.team.interventions.team.costs[1].total"));
  CHECK(s.price_only("variants.team.interventions.team.costs[2].amount"));
  CHECK(s.price_only("variants.team.contracts[0].amount_per_person"));
  CHECK_FALSE(s.price_only(hazard_path));
  CHECK_FALSE(s.price_only("variants.team.interventions.team.uptake"));
  CHECK_FALSE(s.price_only("domains.work.transitions.unemployed.to.job"));
  CHECK_FALSE(s.price_only("exits.mortality.adult"));
  // Every price-only parameter is one of the scenario's parameters (the same key paths).
  std::vector<std::string> all;
  for (const auto* q : s.quantities()) all.push_back(q->path);
  for (const auto* q : s.price_quantities())
    CHECK_MESSAGE(std::find(all.begin(), all.end(), q->path) != all.end(), q->path);
}

TEST_CASE("price-only: fixing any price-only parameter leaves every tally as it was; fixing a hazard ratio does not") {
  const auto s = test::scenario(priced);
  const auto o = options(3);
  const auto drawn = tallies(s, o);
  int checked = 0;
  for (const auto* q : s.quantities()) {
    if (q->dist.is_fixed()) continue;
    auto fixed = o;
    fixed.parameters.fixed[q->path] = q->dist.quantile(0.97);
    const bool unchanged = same(drawn, tallies(s, fixed));
    CHECK_MESSAGE(unchanged == s.price_only(q->path), q->path);
    ++checked;
  }
  CHECK(checked >= 12);
  CHECK(s.price_quantities().size() == 10); // with the contract's fixed amount
}

TEST_CASE("reprice: the analysis of other prices from a kept simulation equals a full run, and refuses other simulations") {
  const auto s = test::scenario(priced);
  auto o = options(4);
  socinvest::KeptSimulation kept;
  kept.limit_bytes = std::size_t{64} << 20;
  (void)socinvest::analyse(s, o, nullptr, &kept);
  REQUIRE(kept.complete);
  CHECK(kept.bytes > 0);
  auto other = o;
  other.parameters.fixed[cost_path] = 12345.0;
  other.parameters.fixed["variants.team.contracts[0].amount_per_person"] = 9000.0;
  const auto full = socinvest::analyse(s, other);
  const auto again = socinvest::reprice(s, other, kept);
  CHECK(socinvest::same_simulation(s, o, other));
  const int total = test::account(full->results, "total");
  for (auto m : {socinvest::Measure::npv, socinvest::Measure::p_break_even}) {
    const auto a = full->results.money_at(1, total, -1, m), b = again->results.money_at(1, total, -1, m);
    CHECK(socinvest::exact_number(a.mean) == socinvest::exact_number(b.mean));
    CHECK(socinvest::exact_number(a.se) == socinvest::exact_number(b.se));
    CHECK(socinvest::exact_number(a.p5) == socinvest::exact_number(b.p5));
  }
  CHECK(full->baseline_fingerprint == again->baseline_fingerprint);
  auto hazard = o;
  hazard.parameters.fixed[hazard_path] = 1.5;
  CHECK_FALSE(socinvest::same_simulation(s, o, hazard));
  CHECK_THROWS_AS((void)socinvest::reprice(s, hazard, kept), std::logic_error);
  // Too little memory: nothing is kept.
  socinvest::KeptSimulation small;
  small.limit_bytes = 1000;
  (void)socinvest::analyse(s, o, nullptr, &small);
  CHECK_FALSE(small.complete);
  CHECK(small.iterations.empty());
}

TEST_CASE("reprice: a tornado re-priced equals one simulated bar by bar, to the byte, with both kernels") {
  const auto s = test::scenario(priced);
  const socinvest::SweepTarget target;
  for (auto kernel : {socinvest::Kernel::events, socinvest::Kernel::monthly}) {
    CAPTURE(socinvest::kernel_name(kernel));
    const auto o = options(4, kernel);
    const auto fast = socinvest::tornado(s, o, target);
    const auto slow = socinvest::tornado(s, o, target, {}, 0.05, 0.95, simulate_every_point());
    CHECK(socinvest::tornado_csv(fast) == socinvest::tornado_csv(slow));
    // Central, the hazard ratio's, the uptake's and the two transition probabilities' bars
    // are simulated; the 9 price-only parameters' 18 bars are re-priced.
    CHECK(fast.work.repriced == 18);
    CHECK(fast.work.simulated == 1 + 2 * 4);
    CHECK(slow.work.repriced == 0);
    CHECK(slow.work.simulated == 1 + 2 * 13);
    // Too little memory to keep the simulation: every bar simulated, the same figures.
    socinvest::SweepControl tight;
    tight.reprice_memory_bytes = 1000;
    const auto fallback = socinvest::tornado(s, o, target, {}, 0.05, 0.95, tight);
    CHECK(fallback.work.over_limit);
    CHECK(fallback.work.repriced == 0);
    CHECK(socinvest::tornado_csv(fallback) == socinvest::tornado_csv(slow));
  }
}

TEST_CASE("reprice: grids with one or two price-only axes and a threshold on a unit cost equal full re-runs") {
  const auto s = test::scenario(priced);
  const socinvest::SweepTarget target;
  const auto o = options(4);
  const std::string fte = "variants.team.interventions.team.costs[0].monthly_cost_per_fte";
  const std::vector<double> costs{8000, 12000, 16000}, hazards{1.2, 2.0}, ftes{40000, 60000};
  // Price-only rows, simulated columns: one simulation per column.
  auto fast = socinvest::grid(s, o, target, cost_path, costs, hazard_path, hazards);
  auto slow = socinvest::grid(s, o, target, cost_path, costs, hazard_path, hazards, simulate_every_point());
  CHECK(cells_text(fast) == cells_text(slow));
  CHECK(fast.work.simulated == 2);
  CHECK(fast.work.repriced == 4);
  // Both axes price-only: one simulation in all.
  fast = socinvest::grid(s, o, target, cost_path, costs, fte, ftes);
  slow = socinvest::grid(s, o, target, cost_path, costs, fte, ftes, simulate_every_point());
  CHECK(cells_text(fast) == cells_text(slow));
  CHECK(fast.work.simulated == 1);
  CHECK(fast.work.repriced == 5);
  // The threshold: bisection on the staff cost, one simulation.
  const auto t_fast = socinvest::threshold(s, o, target, fte, 0.0, 200000.0, 0.5, 500.0);
  const auto t_slow = socinvest::threshold(s, o, target, fte, 0.0, 200000.0, 0.5, 500.0, simulate_every_point());
  CHECK(threshold_text(t_fast) == threshold_text(t_slow));
  CHECK(t_fast.work.simulated == 1);
  CHECK(t_fast.work.repriced == t_fast.evaluations - 1);
  CHECK(t_fast.evaluations > 3);
}

TEST_CASE("reprice: shipped cases re-priced equal full re-runs (refusion and a contract; rate changes and staff)") {
  const socinvest::SweepTarget target;
  const auto o = options(2);
  {
    // A reimbursed (staircase refusion) benefit line against the pay-for-results payment.
    const auto s = socinvest::load_scenario(test::source_dir() + "/scenarios/tutorial.yaml");
    const std::string benefit = "costs.employment.cash_benefit[0].amount", payment = "variants.family_team.contracts[0].amount";
    REQUIRE(s.price_only(benefit));
    REQUIRE(s.price_only(payment));
    const std::vector<double> benefits{9000, 15000}, payments{0, 2e6};
    const auto fast = socinvest::grid(s, o, target, benefit, benefits, payment, payments);
    const auto slow = socinvest::grid(s, o, target, benefit, benefits, payment, payments, simulate_every_point());
    CHECK(cells_text(fast) == cells_text(slow));
    CHECK(fast.work.simulated == 1);
    CHECK(fast.work.repriced == 3);
  }
  {
    // A unit cost, a rate change's amount, staff cost, and two parameters that simulate.
    const auto s = socinvest::load_scenario(test::source_dir() + "/scenarios/viborg-relationel-velfaerd.yaml");
    const std::vector<std::string> paths{"costs.care.own_home_supported[0].amount",
                                         "costs.employment.cash_benefit[0].changes[1].amount",
                                         "variants.relationel_velfaerd.interventions.team.costs[0].monthly_cost_per_fte",
                                         "variants.relationel_velfaerd.interventions.team.uptake",
                                         "variants.relationel_velfaerd.interventions.team.effects[0].hazard_ratio"};
    const auto fast = socinvest::tornado(s, o, target, paths);
    const auto slow = socinvest::tornado(s, o, target, paths, 0.05, 0.95, simulate_every_point());
    CHECK(socinvest::tornado_csv(fast) == socinvest::tornado_csv(slow));
    CHECK(fast.work.repriced == 6);
    CHECK(fast.work.simulated == 5);
  }
}

TEST_CASE("same simulation: files that differ only in prices simulate the same, tally for tally; a change to the model does not") {
  const auto a = test::scenario(priced);
  const auto o = options(3);
  const auto drawn = tallies(a, o);
  // Each a change that only pricing reads: a unit cost and a rate change's, a cashable
  // share, a transition's cost, staff cost, a payment, the discount rate, texts.
  const std::vector<std::pair<std::string, std::string>> prices{
      {"amount: {gamma: {mean: 10000, sd: 800}}", "amount: {gamma: {mean: 9000, sd: 700}}"},
      {"amount: {gamma: {mean: 11000, sd: 900}}", "amount: {gamma: {mean: 12500, sd: 900}}"},
      {"cashable_share: 0.5", "cashable_share: 0.8"},
      {"amount: {triangular: [500, 1000, 2000]}", "amount: {triangular: [400, 900, 1500]}"},
      {"monthly_cost_per_fte: {uniform: [40000, 60000]}", "monthly_cost_per_fte: {uniform: [30000, 50000]}"},
      {"total: {uniform: [100000, 300000]}", "total: 50000"},
      {"amount_per_person: {uniform: [5000, 15000]}", "amount_per_person: {uniform: [1000, 2000]}"},
      {"seed: 11}", "seed: 11, discount: {schedule: [{from_year: 0, rate: 0.07}]}}"},
      {"scenario: reprice", "scenario: reprice_cheaper\ntitle: \"Cheaper\"\ndescription: other prices"},
  };
  for (const auto& change : prices) {
    CAPTURE(change.second);
    const auto b = test::scenario(test::replaced(priced, change.first, change.second));
    CHECK(a.simulation_key == b.simulation_key);
    CHECK(socinvest::same_simulation(a, b));
    CHECK(same(drawn, tallies(b, o))); // what the key promises, checked by simulating
  }
  // Each a change the simulation reads: a hazard ratio, the uptake, a transition
  // probability, the capacity, the iterations.
  const std::vector<std::pair<std::string, std::string>> models{
      {"median: 1.8", "median: 1.6"},
      {"uptake: {beta: {mean: 0.6, sd: 0.1}}", "uptake: {beta: {mean: 0.5, sd: 0.1}}"},
      {"{beta: {mean: 0.03, sd: 0.01}}", "{beta: {mean: 0.04, sd: 0.01}}"},
      {"iterations: 6", "iterations: 7"},
  };
  for (const auto& change : models) {
    CAPTURE(change.second);
    const auto b = test::scenario(test::replaced(priced, change.first, change.second));
    CHECK_FALSE(socinvest::same_simulation(a, b));
  }
  // A line's amount down to 0 takes its department off the state's cases, which
  // eligibility (departments_with_cases) reads: not the same simulation, though the key is.
  const auto zero = test::scenario(test::replaced(priced, "amount: {uniform: [2000, 4000]}", "amount: 0"));
  CHECK(zero.simulation_key == a.simulation_key);
  CHECK_FALSE(socinvest::same_simulation(a, zero));
  // Reimbursed shares: other shares on the same steps re-price; a share that merges two
  // steps changes the layout's cells (the refusion steps), so it is simulated.
  const std::string dir = test::source_dir() + "/scenarios";
  const auto tutorial = socinvest::load_scenario(dir + "/tutorial.yaml");
  auto with_shares = [&](const std::string& shares) {
    return socinvest::load_scenario_text("include: tutorial.yaml\nreimbursement:\n  staircase: {weeks: [4, 26, 52], "
                                         "state_share: " + shares + ", to: state}\n",
                                         "shares.yaml", dir);
  };
  const auto other_shares = with_shares("[0.70, 0.45, 0.35, 0.25]");
  CHECK(socinvest::same_simulation(tutorial, other_shares));
  CHECK(same(tallies(tutorial, options(2)), tallies(other_shares, options(2))));
  CHECK_FALSE(socinvest::same_simulation(tutorial, with_shares("[0.80, 0.80, 0.30, 0.20]")));
}

TEST_CASE("compare re-prices: a file priced from another's kept simulation gives its own full run's figures, to the byte") {
  const auto a = test::scenario(priced);
  // Cheaper staff, a lower payment and another discount rate (a compare of files must share
  // the baseline's costs, so none of the baseline's prices changes).
  const auto b = test::scenario(test::replaced(
      test::replaced(test::replaced(priced, "monthly_cost_per_fte: {uniform: [40000, 60000]}", "monthly_cost_per_fte: 30000"),
                     "seed: 11}", "seed: 11, discount: {rate: 0.06}}"),
      "amount_per_person: {uniform: [5000, 15000]}", "amount_per_person: 4000"));
  REQUIRE(socinvest::same_simulation(a, b));
  for (auto kernel : {socinvest::Kernel::events, socinvest::Kernel::monthly}) {
    CAPTURE(socinvest::kernel_name(kernel));
    const auto o = options(5, kernel);
    socinvest::KeptSimulation kept;
    kept.limit_bytes = std::size_t{64} << 20;
    const auto first = socinvest::analyse(a, o, nullptr, &kept);
    REQUIRE(kept.complete);
    CHECK(kept.scenario == &a);
    const auto again = socinvest::reprice(b, o, kept);
    const auto full = socinvest::analyse(b, o);
    CHECK(again->persons_simulated == 0);
    CHECK(again->results.per_iteration == full->results.per_iteration);
    CHECK(again->baseline_fingerprint == full->baseline_fingerprint);
    CHECK(socinvest::money_csv(again->results) == socinvest::money_csv(full->results));
    // The comparison's files: the same bytes from the re-priced analysis as from the full one.
    auto compared = [&](const socinvest::Analysis& second) {
      const std::vector<socinvest::CompareInput> in{{"a.yaml", &a, first.get(), {1}}, {"b.yaml", &b, &second, {1}}};
      const auto c = socinvest::compare_options(in);
      return socinvest::compare_options_csv(c) + socinvest::compare_pairs_csv(c);
    };
    CHECK(compared(*again) == compared(*full));
    // The cheaper staff and the higher discount rate do change the figures.
    CHECK(socinvest::money_csv(first->results) != socinvest::money_csv(full->results));
  }
  // A file that changes the simulation is refused.
  const auto other = test::scenario(test::replaced(priced, "median: 1.8", "median: 1.6"));
  socinvest::KeptSimulation kept;
  kept.limit_bytes = std::size_t{64} << 20;
  (void)socinvest::analyse(a, options(3), nullptr, &kept);
  CHECK_THROWS_AS((void)socinvest::reprice(other, options(3), kept), std::logic_error);
}

TEST_CASE("tornado.html and tornado.xlsx: a bar pair per parameter, escaped text, both languages, equal files for equal input") {
  socinvest::Tornado t;
  t.central.npv.mean = -1e6;
  t.central.iterations = 10;
  for (int i = 0; i < 3; ++i) {
    socinvest::TornadoRow r;
    r.path = "costs.a<b>[" + std::to_string(i) + "].amount";
    r.distribution = "uniform(1, 2)";
    r.low = 1;
    r.high = 2;
    r.at_low.npv.mean = -2e6 + i;
    r.at_high.npv.mean = 5e5 - i;
    r.swing = r.at_high.npv.mean - r.at_low.npv.mean;
    t.rows.push_back(r);
  }
  const socinvest::SweepTarget target;
  const std::string en = socinvest::tornado_html(t, target, "Case & variant", socinvest::Language::en);
  const std::string da = socinvest::tornado_html(t, target, "Case & variant", socinvest::Language::da);
  CHECK(en.find("data-chart=\"tornado\"") != std::string::npos);
  CHECK(en.find("Case &amp; variant") != std::string::npos);
  CHECK(en.find("costs.a&lt;b&gt;[2].amount") != std::string::npos);
  CHECK(en.find("<b>") == std::string::npos);
  std::size_t bars = 0;
  for (std::size_t at = en.find("<rect"); at != std::string::npos; at = en.find("<rect", at + 1)) ++bars;
  CHECK(bars == 2 * t.rows.size());
  CHECK(en.find("One-way sensitivity") != std::string::npos);
  CHECK(da.find("envejsfølsomhed") != std::string::npos);
  CHECK(da.find("lang=\"da\"") != std::string::npos);
  test::TempDir dir;
  const auto a = (dir.path / "a.xlsx").string(), b = (dir.path / "b.xlsx").string();
  socinvest::write_tornado_workbook(a, t, target, "Case");
  socinvest::write_tornado_workbook(b, t, target, "Case");
  auto bytes = [](const std::string& p) {
    std::ifstream in(p, std::ios::binary);
    return std::string(std::istreambuf_iterator<char>(in), {});
  };
  const std::string xa = bytes(a);
  CHECK(xa.substr(0, 2) == "PK");
  CHECK(xa == bytes(b));
  CHECK_THROWS((void)socinvest::write_tornado_workbook((dir.path / "missing" / "c.xlsx").string(), t, target, "Case"));
}
