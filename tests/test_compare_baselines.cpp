// Compare of files that price the baseline differently (decision/compare.cpp): a cash
// benefit at one rate in one file and another rate in the other. Each file's variants are
// valued against that file's own baseline, on the same simulation; the change in savings is
// then the change in the rate times the reduction in cash-benefit person-months, checked
// here against the closed-form Markov chain; a file re-priced from another's kept simulation
// gives the comparison of simulating every file, to the byte; a file whose baseline
// simulates otherwise is refused.
#include "support.hpp"

#include <socinvest/decision/compare.hpp>
#include <socinvest/report/batch_report.hpp>
#include <socinvest/report/format.hpp>
#include <socinvest/report/outputs.hpp>

#include <Eigen/Dense>
#include <doctest/doctest.h>

#include <cmath>
#include <string>
#include <vector>

namespace {

// Two states: on cash benefit (kontanthjælp) or in a job. Everybody starts on benefit; a
// month on benefit ends in a job with probability 0.05, a month in a job ends back on
// benefit with probability 0.01. The project doubles the hazard of leaving benefit for
// everybody from the first month (uptake 1, no costs, so its net present value is its
// savings). No discounting and no price index: a kroner in any month counts as a kroner.
// The rate: 12,000 kr. a month here (the "2024" file); the "2025" file charges 12,432 kr.
// (12,000 x 1.036, the 2025 satsregulering, as the catalogue derives it).
const char* cash_benefit = R"(
scenario: rates-2024
title: "Cash benefit at 2024 rates"
run: {start: 2024-01, horizon_years: 2, iterations: 30, seed: 5, discount: {rate: 0}}
departments: {jobcenter: {name: Jobcenter}}
domains:
  work:
    applies_to: {role: adult, age: [18, 100]}
    states: [cash_benefit, job]
    transitions:
      cash_benefit: {to: {job: 0.05}}
      job: {to: {cash_benefit: 0.01}}
population:
  households: 1000
  synthetic:
    adults_per_household: 1
    adult_age: {uniform: [30, 40]}
    start_state: {work: {cash_benefit: 1.0}}
costs:
  work.cash_benefit: {department: jobcenter, amount: 12000, note: kontanthjælp}
variants:
  baseline: {}
  project:
    interventions:
      team:
        uptake: 1.0
        start: 2024-01
        duration_months: 24
        effects: [{transition: work.cash_benefit->job, hazard_ratio: 2.0}]
)";

constexpr double rate_2024 = 12000.0, rate_2025 = 12432.0;
constexpr double persons = 1000;
constexpr int months = 24;

std::string at_2025_rates() {
  return test::replaced(test::replaced(test::replaced(cash_benefit, "scenario: rates-2024", "scenario: rates-2025"),
                                       "2024 rates", "2025 rates"),
                        "amount: 12000", "amount: 12432");
}

/// Expected person-months on cash benefit over the horizon, per person: the sum over the
/// months of the share on benefit, start x P^t of the two-state chain with exit `out`.
double benefit_months(double out) {
  Eigen::Matrix2d P;
  P << 1.0 - out, out, //
      0.01, 0.99;
  Eigen::RowVector2d pi(1.0, 0.0);
  double total = 0.0;
  for (int t = 0; t < months; ++t) {
    total += pi(0);
    pi = pi * P;
  }
  return total;
}

socinvest::RunOptions two_threads(int iterations) {
  socinvest::RunOptions o;
  o.iterations = iterations;
  o.threads = 2;
  o.has_seed = true;
  o.seed = 5;
  return o;
}

} // namespace

