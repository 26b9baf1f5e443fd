#include <socinvest/analysis.hpp>

#include <socinvest/errors.hpp>
#include <socinvest/distributed/share.hpp>
#include <socinvest/footprint.hpp>
#include <socinvest/hash.hpp>
#include <socinvest/interventions/enrolment.hpp>
#include <socinvest/model/layout.hpp>

#include <atomic>
#include <chrono>
#include <cstring>
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

/// Keeps a run's simulation for re-pricing (KeptSimulation) as its iterations finish: each
/// iteration's part adds its bytes, and the first that would pass the limit stops the
/// keeping (what was kept is dropped at the end).
class Keeper {
public:
  /// `keep` may be null (nothing kept); iterations [first, first + count) are this process's.
  Keeper(KeptSimulation* keep, int first, int count) : keep_(keep), first_(first), keeping_(keep != nullptr) {
    if (!keep) return;
    keep->iterations.clear();
    keep->iterations.resize(static_cast<std::size_t>(std::max(0, count)));
    keep->first = first;
    keep->complete = false;
  }
  /// Called concurrently for different iterations.
  void add(const IterationData& data) {
    if (!keeping_.load()) return;
    SimulatedIteration kept = simulated_iteration(data);
    const std::size_t bytes = kept.bytes();
    if (bytes_.fetch_add(bytes) + bytes > keep_->limit_bytes) keeping_ = false;
    else keep_->iterations[static_cast<std::size_t>(static_cast<int>(data.iteration) - first_)] = std::move(kept);
  }
  [[nodiscard]] bool whole() const { return keeping_.load(); }
  [[nodiscard]] std::size_t bytes() const { return bytes_.load(); }
  /// After the run: `complete` when every part was kept (under MPI: on every rank, within
  /// the limit over all ranks), holding `bytes` (under MPI: all ranks').
  void finish(const Scenario& scenario, const RunOptions& options, bool complete, std::size_t bytes) {
    if (!keep_) return;
    keep_->bytes = bytes;
    keep_->complete = complete;
    if (complete) {
      keep_->scenario = &scenario;
      keep_->options = options;
      keep_->options.progress = nullptr;
      keep_->options.cancel = nullptr;
    } else {
      std::vector<SimulatedIteration>().swap(keep_->iterations);
    }
  }

private:
  KeptSimulation* keep_;
  int first_;
  std::atomic<std::size_t> bytes_{0};
  std::atomic<bool> keeping_;
};

/// Where the ranks of an MPI job put the rows of their shares (distributed/ranks.hpp): rank 0
/// writes its own into its column store as they are priced, the others keep theirs (their
/// share of iterations x quantities) until rank 0 takes them. `run` and re-pricing alike.
class SharedRows {
public:
  SharedRows(Ranks& ranks, Analysis& a, const RunOptions& options) : ranks_(ranks), a_(a), options_(options) {
    mine_.share = share_of(a.plan.iterations, ranks.rank(), ranks.size());
  }
  [[nodiscard]] bool root() const { return ranks_.rank() == 0; }
  [[nodiscard]] const IterationShare& share() const { return mine_.share; }
  /// Before any row: the room for them.
  void open() {
    if (root()) {
      rows_ = std::make_unique<ColumnStore>(static_cast<std::size_t>(a_.plan.iterations), options_.rows_memory_bytes);
      a_.baseline_fingerprint.resize(static_cast<std::size_t>(a_.plan.iterations));
    } else {
      const auto count = static_cast<std::size_t>(mine_.share.end - mine_.share.first);
      mine_.rows.resize(count);
      mine_.fingerprints.resize(count);
    }
  }
  /// One priced iteration of this rank's share; called concurrently for different iterations.
  void put(const Scenario& scenario, const IterationBook& book) {
    std::vector<double> row = result_row(scenario, a_.pricing, a_.plan, book);
    const std::uint64_t print = fingerprint(book.variants[0].gross);
    if (root()) {
      rows_->write_row(book.iteration, row);
      a_.baseline_fingerprint[book.iteration] = print;
    } else {
      const auto k = static_cast<std::size_t>(static_cast<int>(book.iteration) - mine_.share.first);
      mine_.rows[k] = std::move(row);
      mine_.fingerprints[k] = print;
    }
  }
  void set_persons(std::int64_t persons) { mine_.persons = persons; }
  /// After every rank agreed that none failed: the others send, rank 0 receives (and then
  /// `more`, further collective receives such as the re-pricing tallies, run after the rows)
  /// and builds the results. Returns whether the results are here (rank 0).
  template <class More, class Send> bool gather(const Scenario& scenario, More&& more, Send&& send_more) {
    if (!root()) {
      send_share(ranks_, mine_);
      send_more();
      a_.results_here = false;
      return false;
    }
    try {
      a_.persons_simulated = mine_.persons;
      receive_shares(ranks_, a_.plan.iterations, *rows_, a_.baseline_fingerprint, a_.persons_simulated);
      more();
    } catch (const std::exception& e) {
      // The others may still be sending: they cannot be told, only stopped.
      std::cerr << "error: rank 0 could not take the other ranks' results: " << e.what() << "\n";
      ranks_.abort(static_cast<int>(ExitCode::io));
    }
    a_.rows_on_disk = rows_->on_disk();
    a_.results = build_results(scenario, a_.pricing, a_.plan, *rows_);
    return true;
  }

private:
  Ranks& ranks_;
  Analysis& a_;
  const RunOptions& options_;
  std::unique_ptr<ColumnStore> rows_;
  ShareOfRows mine_;
};

