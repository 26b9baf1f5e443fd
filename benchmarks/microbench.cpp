// Micro-benchmarks: the random numbers, the two step kernels (events, monthly), tally
// aggregation. Counters report items per second (person-months, blocks, clocks).
#include <socinvest/analysis.hpp>
#include <socinvest/ledger/pricing.hpp>
#include <socinvest/montecarlo/simulate.hpp>
#include <socinvest/scenario/loader.hpp>

#include <benchmark/benchmark.h>
#include <tbb/global_control.h>

#include "montecarlo/spell_clock.hpp" // internal: the floor below decides clocks as the kernel does

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

/// The floor of the peer model's simulation (README, "The peer benchmark"): what the event
/// kernel must do for it at the least, and nothing else. Each person of the peer model
/// (benchmarks/scenarios/hesim-model.yaml, iteration 0's rows; one adult, one domain, no
/// bands, links or effects) goes through the horizon as a chain of spells: a clock word per
/// spell, a block of window clocks per four 12-month windows, the same bounds (ClockBounds)
/// and, per move, the kernel's two blocks side by side (destination, next clock), the
/// destination search and the occupancy and move tallies. The kernel's own bookkeeping
/// (households, members, domains, rows looked up per visit, effects, refusion, links,
/// groups) is left out, so the difference between this and the kernel's time per
/// person-month is what that generality costs. Not the engine's code: a measurement.
void peer_floor(benchmark::State& state) {
  using namespace socinvest;
  static const Scenario s = load_scenario(std::string(SOCINVEST_SOURCE_DIR) + "/benchmarks/scenarios/hesim-model.yaml");
  const Layout layout = make_layout(s);
  const Streams streams(s.run.seed);
  ParameterSettings settings;
  ParameterSampler sampler(streams, 0, settings);
  const TransitionModel model = build_transition_model(s, layout, sampler);
  const ModelDomain& md = model.domains[0];
  const int steps = layout.steps, states = md.states, persons = s.population.households;
  constexpr int window = 12, never = 1 << 30;
  std::vector<std::uint32_t> occupancy(static_cast<std::size_t>(steps) * states),
      moves(static_cast<std::size_t>(steps) * states * states);
  kernel::ClockBoundsCache cache(window);
  std::uint32_t iteration = 0;
  for (auto _ : state) {
    for (int p = 0; p < persons; ++p) {
      const auto person = static_cast<std::uint32_t>(p);
      int s0 = 0, since = 0, end = window, block = -1;
      std::uint32_t word = streams.block(Purpose::spell_clock, iteration, person, 0)[0];
      std::array<std::uint32_t, 4> words{};
      auto window_word = [&](int w) {
        if (w / 4 != block) words = streams.block(Purpose::window_clock, iteration, person, static_cast<std::uint32_t>(block = w / 4) << 4);
        return words[static_cast<std::size_t>(w % 4)];
      };
      ++occupancy[static_cast<std::size_t>(s0)];
      for (;;) {
        const std::size_t row = md.row_key(s0, 0, 0u).index();
        const double total = md.total_hazard[row];
        if (!(total > 0.0)) break;
        const kernel::ClockBounds* bounds = cache.find(total);
        int out = never, from = since, to = end;
        std::uint32_t w = word;
        while (from < steps) {
          int n = bounds ? bounds->steps_until(w, to - from) : 0;
          if (n == 0) n = steps_until(Streams::clock(w), total, never);
          if (n - 1 < to - from) {
            out = from + n - 1;
            break;
          }
          from = to;
          to += window;
          if (from >= steps) break;
          w = window_word(from / window);
        }
        if (out >= steps) break;
        const auto move = streams.block_pair(Purpose::transition, person, static_cast<std::uint32_t>(out) << 4, Purpose::spell_clock,
                                             person, static_cast<std::uint32_t>(out + 1) << 4, iteration);
        const double target = Streams::unit(move[0][0]) * total;
        const int n = md.row_length[row];
        const double* hazard = &md.hazard[md.row_start[row]];
        int j = 0;
        for (double cum = hazard[0]; j + 1 < n && target >= cum; cum += hazard[++j]) {}
        const int next = md.destination[md.row_start[row] + static_cast<std::size_t>(j)];
        ++moves[(static_cast<std::size_t>(out) * states + s0) * states + next];
        const int t = out + 1;
        if (t >= steps) break;
        --occupancy[static_cast<std::size_t>(t) * states + s0];
        ++occupancy[static_cast<std::size_t>(t) * states + next];
        s0 = next;
        since = t;
        if (t % window == 0) {
          word = window_word(t / window);
          end = t + window;
        } else {
          word = move[1][0];
          end = (t / window + 1) * window;
        }
      }
    }
    benchmark::DoNotOptimize(moves.data());
    ++iteration;
  }
  state.SetItemsProcessed(state.iterations() * static_cast<std::int64_t>(persons) * steps);
  state.SetLabel("person-months");
}
BENCHMARK(peer_floor)->Unit(benchmark::kMillisecond);

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