TEST_CASE("compare across baselines: the savings change by the rate's change times the reduction in benefit months") {
  const auto a = test::scenario(cash_benefit, "rates-2024.yaml");
  const auto b = test::scenario(at_2025_rates(), "rates-2025.yaml");
  REQUIRE(socinvest::same_simulation(a, b));
  const auto o = two_threads(30);
  socinvest::KeptSimulation kept;
  kept.limit_bytes = std::size_t{64} << 20;
  const auto first = socinvest::analyse(a, o, nullptr, &kept);
  REQUIRE(kept.complete);
  const auto second = socinvest::reprice(b, o, kept);
  // The baselines differ: the same persons, another rate.
  CHECK(first->baseline_fingerprint != second->baseline_fingerprint);
  const std::vector<socinvest::CompareInput> in{{"rates-2024.yaml", &a, first.get(), {1}},
                                                {"rates-2025.yaml", &b, second.get(), {1}}};
  const auto c = socinvest::compare_options(in);
  REQUIRE(c.options.size() == 3);
  REQUIRE(c.baselines.size() == 2);
  CHECK_FALSE(c.shared_baseline());
  CHECK(c.options[1].label == "rates-2024:project");
  CHECK(c.options[2].label == "rates-2025:project");
  CHECK(c.options[1].baseline == 0);
  CHECK(c.options[2].baseline == 1);
  CHECK(c.baselines[0].scenario == "rates-2024");
  CHECK(c.baselines[1].scenario == "rates-2025");
  CHECK(c.baselines[0].options == std::vector<int>{1});
  CHECK(c.baselines[1].options == std::vector<int>{2});

  // Per iteration: the 2025 file's savings less the 2024 file's are (Y - X) times that
  // iteration's reduction in benefit months (the same persons in both files). So the
  // reduction per iteration is the difference over (Y - X): a whole number of months.
  const double step = rate_2025 - rate_2024;
  std::vector<double> reduction;
  for (std::size_t i = 0; i < c.options[1].samples.size(); ++i) {
    const double r = (c.options[2].samples[i] - c.options[1].samples[i]) / step;
    CHECK(std::abs(r - std::round(r)) < 1e-6);
    reduction.push_back(r);
  }
  double mean = 0.0, ss = 0.0;
  for (double r : reduction) mean += r / static_cast<double>(reduction.size());
  for (double r : reduction) ss += (r - mean) * (r - mean);
  const double se = std::sqrt(ss / static_cast<double>(reduction.size() - 1) / static_cast<double>(reduction.size()));
  // The closed form: the baseline exits at 0.05 a month, the project at 1 - 0.95^2 (the
  // hazard doubled), everybody from the first month: 1000 x (14.743 - 10.119) = 4,624.0
  // months (the two sums by hand, month by month, outside the engine).
  const double exact = persons * (benefit_months(0.05) - benefit_months(1.0 - std::pow(0.95, 2.0)));
  CHECK(exact == doctest::Approx(4624.04).epsilon(1e-5));
  const double z = std::abs(mean - exact) / std::max(se, 1e-9);
  CHECK_MESSAGE(z < 4.5, "mean reduction " << mean << " exact " << exact << " se " << se);
  // And the pair's expected difference is exactly (Y - X) x the mean reduction; the savings
  // themselves are X (or Y) x the reduction, with nothing else priced.
  REQUIRE(c.pairs.size() == 3);
  const auto& pair = c.pairs[2]; // options 1 and 2: 2024 less 2025
  CHECK(pair.a == 1);
  CHECK(pair.b == 2);
  CHECK(pair.difference.mean == doctest::Approx(-step * mean).epsilon(1e-12));
  // The pair of the same variant at the two files' prices is the one the terminal spells out.
  CHECK(c.same_variant_pairs() == std::vector<int>{2});
  CHECK(c.options[2].variant == "project");
  CHECK(c.options[1].npv.mean == doctest::Approx(rate_2024 * mean).epsilon(1e-12));
  CHECK(c.options[2].npv.mean == doctest::Approx(rate_2025 * mean).epsilon(1e-12));
  // Each baseline's cost: its rate times the baseline's benefit months (the exact chain
  // within Monte Carlo error: 1000 persons x 14.743 months x the rate).
  CHECK(c.baselines[1].cost.mean / c.baselines[0].cost.mean == doctest::Approx(rate_2025 / rate_2024).epsilon(1e-12));
  CHECK(c.baselines[0].cost.mean / rate_2024 == doctest::Approx(persons * benefit_months(0.05)).epsilon(0.01));
  // What is written says which baseline each option is against.
  CHECK(socinvest::compare_baselines_csv(c) ==
        "option,baseline,baseline_gross_cost_mean\n"
        "rates-2024:project,rates-2024," + socinvest::exact_number(c.baselines[0].cost.mean) + "\n"
        "rates-2025:project,rates-2025," + socinvest::exact_number(c.baselines[1].cost.mean) + "\n");
  const std::string json = socinvest::compare_json(c, {});
  CHECK(json.find("\"shared_baseline\": false, \"baselines\": [{\"baseline\": \"rates-2024\"") != std::string::npos);
  CHECK(json.find("\"options\": [\"rates-2025:project\"]}]") != std::string::npos);
  const std::string en = socinvest::compare_html(c, socinvest::Language::en);
  const std::string da = socinvest::compare_html(c, socinvest::Language::da);
  CHECK(en.find("The files price the baseline differently") != std::string::npos);
  CHECK(en.find("rates-2025 (Cash benefit at 2025 rates)") != std::string::npos);
  CHECK(en.find("baseline (each file&#39;s own)") != std::string::npos);
  CHECK(da.find("Filerne prissætter basisforløbet forskelligt") != std::string::npos);
  CHECK(da.find("The files price") == std::string::npos);
  CHECK(socinvest::option_label(c, 0, socinvest::Language::da) == "basisforløbet (hver fils eget)");
  CHECK(socinvest::baseline_options(c, 1, socinvest::Language::en) == "rates-2025:project");
}