/// Collective: whether the ranks' shares of a kept simulation are each whole and together
/// within the limit, and the bytes they hold together: the decision one process makes for
/// the whole simulation, so that what a sweep or compare re-prices (and the counts it
/// reports) does not depend on the number of ranks. Rank 0 adds up and tells every rank.
std::pair<bool, std::size_t> agree_kept(Ranks& ranks, bool whole, std::size_t bytes, std::size_t limit) {
  std::uint64_t decision[2] = {whole ? 1u : 0u, bytes};
  if (ranks.rank() == 0) {
    for (int from = 1; from < ranks.size(); ++from) {
      std::uint64_t theirs[2] = {0, 0};
      ranks.receive(from, theirs, sizeof theirs);
      decision[0] = decision[0] && theirs[0];
      decision[1] += theirs[1];
    }
    decision[0] = decision[0] && decision[1] <= limit;
  } else {
    ranks.send(0, decision, sizeof decision);
  }
  std::string text(sizeof decision, '\0');
  std::memcpy(text.data(), decision, sizeof decision);
  ranks.broadcast(0, text);
  std::memcpy(decision, text.data(), sizeof decision);
  return {decision[0] != 0, static_cast<std::size_t>(decision[1])};
}

/// analyse under several ranks (distributed/ranks.hpp): this rank's share of the
/// iterations, then rank 0 gathers the others' rows and alone builds the results. With
/// `keep`, each rank keeps the simulation of its share.
std::unique_ptr<Analysis> analyse_shared(const Scenario& scenario, const RunOptions& options, Trace* trace,
                                         KeptSimulation* keep) {
  Ranks& ranks = *options.ranks;
  if (options.keep_books) throw std::logic_error("analyse: keep_books needs every iteration on one process");
  auto a = std::make_unique<Analysis>();
  const auto started = std::chrono::steady_clock::now();
  a->plan = plan_run(scenario, options);
  a->pricing = make_pricing_plan(scenario, a->plan.neutralise_transfers);
  SharedRows rows(ranks, *a, options);
  Keeper keeper(keep, rows.share().first, rows.share().end - rows.share().first);
  std::exception_ptr failure;
  // Each rank tallies its iterations for the workbook's re-pricing sheets; rank 0 adds the
  // others' (whole counts and fixed-point sums: the same as one process's).
  std::mutex repricing_mutex;
  std::shared_ptr<RepricingTally> repricing;
  try {
    check_footprint(scenario, options, trace ? trace->households : 0);
    rows.open();
    std::atomic<std::int64_t> persons{0};
    run_monte_carlo(
        scenario, options,
        [&](const IterationData& data) {
          keeper.add(data);
          const IterationBook book = price_iteration(data, a->pricing);
          {
            const std::lock_guard<std::mutex> lock(repricing_mutex);
            if (!repricing) repricing = std::make_shared<RepricingTally>(scenario, *data.layout);
            repricing->add(data, book);
          }
          for (const auto& v : book.variants)
            if (v.simulated) persons += v.persons;
          rows.put(scenario, book);
        },
        rows.root() ? trace : nullptr);
    rows.set_persons(persons.load());
  } catch (...) {
    failure = std::current_exception();
  }
  agree_on_failure(ranks, failure); // throws on every rank when any failed
  if (keep) {
    const auto [complete, bytes] = agree_kept(ranks, keeper.whole(), keeper.bytes(), keep->limit_bytes);
    keeper.finish(scenario, options, complete, bytes);
  }
  if (!rows.gather(scenario, [&] { receive_tallies(ranks, scenario, repricing); },
                   [&] { send_tally(ranks, repricing.get()); }))
    return a;
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
  if (options.ranks && options.ranks->size() > 1) return analyse_shared(scenario, options, trace, keep);
  // Refused before anything is simulated when it would not fit (footprint.hpp).
  check_footprint(scenario, options, trace ? trace->households : 0);
  const auto started = std::chrono::steady_clock::now();
  auto a = start(scenario, options);
  const auto iterations = static_cast<std::size_t>(a->plan.iterations);
  ColumnStore rows(iterations, options.rows_memory_bytes);
  std::atomic<std::int64_t> persons{0};
  Keeper keeper(keep, 0, static_cast<int>(iterations));
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
        keeper.add(data);
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
  keeper.finish(scenario, options, keeper.whole(), keeper.bytes());
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

bool same_simulation(const Scenario& a, const Scenario& b) {
  if (&a == &b) return true;
  return !a.simulation_key.empty() && a.simulation_key == b.simulation_key && make_layout(a) == make_layout(b) &&
         case_departments(a) == case_departments(b);
}

namespace {

/// Prices every iteration of `kept` with the prices `options` draws, handing each book to
/// `put` (concurrently, for different iterations).
template <class Put> void price_kept(const Scenario& scenario, const RunOptions& options, const KeptSimulation& kept,
                                     const Analysis& a, Put&& put) {
  const Layout layout = make_layout(scenario);
  const Streams streams(a.plan.seed);
  tbb::task_arena arena(a.plan.threads);
  arena.execute([&] {
    tbb::parallel_for(std::size_t{0}, kept.iterations.size(), [&](std::size_t i) {
      if (options.cancel && options.cancel->load()) return;
      const SimulatedIteration& simulated = kept.iterations[i];
      // The same keyed draws as the run: the prices of iteration i under these settings.
      const ParameterSampler sampler(streams, simulated.iteration, options.parameters);
      put(price_iteration(simulated, scenario, layout, sampler, a.pricing));
    });
  });
  if (options.cancel && options.cancel->load()) throw Cancelled();
}

bool on_ranks(const RunOptions& o) { return o.ranks && o.ranks->size() > 1; }

/// reprice under several ranks: each rank prices the share it kept, rank 0 gathers the rows.
std::unique_ptr<Analysis> reprice_shared(const Scenario& scenario, const RunOptions& options, const KeptSimulation& kept) {
  Ranks& ranks = *options.ranks;
  const auto started = std::chrono::steady_clock::now();
  auto a = std::make_unique<Analysis>();
  a->plan = plan_run(scenario, options);
  a->pricing = make_pricing_plan(scenario, a->plan.neutralise_transfers);
  SharedRows rows(ranks, *a, options);
  if (rows.share().first != kept.first ||
      static_cast<std::size_t>(rows.share().end - rows.share().first) != kept.iterations.size())
    throw std::logic_error("reprice: this rank kept another share of the iterations");
  std::exception_ptr failure;
  try {
    rows.open();
    price_kept(scenario, options, kept, *a, [&](const IterationBook& book) { rows.put(scenario, book); });
  } catch (...) {
    failure = std::current_exception();
  }
  agree_on_failure(ranks, failure); // throws on every rank when any failed
  if (!rows.gather(scenario, [] {}, [] {})) return a;
  a->seconds = seconds_since(started);
  return a;
}

} // namespace

std::unique_ptr<Analysis> reprice(const Scenario& scenario, const RunOptions& options, const KeptSimulation& kept) {
  if (!kept.complete) throw std::logic_error("reprice: the simulation was not kept whole");
  if (!same_simulation(scenario, kept.options, options))
    throw std::logic_error("reprice: the options change the simulation, not only prices");
  if (kept.scenario && !same_simulation(*kept.scenario, scenario))
    throw std::logic_error("reprice: the scenario simulates otherwise than the one kept");
  if (on_ranks(options) != on_ranks(kept.options) || (on_ranks(options) && options.ranks != kept.options.ranks))
    throw std::logic_error("reprice: on other ranks than the kept simulation");
  if (on_ranks(options)) return reprice_shared(scenario, options, kept);
  const auto started = std::chrono::steady_clock::now();
  auto a = start(scenario, options);
  const auto iterations = static_cast<std::size_t>(a->plan.iterations);
  if (kept.first != 0 || kept.iterations.size() != iterations)
    throw std::logic_error("reprice: the kept simulation holds other iterations");
  ColumnStore rows(iterations, options.rows_memory_bytes);
  price_kept(scenario, options, kept, *a,
             [&](IterationBook book) { record(scenario, options, *a, rows, std::move(book)); });
  a->rows_on_disk = rows.on_disk();
  a->results = build_results(scenario, a->pricing, a->plan, rows);
  a->seconds = seconds_since(started);
  return a;
}

} // namespace socinvest
