// Micro-benchmarks: the random numbers, the monthly step kernel, tally aggregation and
// pricing. Counters report items per second (person-months, blocks).
#include <socinvest/analysis.hpp>
#include <socinvest/ledger/pricing.hpp>
#include <socinvest/montecarlo/simulate.hpp>
#include <socinvest/scenario/loader.hpp>

#include <benchmark/benchmark.h>
#include <tbb/global_control.h>

namespace {

const socinvest::Scenario& reference() {
  static const auto s = socinvest::load_scenario(std::string(SOCINVEST_SOURCE_DIR) + "/benchmarks/scenarios/reference-10k.yaml");
  return s;
}

void random_block(benchmark::State& state) {
  const socinvest::Streams streams(42);
  std::uint32_t i = 0, sink = 0;
  for (auto _ : state) {
    auto b = streams.block(socinvest::Purpose::step, 1, i++, 7);
    sink ^= b[0] ^ b[3];
    benchmark::DoNotOptimize(sink);
  }
  state.SetItemsProcessed(state.iterations());
}
BENCHMARK(random_block);

void random_fill_240_steps(benchmark::State& state) {
  const socinvest::Streams streams(42);
  std::vector<std::array<std::uint32_t, 4>> out(240);
  std::uint32_t person = 0;
  for (auto _ : state) {
    for (std::uint32_t t = 0; t < 240; ++t) out[t] = streams.block(socinvest::Purpose::step, 1, person, t);
    ++person;
    benchmark::DoNotOptimize(out.data());
  }
  state.SetItemsProcessed(state.iterations() * 240);
}
BENCHMARK(random_fill_240_steps);

/// One variant of one iteration of the reference scenario on one thread.
void step_kernel(benchmark::State& state) {
  using namespace socinvest;
  tbb::global_control one(tbb::global_control::max_allowed_parallelism, 1);
  const Scenario& s = reference();
  const Layout layout = make_layout(s);
  const Streams streams(s.run.seed);
  ParameterSettings settings;
  ParameterSampler sampler(streams, 0, settings);
  const TransitionModel model = build_transition_model(s, layout, sampler);
  const Population pop = synthesize_population(s, streams, 0);
  std::vector<Enrolment> enrolment(s.variants.size());
  const auto exits = household_exit_months(model, pop, streams, 0, enrolment_horizon(model, s.run.horizon_months()), 1);
  for (std::size_t v = 1; v < s.variants.size(); ++v)
    enrolment[v] = schedule_enrolment(s, model.variants[v], pop, streams, 0, exits);
  SimulationContext context{s, layout, model, pop, enrolment, streams, 0, nullptr};
  const int variant = static_cast<int>(state.range(0));
  for (auto _ : state) {
    Tally t = simulate_variant(context, variant);
    benchmark::DoNotOptimize(t.occupancy.data());
  }
  state.SetItemsProcessed(state.iterations() * pop.persons() * layout.steps);
  state.SetLabel(variant == 0 ? "baseline (person-months)" : "variant (person-months)");
}
BENCHMARK(step_kernel)->Arg(0)->Arg(1)->Unit(benchmark::kMillisecond);

void tally_aggregation(benchmark::State& state) {
  const socinvest::Layout layout = socinvest::make_layout(reference());
  socinvest::Tally a(2, layout.steps, layout.cells, layout.transitions, layout.years, 4), b = a;
  for (auto _ : state) {
    a.add(b);
    benchmark::DoNotOptimize(a.occupancy.data());
  }
  state.SetBytesProcessed(state.iterations() * static_cast<std::int64_t>(b.occupancy.size() + b.moves.size()) * 4);
}
BENCHMARK(tally_aggregation);

} // namespace

BENCHMARK_MAIN();