TEST_CASE("compare across baselines: re-priced equals simulated to the byte; one shared baseline stays one") {
  const auto a = test::scenario(cash_benefit, "rates-2024.yaml");
  const auto b = test::scenario(at_2025_rates(), "rates-2025.yaml");
  for (auto kernel : {socinvest::Kernel::events, socinvest::Kernel::monthly}) {
    CAPTURE(socinvest::kernel_name(kernel));
    auto o = two_threads(6);
    o.kernel = kernel;
    socinvest::KeptSimulation kept;
    kept.limit_bytes = std::size_t{64} << 20;
    const auto first = socinvest::analyse(a, o, nullptr, &kept);
    REQUIRE(kept.complete);
    const auto again = socinvest::reprice(b, o, kept);
    const auto full = socinvest::analyse(b, o);
    auto written = [&](const socinvest::Analysis& second) {
      const std::vector<socinvest::CompareInput> in{{"a.yaml", &a, first.get(), {1}}, {"b.yaml", &b, &second, {1}}};
      const auto c = socinvest::compare_options(in);
      CHECK(c.baselines.size() == 2);
      return socinvest::compare_options_csv(c) + socinvest::compare_pairs_csv(c) + socinvest::compare_baselines_csv(c) +
             socinvest::compare_json(c, {}) + socinvest::compare_html(c, socinvest::Language::da);
    };
    CHECK(written(*again) == written(*full));
    // Against its own baseline: b's option is b's own run's net present value, iteration by
    // iteration, as if b were compared alone.
    const std::vector<socinvest::CompareInput> in{{"a.yaml", &a, first.get(), {1}}, {"b.yaml", &b, again.get(), {1}}};
    const auto c = socinvest::compare_options(in);
    CHECK(c.options[2].samples == socinvest::npv_samples(*full, 1, "total"));
  }
  // A file that changes only the project (a stronger effect) keeps the baseline's costs:
  // one baseline, shared, as before.
  const auto stronger = test::scenario(test::replaced(test::replaced(cash_benefit, "scenario: rates-2024", "scenario: stronger"),
                                                      "hazard_ratio: 2.0", "hazard_ratio: 2.5"),
                                       "stronger.yaml");
  const auto o = two_threads(4);
  const auto first = socinvest::analyse(a, o);
  const auto strong = socinvest::analyse(stronger, o);
  const std::vector<socinvest::CompareInput> shared{{"a.yaml", &a, first.get(), {1}},
                                                    {"stronger.yaml", &stronger, strong.get(), {1}}};
  const auto c = socinvest::compare_options(shared);
  CHECK(c.shared_baseline());
  CHECK(c.baselines.size() == 1);
  CHECK(c.baselines[0].options == std::vector<int>{1, 2});
  CHECK(c.same_variant_pairs().empty()); // one baseline: nothing priced otherwise
  CHECK(socinvest::option_label(c, 0, socinvest::Language::en) == "baseline");
  CHECK(socinvest::compare_html(c, socinvest::Language::en).find("id=\"baselines\"") == std::string::npos);
}

TEST_CASE("compare across baselines: a file whose baseline simulates otherwise is refused, saying why") {
  const auto a = test::scenario(cash_benefit, "rates-2024.yaml");
  // Another rate and another chance of finding a job without the project: other persons in
  // the baseline, not only other prices.
  const auto other = test::scenario(test::replaced(at_2025_rates(), "{to: {job: 0.05}}", "{to: {job: 0.06}}"), "other.yaml");
  CHECK_FALSE(socinvest::same_simulation(a, other));
  const auto o = two_threads(4);
  const auto first = socinvest::analyse(a, o);
  const auto second = socinvest::analyse(other, o);
  const std::vector<socinvest::CompareInput> in{{"rates-2024.yaml", &a, first.get(), {1}},
                                                {"other.yaml", &other, second.get(), {1}}};
  try {
    (void)socinvest::compare_options(in);
    FAIL("compare accepted a baseline that simulates otherwise");
  } catch (const socinvest::InvalidInput& e) {
    const std::string what = e.what();
    CAPTURE(what);
    CHECK(what.find("other.yaml") != std::string::npos);
    CHECK(what.find("variants.baseline") != std::string::npos);
    CHECK(what.find("does not simulate as any earlier file") != std::string::npos);
  }
}
