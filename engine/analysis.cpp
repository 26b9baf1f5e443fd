#include <socinvest/analysis.hpp>

#include <socinvest/errors.hpp>
#include <socinvest/distributed/share.hpp>
#include <socinvest/footprint.hpp>
#include <socinvest/hash.hpp>

#include <atomic>
#include <chrono>
#include <stdexcept>
#include <iostream>
#include <mutex>
#include <string_view>

#include <tbb/parallel_for.h>
#include <tbb/task_arena.h>

namespace socinvest {

namespace {

std::uint64_t fingerprint(const std::vector<double>& values) {
  // This basis lacks a digit of FNV's (a typo kept on purpose): fingerprints only compare
  // with each other, and changing it would change nothing but their values.
  constexpr std::uint64_t basis = 1469598103934665603ULL;
  return fnv1a(std::string_view(reinterpret_cast<const char*>(values.data()), values.size() * sizeof(double)), basis);
}

/// analyse under several ranks (distributed/ranks.hpp): this rank's share of the
/// iterations, then rank 0 gathers the others' rows and alone builds the results.
std::unique_ptr<Analysis> analyse_shared(const Scenario& scenario, const RunOptions& options, Trace* trace) {
  Ranks& ranks = *options.ranks;
  if (options.keep_books) throw std::logic_error("analyse: keep_books needs every iteration on one process");
  auto a = std::make_unique<Analysis>();
  const auto started = std::chrono::steady_clock::now();
  a->plan = plan_run(scenario, options);
  a->pricing = make_pricing_plan(scenario, a->plan.neutralise_transfers);
  const int iterations = a->plan.iterations;
  const bool root = ranks.rank() == 0;
  // Rank 0 writes its own rows into the column store as they finish; the others keep
  // theirs (their share of iterations x quantities) until rank 0 takes them.
  std::unique_ptr<ColumnStore> rows;
  ShareOfRows mine;
  mine.share = share_of(iterations, ranks.rank(), ranks.size());
  std::exception_ptr failure;
  // Each rank tallies its iterations for the workbook's re-pricing sheets; rank 0 adds the
  // others' (whole counts and fixed-point sums: the same as one process's).
  std::mutex repricing_mutex;
  std::shared_ptr<RepricingTally> repricing;
  try {
    check_footprint(scenario, options, trace ? trace->households : 0);
    if (root) {
      rows = std::make_unique<ColumnStore>(static_cast<std::size_t>(iterations), options.rows_memory_bytes);
      a->baseline_fingerprint.resize(static_cast<std::size_t>(iterations));
    } else {
      const auto count = static_cast<std::size_t>(mine.share.end - mine.share.first);
      mine.rows.resize(count);
      mine.fingerprints.resize(count);
    }
    std::atomic<std::int64_t> persons{0};
    run_monte_carlo(
        scenario, options,
        [&](const IterationData& data) {
          const IterationBook book = price_iteration(data, a->pricing);
          std::vector<double> row = result_row(scenario, a->pricing, a->plan, book);
          const std::uint64_t print = fingerprint(book.variants[0].gross);
          {
            const std::lock_guard<std::mutex> lock(repricing_mutex);
            if (!repricing) repricing = std::make_shared<RepricingTally>(scenario, *data.layout);
            repricing->add(data, book);
          }
          for (const auto& v : book.variants)
            if (v.simulated) persons += v.persons;
          if (root) {
            rows->write_row(data.iteration, row);
            a->baseline_fingerprint[data.iteration] = print;
          } else {
            const auto k = static_cast<std::size_t>(static_cast<int>(data.iteration) - mine.share.first);
            mine.rows[k] = std::move(row);
            mine.fingerprints[k] = print;
          }
        },
        root ? trace : nullptr);
    mine.persons = persons.load();
  } catch (...) {
    failure = std::current_exception();
  }
  agree_on_failure(ranks, failure); // throws on every rank when any failed
  if (!root) {
    send_share(ranks, mine);
    send_tally(ranks, repricing.get());
    a->results_here = false;
    return a;
  }
  try {
    a->persons_simulated = mine.persons;
    receive_shares(ranks, iterations, *rows, a->baseline_fingerprint, a->persons_simulated);
    receive_tallies(ranks, scenario, repricing);
  } catch (const std::exception& e) {
    // The others may still be sending: they cannot be told, only stopped.
    std::cerr << "error: rank 0 could not take the other ranks' results: " << e.what() << "\n";
    ranks.abort(static_cast<int>(ExitCode::io));
  }
  a->rows_on_disk = rows->on_disk();
  a->results = build_results(scenario, a->pricing, a->plan, *rows);
  a->results.repricing = std::move(repricing);
  a->seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - started).count();
  return a;
}

} // namespace

namespace {

/// One priced iteration into the analysis: its row of the results, the baseline's
/// fingerprint, and the book when kept. Called concurrently for different iterations.
void record(const Scenario& scenario, const RunOptions& options, Analysis& a, ColumnStore& rows, IterationBook book) {
  const auto i = book.iteration;
  rows.write_row(i, result_row(scenario, a.pricing, a.plan, book));
  a.baseline_fingerprint[i] = fingerprint(book.variants[0].gross);
  if (options.keep_books) a.books[i] = std::move(book);
}

/// The plan and its sizes, before anything is priced.
std::unique_ptr<Analysis> start(const Scenario& scenario, const RunOptions& options) {
  auto a = std::make_unique<Analysis>();
  a->plan = plan_run(scenario, options);
  a->pricing = make_pricing_plan(scenario, a->plan.neutralise_transfers);
  const auto iterations = static_cast<std::size_t>(a->plan.iterations);
  if (options.keep_books) a->books.resize(iterations);
  a->baseline_fingerprint.resize(iterations);
  return a;
}

double seconds_since(std::chrono::steady_clock::time_point started) {
  return std::chrono::duration<double>(std::chrono::steady_clock::now() - started).count();
}

/// Parameter settings that agree on everything but price-only parameters.
template <class Map> bool same_but_prices(const Scenario& s, const Map& a, const Map& b) {
  for (const auto* m : {&a, &b})
    for (const auto& [path, value] : *m) {
      if (s.price_only(path)) continue;
      const Map& other = m == &a ? b : a;
      const auto it = other.find(path);
      if (it == other.end() || !(it->second == value)) return false;
    }
  return true;
}

} // namespace

