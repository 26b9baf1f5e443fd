#include <socinvest/analysis.hpp>

#include <socinvest/distributed/share.hpp>
#include <socinvest/footprint.hpp>
#include <socinvest/hash.hpp>

#include <atomic>
#include <chrono>
#include <iostream>
#include <string_view>

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
    a->results_here = false;
    return a;
  }
  try {
    a->persons_simulated = mine.persons;
    receive_shares(ranks, iterations, *rows, a->baseline_fingerprint, a->persons_simulated);
  } catch (const std::exception& e) {
    // The others may still be sending: they cannot be told, only stopped.
    std::cerr << "error: rank 0 could not take the other ranks' results: " << e.what() << "\n";
    ranks.abort(static_cast<int>(ExitCode::io));
  }
  a->rows_on_disk = rows->on_disk();
  a->results = build_results(scenario, a->pricing, a->plan, *rows);
  a->seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - started).count();
  return a;
}

} // namespace

std::unique_ptr<Analysis> analyse(const Scenario& scenario, const RunOptions& options, Trace* trace) {
  if (options.ranks && options.ranks->size() > 1) return analyse_shared(scenario, options, trace);
  // Refused before anything is simulated when it would not fit (footprint.hpp).
  check_footprint(scenario, options, trace ? trace->households : 0);
  auto a = std::make_unique<Analysis>();
  const auto started = std::chrono::steady_clock::now();
  a->plan = plan_run(scenario, options);
  a->pricing = make_pricing_plan(scenario, a->plan.neutralise_transfers);
  const auto iterations = static_cast<std::size_t>(a->plan.iterations);
  if (options.keep_books) a->books.resize(iterations);
  a->baseline_fingerprint.resize(iterations);
  ColumnStore rows(iterations, options.rows_memory_bytes);
  std::atomic<std::int64_t> persons{0};
  // Each iteration is priced as soon as it is simulated, its tallies dropped, and its book
  // reduced to one row of the quantities the results summarise, written into its own slot:
  // the order never depends on the threads, and memory does not grow with the iterations.
  run_monte_carlo(
      scenario, options,
      [&](const IterationData& data) {
        IterationBook book = price_iteration(data, a->pricing);
        rows.write_row(data.iteration, result_row(scenario, a->pricing, a->plan, book));
        a->baseline_fingerprint[data.iteration] = fingerprint(book.variants[0].gross);
        for (const auto& v : book.variants)
          if (v.simulated) persons += v.persons;
        if (options.keep_books) a->books[data.iteration] = std::move(book);
      },
      trace);
  a->persons_simulated = persons.load();
  a->rows_on_disk = rows.on_disk();
  a->results = build_results(scenario, a->pricing, a->plan, rows);
  a->seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - started).count();
  return a;
}

} // namespace socinvest
