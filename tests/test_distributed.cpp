// The seam MPI uses (distributed/ranks.hpp), without MPI: "ranks" that are threads of this
// process, talking through a shared hub. analyse on 1, 2, 3 and 5 such ranks gives rank 0
// the results one process computes, to the byte; a failure on any rank is thrown on all of
// them, with the failing rank's message; the shares of iterations cover each once.
#include "support.hpp"

#include <socinvest/decision/sweep.hpp>
#include <socinvest/distributed/ranks.hpp>
#include <socinvest/report/tables.hpp>
#include <socinvest/report/tornado_report.hpp>

#include <doctest/doctest.h>

#include <atomic>
#include <climits>
#include <condition_variable>
#include <cstring>
#include <deque>
#include <map>
#include <mutex>
#include <optional>
#include <sstream>
#include <thread>

namespace {

/// What the thread-ranks share: a reduction point and one mailbox per (from, to).
struct Hub {
  explicit Hub(int n) : size(n) {}
  int size;
  std::mutex m;
  std::condition_variable cv;
  int generation = 0, arrived = 0, low = INT_MAX, result = 0;
  std::map<std::pair<int, int>, std::deque<std::vector<char>>> mail;
};

class ThreadRank final : public socinvest::Ranks {
public:
  ThreadRank(Hub& hub, int rank) : hub_(hub), rank_(rank) {}
  [[nodiscard]] int rank() const override { return rank_; }
  [[nodiscard]] int size() const override { return hub_.size; }
  int first_failing(bool failed) override {
    std::unique_lock lock(hub_.m);
    const int g = hub_.generation;
    hub_.low = std::min(hub_.low, failed ? rank_ : hub_.size);
    if (++hub_.arrived == hub_.size) {
      hub_.result = hub_.low;
      hub_.low = INT_MAX;
      hub_.arrived = 0;
      ++hub_.generation;
      hub_.cv.notify_all();
    } else {
      hub_.cv.wait(lock, [&] { return hub_.generation != g; });
    }
    return hub_.result;
  }
  void broadcast(int root, std::string& text) override {
    if (rank_ == root) {
      for (int r = 0; r < hub_.size; ++r)
        if (r != root) send(r, text.data(), text.size());
      return;
    }
    std::vector<char> got = take(root);
    text.assign(got.begin(), got.end());
  }
  void send(int to, const void* data, std::size_t bytes) override {
    std::lock_guard lock(hub_.m);
    const char* p = static_cast<const char*>(data);
    hub_.mail[{rank_, to}].emplace_back(p, p + bytes);
    hub_.cv.notify_all();
  }
  void receive(int from, void* data, std::size_t bytes) override {
    std::vector<char> got = take(from);
    REQUIRE(got.size() == bytes);
    std::memcpy(data, got.data(), bytes);
  }
  [[noreturn]] void abort(int) override { std::abort(); }

private:
  std::vector<char> take(int from) {
    std::unique_lock lock(hub_.m);
    auto& box = hub_.mail[{from, rank_}];
    hub_.cv.wait(lock, [&] { return !box.empty(); });
    std::vector<char> got = std::move(box.front());
    box.pop_front();
    return got;
  }
  Hub& hub_;
  int rank_;
};

const socinvest::Scenario& tutorial() {
  static const auto s = socinvest::load_scenario(test::source_dir() + "/scenarios/tutorial.yaml");
  return s;
}

socinvest::RunOptions options(int iterations) {
  socinvest::RunOptions o;
  o.iterations = iterations;
  o.threads = 1;
  o.seed = 11;
  o.has_seed = true;
  return o;
}

/// The re-pricing tally's contents (what the workbook's re-pricing sheets are made of).
std::string tally_text(const socinvest::RepricingTally* t) {
  if (!t) return "no tally";
  std::ostringstream out;
  out.precision(17);
  out << t->iterations << ' ' << t->departments << ' ' << t->calendar_years << " |";
  for (char c : t->simulated) out << ' ' << int(c);
  for (auto v : t->occupied) out << ' ' << v;
  out << " |";
  for (auto v : t->moved) out << ' ' << v;
  out << " |";
  for (std::size_t i = 0; i < t->state_amount.size(); ++i)
    out << ' ' << int(t->state_varies[i]) << ':' << (t->state_varies[i] ? t->mean_state_amount(i) : t->state_amount[i]);
  for (std::size_t i = 0; i < t->move_amount.size(); ++i)
    out << ' ' << int(t->move_varies[i]) << ':' << (t->move_varies[i] ? t->mean_move_amount(i) : t->move_amount[i]);
  out << " |";
  for (int v = 0; v < t->variants; ++v)
    for (int d = 0; d < t->departments; ++d)
      for (int c = 0; c < t->calendar_years; ++c) out << ' ' << t->mean_facility(v, d, c, false) << ' ' << t->mean_facility(v, d, c, true);
  return out.str();
}

/// The result files' figures.
std::string figures(const socinvest::Analysis& a) {
  const auto& r = a.results;
  return socinvest::money_csv(r) + socinvest::outcomes_csv(r) + socinvest::targets_csv(r) +
         socinvest::contracts_csv(r) + socinvest::flows_csv(r) + socinvest::per_iteration_csv(r);
}

std::string outputs(const socinvest::Analysis& a) {
  return figures(a) + std::to_string(a.persons_simulated) + "\n" + tally_text(a.results.repricing.get());
}

/// Runs job(ranks) on `n` thread-ranks at once; every rank must succeed. Rank 0's result.
template <class Job> auto on_ranks(int n, Job&& job) {
  Hub hub(n);
  using Result = decltype(job(std::declval<socinvest::Ranks&>()));
  std::vector<std::optional<Result>> results(static_cast<std::size_t>(n));
  std::vector<std::string> errors(static_cast<std::size_t>(n));
  std::vector<std::thread> threads;
  for (int r = 0; r < n; ++r)
    threads.emplace_back([&, r] {
      ThreadRank rank(hub, r);
      try {
        results[static_cast<std::size_t>(r)] = job(rank);
      } catch (const std::exception& e) {
        errors[static_cast<std::size_t>(r)] = e.what();
      }
    });
  for (auto& t : threads) t.join();
  for (const auto& e : errors) CHECK(e == "");
  REQUIRE(results[0]);
  return std::move(*results[0]);
}

/// analyse on `n` thread-ranks; rank `failing` (if >= 0) is interrupted (its cancel flag
/// raised) before it simulates.
/// Returns rank 0's analysis; `errors` gets each rank's error message ("" when none).
std::unique_ptr<socinvest::Analysis> analyse_on(int n, int iterations, std::vector<std::string>& errors,
                                                int failing = -1) {
  Hub hub(n);
  std::vector<std::unique_ptr<socinvest::Analysis>> results(static_cast<std::size_t>(n));
  errors.assign(static_cast<std::size_t>(n), "");
  const std::atomic<bool> raised{true};
  std::vector<std::thread> threads;
  for (int r = 0; r < n; ++r)
    threads.emplace_back([&, r] {
      ThreadRank rank(hub, r);
      socinvest::RunOptions o = options(iterations);
      o.ranks = &rank;
      if (r == failing) o.cancel = &raised;
      try {
        results[static_cast<std::size_t>(r)] = socinvest::analyse(tutorial(), o);
      } catch (const std::exception& e) {
        errors[static_cast<std::size_t>(r)] = e.what();
      }
    });
  for (auto& t : threads) t.join();
  return std::move(results[0]);
}

} // namespace