std::unique_ptr<Analysis> analyse(const Scenario& scenario, const RunOptions& options, Trace* trace, KeptSimulation* keep) {
  if (options.ranks && options.ranks->size() > 1) {
    if (keep) throw std::logic_error("analyse: a simulation is kept for re-pricing on one process only");
    return analyse_shared(scenario, options, trace);
  }
  // Refused before anything is simulated when it would not fit (footprint.hpp).
  check_footprint(scenario, options, trace ? trace->households : 0);
  const auto started = std::chrono::steady_clock::now();
  auto a = start(scenario, options);
  const auto iterations = static_cast<std::size_t>(a->plan.iterations);
  ColumnStore rows(iterations, options.rows_memory_bytes);
  std::atomic<std::int64_t> persons{0};
  // Keeping the simulation: each iteration's part adds its bytes; the first that would pass
  // the limit stops the keeping (and what was kept is dropped after the run).
  std::atomic<std::size_t> kept_bytes{0};
  std::atomic<bool> keeping{keep != nullptr};
  if (keep) {
    keep->iterations.clear();
    keep->iterations.resize(iterations);
    keep->complete = false;
  }
  // Whole counts for the workbook's re-pricing sheets: integer sums, so the order in which
  // the threads deliver the iterations does not matter.
  std::mutex repricing_mutex;
  std::shared_ptr<RepricingTally> repricing;
  // Each iteration is priced as soon as it is simulated, its tallies dropped, and its book
  // reduced to one row of the quantities the results summarise, written into its own slot:
  // the order never depends on the threads, and memory does not grow with the iterations.
  run_monte_carlo(
      scenario, options,
      [&](const IterationData& data) {
        if (keeping.load()) {
          SimulatedIteration kept = simulated_iteration(data);
          const std::size_t bytes = kept.bytes();
          if (kept_bytes.fetch_add(bytes) + bytes > keep->limit_bytes) keeping = false;
          else keep->iterations[data.iteration] = std::move(kept);
        }
        IterationBook book = price_iteration(data, a->pricing);
        {
          const std::lock_guard<std::mutex> lock(repricing_mutex);
          if (!repricing) repricing = std::make_shared<RepricingTally>(scenario, *data.layout);
          repricing->add(data, book);
        }
        for (const auto& v : book.variants)
          if (v.simulated) persons += v.persons;
        record(scenario, options, *a, rows, std::move(book));
      },
      trace);
  if (keep) {
    keep->bytes = kept_bytes.load();
    keep->complete = keeping.load();
    if (keep->complete) {
      keep->options = options;
      keep->options.progress = nullptr;
      keep->options.cancel = nullptr;
    } else {
      std::vector<SimulatedIteration>().swap(keep->iterations);
    }
  }
  a->persons_simulated = persons.load();
  a->rows_on_disk = rows.on_disk();
  a->results = build_results(scenario, a->pricing, a->plan, rows);
  a->results.repricing = std::move(repricing);
  a->seconds = seconds_since(started);
  return a;
}

bool same_simulation(const Scenario& s, const RunOptions& a, const RunOptions& b) {
  const RunPlan pa = plan_run(s, a), pb = plan_run(s, b);
  return pa.iterations == pb.iterations && pa.seed == pb.seed && pa.variants == pb.variants && a.kernel == b.kernel &&
         a.parameters.central == b.parameters.central && same_but_prices(s, a.parameters.fixed, b.parameters.fixed) &&
         same_but_prices(s, a.parameters.quantiles, b.parameters.quantiles);
}

std::unique_ptr<Analysis> reprice(const Scenario& scenario, const RunOptions& options, const KeptSimulation& kept) {
  if (!kept.complete) throw std::logic_error("reprice: the simulation was not kept whole");
  if (!same_simulation(scenario, kept.options, options))
    throw std::logic_error("reprice: the options change the simulation, not only prices");
  const auto started = std::chrono::steady_clock::now();
  auto a = start(scenario, options);
  const auto iterations = static_cast<std::size_t>(a->plan.iterations);
  ColumnStore rows(iterations, options.rows_memory_bytes);
  const Layout layout = make_layout(scenario);
  const Streams streams(a->plan.seed);
  tbb::task_arena arena(a->plan.threads);
  arena.execute([&] {
    tbb::parallel_for(std::size_t{0}, iterations, [&](std::size_t i) {
      if (options.cancel && options.cancel->load()) return;
      const SimulatedIteration& simulated = kept.iterations[i];
      // The same keyed draws as the run: the prices of iteration i under these settings.
      const ParameterSampler sampler(streams, simulated.iteration, options.parameters);
      record(scenario, options, *a, rows, price_iteration(simulated, scenario, layout, sampler, a->pricing));
    });
  });
  if (options.cancel && options.cancel->load()) throw Cancelled();
  a->rows_on_disk = rows.on_disk();
  a->results = build_results(scenario, a->pricing, a->plan, rows);
  a->seconds = seconds_since(started);
  return a;
}

} // namespace socinvest
