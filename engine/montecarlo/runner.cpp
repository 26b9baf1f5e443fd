#include <socinvest/montecarlo/runner.hpp>

#include <socinvest/distributed/ranks.hpp>
#include <socinvest/errors.hpp>
#include <socinvest/ledger/budget_years.hpp>
#include <socinvest/montecarlo/success_rate.hpp>

#include <tbb/info.h>
#include <tbb/parallel_for.h>
#include <tbb/task_arena.h>

#include <algorithm>
#include <mutex>

namespace socinvest {

RunPlan plan_run(const Scenario& s, const RunOptions& o) {
  RunPlan plan;
  plan.iterations = o.iterations > 0 ? o.iterations : s.run.iterations;
  plan.seed = o.has_seed ? o.seed : s.run.seed;
  plan.threads = o.threads > 0 ? o.threads : tbb::info::default_concurrency();
  plan.budget_year = budget_year_for(s.run, o.budget_year);
  plan.budget_prices = o.current_prices ? BudgetPrices::current : BudgetPrices::fixed;
  plan.neutralise_transfers = o.neutralise_transfers || s.run.neutralise_transfers;
  plan.variants.push_back(0);
  if (o.variants.empty()) {
    for (int v = 1; v < static_cast<int>(s.variants.size()); ++v) plan.variants.push_back(v);
  } else {
    for (int v : o.variants)
      if (v > 0 && std::find(plan.variants.begin(), plan.variants.end(), v) == plan.variants.end())
        plan.variants.push_back(v);
  }
  return plan;
}

void run_monte_carlo(const Scenario& s, const RunOptions& o, const std::function<void(const IterationData&)>& consume,
                     Trace* trace) {
  const RunPlan plan = plan_run(s, o);
  const Layout layout = make_layout(s);
  const Streams streams(plan.seed);
  Population extract;
  const bool from_csv = !s.population.csv_path.empty();
  if (from_csv) extract = read_population_csv(s);
  // This rank's iterations (all of them without ranks): each iteration's random numbers
  // are keyed by the iteration, not by who computes it.
  const IterationShare share =
      o.ranks ? share_of(plan.iterations, o.ranks->rank(), o.ranks->size()) : IterationShare{0, plan.iterations};
  std::atomic<int> done{0};
  std::mutex trace_mutex;
  tbb::task_arena arena(plan.threads);
  arena.execute([&] {
    tbb::parallel_for(share.first, share.end, [&](int i) {
      if (o.cancel && o.cancel->load()) return;
      const auto iteration = static_cast<std::uint32_t>(i);
      ParameterSampler sampler(streams, iteration, o.parameters);
      // Not const: a variant's success-rate effects get their solved hazard ratios below.
      TransitionModel model = build_transition_model(s, layout, sampler);
      const Population population = population_for_iteration(s, from_csv ? &extract : nullptr, streams, iteration);
      IterationData data;
      data.iteration = iteration;
      data.scenario = &s;
      data.layout = &layout;
      data.parameters = &sampler;
      data.population = &population;
      data.model = &model;
      data.variants = plan.variants;
      data.enrolment.resize(s.variants.size());
      const std::vector<int> exits = household_exit_months(
          model, population, streams, iteration, enrolment_horizon(model, s.run.horizon_months()), s.run.cycle_months);
      for (int v : plan.variants)
        if (v > 0) data.enrolment[v] = schedule_enrolment(s, model.variants[v], population, streams, iteration, exits);
      SimulationContext context{s, layout, model, population, data.enrolment, streams, iteration, o.cancel, o.kernel};
      for (int v : plan.variants) {
        Trace local;
        local.households = (trace && i == 0) ? trace->households : 0;
        // plan.variants starts with the baseline (0), whose tally the variants build on.
        const Tally* baseline = v > 0 && !data.tallies.empty() ? &data.tallies.front() : nullptr;
        // Success-rate effects (montecarlo/success_rate.hpp): their ratios are solved on
        // this iteration's households and random numbers, then the variant runs with them.
        if (baseline) solve_success_rates(context, model, v, *baseline);
        data.tallies.push_back(simulate_variant(context, v, local.households ? &local : nullptr, baseline));
        if (local.households) {
          std::lock_guard lock(trace_mutex);
          for (auto& line : local.lines) trace->lines.push_back(std::move(line));
        }
      }
      if (o.cancel && o.cancel->load()) return;
      consume(data);
      int finished = ++done;
      if (o.progress) o.progress(finished, share.end - share.first);
    });
  });
  if (o.cancel && o.cancel->load()) throw Cancelled();
}

} // namespace socinvest