TEST_CASE("the shares of iterations are contiguous, cover each iteration once and start on rank 0") {
  for (int iterations : {0, 1, 2, 7, 100})
    for (int ranks : {1, 2, 3, 8}) {
      int next = 0;
      for (int r = 0; r < ranks; ++r) {
        const auto s = socinvest::share_of(iterations, r, ranks);
        CHECK(s.first == next);
        CHECK(s.end - s.first >= iterations / ranks);
        CHECK(s.end - s.first <= iterations / ranks + 1);
        next = s.end;
      }
      CHECK(next == iterations);
    }
}

TEST_CASE("analyse on 1, 2, 3, 5 and 8 ranks gives rank 0 one process's results, to the byte") {
  // With the re-pricing tally; on 8 ranks one rank has no iteration of the 7 (and no tally).
  const std::string alone = outputs(*socinvest::analyse(tutorial(), options(7)));
  REQUIRE(alone.find("no tally") == std::string::npos);
  for (int n : {1, 2, 3, 5, 8}) {
    CAPTURE(n);
    std::vector<std::string> errors;
    const auto a = analyse_on(n, 7, errors);
    for (const auto& e : errors) CHECK(e == "");
    REQUIRE(a);
    if (n > 1) CHECK(a->results_here);
    CHECK(outputs(*a) == alone);
  }
}

TEST_CASE("a failure on one rank is thrown on every rank, with that rank's message") {
  std::vector<std::string> errors;
  const auto a = analyse_on(3, 6, errors, 2);
  CHECK_FALSE(a);
  for (const auto& e : errors) CHECK(e == "rank 2 of 3: interrupted: no results were written");
  errors.clear();
  (void)analyse_on(3, 6, errors, 0);
  CHECK(errors[0] == "interrupted: no results were written"); // rank 0 reports its own error as is
  CHECK(errors[1].find("rank 0 of 3: ") == 0);
}

