#include <socinvest/analysis.hpp>

#include <socinvest/footprint.hpp>
#include <socinvest/hash.hpp>

#include <atomic>
#include <chrono>
#include <mutex>
#include <string_view>

namespace socinvest {

namespace {

std::uint64_t fingerprint(const std::vector<double>& values) {
  // This basis lacks a digit of FNV's (a typo kept on purpose): fingerprints only compare
  // with each other, and changing it would change nothing but their values.
  constexpr std::uint64_t basis = 1469598103934665603ULL;
  return fnv1a(std::string_view(reinterpret_cast<const char*>(values.data()), values.size() * sizeof(double)), basis);
}

} // namespace

std::unique_ptr<Analysis> analyse(const Scenario& scenario, const RunOptions& options, Trace* trace) {
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
        IterationBook book = price_iteration(data, a->pricing);
        {
          const std::lock_guard<std::mutex> lock(repricing_mutex);
          if (!repricing) repricing = std::make_shared<RepricingTally>(scenario, *data.layout);
          repricing->add(data, book);
        }
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
  a->results.repricing = std::move(repricing);
  a->seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - started).count();
  return a;
}

} // namespace socinvest
