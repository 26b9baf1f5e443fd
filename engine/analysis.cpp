#include <socinvest/analysis.hpp>

#include <chrono>

namespace socinvest {

std::unique_ptr<Analysis> analyse(const Scenario& scenario, const RunOptions& options, Trace* trace) {
  auto a = std::make_unique<Analysis>();
  const auto started = std::chrono::steady_clock::now();
  a->pricing = make_pricing_plan(scenario);
  a->plan = plan_run(scenario, options);
  a->books.resize(static_cast<std::size_t>(a->plan.iterations));
  // Each iteration is priced as soon as it is simulated and its tallies dropped; the books
  // are written into their own slot, so their order never depends on the threads.
  run_monte_carlo(
      scenario, options,
      [&](const IterationData& data) { a->books[data.iteration] = price_iteration(data, a->pricing); }, trace);
  a->results = build_results(scenario, a->pricing, a->plan, a->books);
  a->seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - started).count();
  return a;
}

} // namespace socinvest