TEST_CASE("a simulation kept on 1, 2, 3 and 8 ranks, a share each, re-prices to one process's figures, to the byte") {
  const std::string cost = "costs.employment.cash_benefit[0].amount";
  auto priced = options(7);
  priced.parameters.fixed[cost] = 9000.0;
  const std::string alone = figures(*socinvest::analyse(tutorial(), priced));
  // Another file with cheaper staff: priced from the tutorial's kept simulation (compare).
  const auto cheaper = socinvest::load_scenario_text(
      test::replaced(test::file_text(test::source_dir() + "/scenarios/tutorial.yaml"), "monthly_cost_per_fte: 52000",
                     "monthly_cost_per_fte: 40000"),
      "cheaper.yaml", test::source_dir() + "/scenarios");
  REQUIRE(socinvest::same_simulation(tutorial(), cheaper));
  const std::string cheaper_alone = figures(*socinvest::analyse(cheaper, options(7)));
  REQUIRE(cheaper_alone != figures(*socinvest::analyse(tutorial(), options(7))));
  for (int n : {1, 2, 3, 8}) {
    CAPTURE(n);
    const auto got = on_ranks(n, [&](socinvest::Ranks& rank) {
      auto o = options(7);
      o.ranks = &rank;
      socinvest::KeptSimulation kept;
      kept.limit_bytes = std::size_t{256} << 20;
      (void)socinvest::analyse(tutorial(), o, nullptr, &kept);
      CHECK(kept.complete); // (REQUIRE would throw out of the rank's thread)
      CHECK(kept.first == socinvest::share_of(7, rank.rank(), n).first);
      auto p = priced;
      p.ranks = &rank;
      const auto a = socinvest::reprice(tutorial(), p, kept);
      const auto b = socinvest::reprice(cheaper, o, kept);
      CHECK(a->results_here == (rank.rank() == 0));
      // Too little memory on all ranks together: none keeps its share.
      socinvest::KeptSimulation small;
      small.limit_bytes = kept.bytes - 1;
      (void)socinvest::analyse(tutorial(), o, nullptr, &small);
      CHECK_FALSE(small.complete);
      CHECK(small.iterations.empty());
      return std::pair{rank.rank() == 0 ? figures(*a) + "|" + figures(*b) : std::string(), kept.bytes};
    });
    CHECK(got.first == alone + "|" + cheaper_alone);
  }
}

TEST_CASE("tornados and thresholds on 1, 2 and 3 ranks re-price on all of them and give one process's figures and counts") {
  const socinvest::SweepTarget target;
  const std::vector<std::string> paths{"costs.employment.cash_benefit[0].amount",
                                       "variants.family_team.interventions.team.costs[0].monthly_cost_per_fte",
                                       "variants.family_team.interventions.team.uptake"};
  const std::string staff = paths[1];
  auto text = [](const socinvest::Tornado& t, const socinvest::Threshold& h) {
    return socinvest::tornado_csv(t) + std::to_string(t.work.simulated) + " " + std::to_string(t.work.repriced) + " " +
           std::to_string(t.work.kept_bytes) + " | " + socinvest::exact_number(h.value) + " " +
           socinvest::exact_number(h.probability_at_value) + " " + std::to_string(h.evaluations) + " " +
           std::to_string(h.work.simulated) + " " + std::to_string(h.work.repriced) + " " + std::to_string(h.work.kept_bytes);
  };
  const auto t = socinvest::tornado(tutorial(), options(5), target, paths);
  const auto h = socinvest::threshold(tutorial(), options(5), target, staff, 0.0, 200000.0, 0.5, 20000.0);
  const std::string alone = text(t, h);
  REQUIRE(t.work.repriced == 4);
  REQUIRE(h.work.simulated == 1);
  for (int n : {1, 2, 3}) {
    CAPTURE(n);
    const std::string got = on_ranks(n, [&](socinvest::Ranks& rank) {
      socinvest::SweepControl control;
      control.ranks = &rank;
      const auto tr = socinvest::tornado(tutorial(), options(5), target, paths, 0.05, 0.95, control);
      const auto hr = socinvest::threshold(tutorial(), options(5), target, staff, 0.0, 200000.0, 0.5, 20000.0, control);
      return rank.rank() == 0 ? text(tr, hr) : std::string();
    });
    CHECK(got == alone);
  }
}
