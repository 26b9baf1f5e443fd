// Micro-benchmarks: the random numbers, the two step kernels (events, monthly), tally
// aggregation. Counters report items per second (person-months, blocks, clocks).
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

/// A block whose key depends on the block before (the kernel, which mostly needs a block's
/// word at once, pays this latency rather than random_block's throughput).
void random_block_chain(benchmark::State& state) {
  const socinvest::Streams streams(42);
  std::uint32_t word = 0;
  for (auto _ : state) {
    word = streams.block(socinvest::Purpose::step, 1, word, 7)[0];
    benchmark::DoNotOptimize(word);
  }
  state.SetItemsProcessed(state.iterations());
}
BENCHMARK(random_block_chain);

/// What the event kernel pays per spell: one block and a logarithm for its clock.
void spell_clock(benchmark::State& state) {
  const socinvest::Streams streams(42);
  std::uint32_t i = 0;
  double sink = 0.0;
  for (auto _ : state) {
    sink += socinvest::Streams::clock(streams.block(socinvest::Purpose::spell_clock, 1, i++, 7)[0]);
    benchmark::DoNotOptimize(sink);
  }
  state.SetItemsProcessed(state.iterations());
}
BENCHMARK(spell_clock);

/// One variant of one iteration of the reference scenario on one thread; arguments:
/// variant (0 baseline, 1 the project), kernel (0 events, 1 monthly).
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
  const Kernel kernel = state.range(1) == 0 ? Kernel::events : Kernel::monthly;
  SimulationContext context{s, layout, model, pop, enrolment, streams, 0, nullptr, kernel};
  const int variant = static_cast<int>(state.range(0));
  for (auto _ : state) {
    Tally t = simulate_variant(context, variant);
    benchmark::DoNotOptimize(t.occupancy.data());
  }
  state.SetItemsProcessed(state.iterations() * pop.persons() * layout.steps);
  state.SetLabel(std::string(kernel == Kernel::events ? "events, " : "monthly, ") +
                 (variant == 0 ? "baseline (person-months)" : "variant (person-months)"));
}
BENCHMARK(step_kernel)->Args({0, 0})->Args({1, 0})->Args({0, 1})->Args({1, 1})->Unit(benchmark::kMillisecond);

void tally_aggregation(benchmark::State& state) {
  const socinvest::Layout layout = socinvest::make_layout(reference());
  socinvest::Tally a(2, layout.steps, layout.cells, layout.transitions, layout.points.size(), 4), b = a;
  for (auto _ : state) {
    a.add(b);
    benchmark::DoNotOptimize(a.occupancy.data());
  }
  state.SetBytesProcessed(state.iterations() * static_cast<std::int64_t>(b.occupancy.size() + b.moves.size()) * 4);
}
BENCHMARK(tally_aggregation);

} // namespace

BENCHMARK_MAIN();
