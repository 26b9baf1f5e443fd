#include <socinvest/decision/sweep.hpp>

#include <socinvest/distributed/ranks.hpp>
#include <socinvest/ledger/accounts.hpp>
#include <socinvest/report/format.hpp>
#include <socinvest/scenario/diagnostics.hpp>
#include <socinvest/statistics/bisection.hpp>

#include <algorithm>
#include <cmath>
#include <cstring>
#include <memory>
#include <type_traits>

namespace socinvest {

const Quantity& find_parameter(const Scenario& s, const std::string& path) {
  std::vector<std::string> known;
  for (const Quantity* q : s.quantities()) {
    if (q->path == path) return *q;
    known.push_back(q->path);
  }
  // Dirichlet rows are drawn as a whole and cannot be set one entry at a time.
  std::string msg = "unknown parameter '" + path + "'";
  std::string guess = did_you_mean(path, known);
  if (!guess.empty()) msg += "; did you mean '" + guess + "'?";
  msg += " (parameters are named by their key path in the scenario, as in the assumptions table; e.g. " +
         (known.empty() ? std::string("none") : known.front()) + ")";
  throw Error(ExitCode::usage, msg);
}

void check_sweep_value(const Quantity& q, double v) {
  if (q.range.contains(v)) return;
  throw Error(ExitCode::usage, q.path + "=" + exact_number(v) + ": out of range (allowed: " + q.range.what + ")");
}

namespace {

RunOptions valued(const RunOptions& options, const SweepTarget& target) {
  RunOptions o = options;
  o.variants = {target.variant};
  o.progress = nullptr;
  return o;
}

Valuation valuation_of(const Analysis& a, const SweepTarget& target) {
  Valuation v;
  v.iterations = a.plan.iterations;
  const int account = account_index(a.results.accounts, target.account);
  v.npv = a.results.money_at(target.variant, account, -1, Measure::npv);
  v.p_break_even = a.results.money_at(target.variant, account, -1, Measure::p_break_even).mean;
  return v;
}

/// Values the points of one sweep, re-pricing the kept simulation where a point differs
/// from it only in price-only parameters (SweepControl).
class Evaluator {
public:
  Evaluator(const Scenario& s, const SweepTarget& target, const SweepControl& control, SweepWork& work, int total)
      : s_(s), target_(target), control_(control), work_(work), total_(total) {}

  /// Under MPI (SweepControl::ranks), a tornado or grid is evaluated in three passes over
  /// the same code: `plan` records the points (returning empty valuations), the ranks value
  /// them (evaluate_shared), and `replay` hands the gathered valuations back in order.
  enum class Mode { evaluate, plan, replay };
  struct Point {
    RunOptions options;
    bool keep = false;
  };
  void set_mode(Mode mode) { mode_ = mode; }
  [[nodiscard]] const std::vector<Point>& points() const { return points_; }
  void set_replay(std::vector<Valuation> values) {
    replay_ = std::move(values);
    next_ = 0;
  }

  /// `keep`: later points will differ from this one only in prices, so a simulation it
  /// needs is kept for them (within the memory limit).
  Valuation operator()(const RunOptions& options, bool keep) {
    if (mode_ == Mode::plan) {
      points_.push_back({options, keep});
      return {};
    }
    if (mode_ == Mode::replay) return replay_.at(next_++);
    RunOptions o = valued(options, target_);
    // Together (SweepControl::ranks): every rank simulates or re-prices its share of the
    // iterations, keeping that share; rank 0 alone has the results.
    o.ranks = control_.ranks && control_.ranks->size() > 1 ? control_.ranks : nullptr;
    std::unique_ptr<Analysis> a;
    if (kept_ && same_simulation(s_, kept_->options, o)) {
      a = reprice(s_, o, *kept_);
      ++work_.repriced;
    } else if (keep && control_.reprice_memory_bytes > 0 && !work_.over_limit) {
      auto kept = std::make_unique<KeptSimulation>();
      kept->limit_bytes = control_.reprice_memory_bytes;
      a = analyse(s_, o, nullptr, kept.get());
      ++work_.simulated;
      if (kept->complete) {
        work_.kept_bytes = std::max(work_.kept_bytes, kept->bytes);
        kept_ = std::move(kept);
      } else {
        work_.over_limit = true; // the next one would not fit either: simulate as without re-pricing
      }
    } else {
      a = analyse(s_, o);
      ++work_.simulated;
    }
    if (control_.progress) control_.progress(++done_, total_);
    return a->results_here ? valuation_of(*a, target_) : Valuation{};
  }

private:
  const Scenario& s_;
  const SweepTarget& target_;
  const SweepControl& control_;
  SweepWork& work_;
  int total_, done_ = 0;
  std::unique_ptr<KeptSimulation> kept_;
  Mode mode_ = Mode::evaluate;
  std::vector<Point> points_;
  std::vector<Valuation> replay_;
  std::size_t next_ = 0;
};

static_assert(std::is_trivially_copyable_v<Valuation>, "valuations travel between ranks as bytes");

/// What one rank did, as it travels to rank 0.
struct WorkOnWire {
  std::int64_t simulated = 0, repriced = 0;
  std::uint64_t kept_bytes = 0, over_limit = 0;
};

/// Runs `step` on every rank and agrees on its failure: a failure on any rank is thrown on
/// every rank (one already agreed on, inside a collective analysis, is passed on as it is).
template <class Step> void together(Ranks& ranks, Step&& step) {
  std::exception_ptr failure;
  try {
    step();
  } catch (...) {
    if (ranks.failure_agreed()) throw;
    failure = std::current_exception();
  }
  agree_on_failure(ranks, failure);
}

/// The points of a plan valued over the ranks (SweepControl::ranks): the points are grouped
/// as one process re-prices them (a point that keeps its simulation starts a group; the
/// points after it that differ from it only in prices join it; any other point is a group
/// of its own). The groups of more than one point (a simulation and its re-pricings) are
/// valued first, by all ranks together in plan order, each point's iterations shared over
/// the ranks (each keeps and re-prices its share; rank 0 gathers the rows, as `run`); the
/// other groups (one simulation each) go to the ranks in turn, single group k to rank
/// k mod ranks, and rank 0 receives their valuations and every rank's counts. Returns the
/// valuations on rank 0 (empty elsewhere) and adds the counts into `work` (on rank 0:
/// everyone's).
std::vector<Valuation> evaluate_shared(const Scenario& s, const SweepTarget& target, const SweepControl& control,
                                       const std::vector<Evaluator::Point>& points, SweepWork& work) {
  Ranks& ranks = *control.ranks;
  const auto n = points.size();
  std::vector<std::size_t> group(n), members;
  std::optional<std::size_t> leader; // the point whose kept simulation one process would hold
  for (std::size_t i = 0; i < n; ++i) {
    const RunOptions o = valued(points[i].options, target);
    if (leader && same_simulation(s, valued(points[*leader].options, target), o)) {
      group[i] = group[*leader];
      ++members[group[i]];
      continue;
    }
    group[i] = members.size();
    members.push_back(1);
    if (points[i].keep) leader = i;
  }
  // The single groups in turn over the ranks; -1: valued together.
  std::vector<int> owner(n, -1);
  std::vector<int> single_owner(members.size(), -1);
  int singles = 0;
  for (std::size_t g = 0; g < members.size(); ++g)
    if (members[g] == 1) single_owner[g] = singles++ % ranks.size();
  for (std::size_t i = 0; i < n; ++i) owner[i] = single_owner[group[i]];
  std::vector<Valuation> values(n);
  int done = 0;
  const int total = static_cast<int>(n);
  const bool root = ranks.rank() == 0;
  const auto progress = [&](int, int) {
    if (control.progress) control.progress(++done, total);
  };
  {
    SweepControl shared = control;
    shared.progress = nullptr;
    if (root) shared.progress = progress;
    SweepWork counted; // rank 0's counts are the job's; the others' are dropped
    Evaluator value_at(s, target, shared, counted, total);
    for (std::size_t i = 0; i < n; ++i)
      if (owner[i] < 0) together(ranks, [&] { values[i] = value_at(points[i].options, points[i].keep); });
    if (root) {
      work.simulated += counted.simulated;
      work.repriced += counted.repriced;
      work.kept_bytes = std::max(work.kept_bytes, counted.kept_bytes);
    }
    // Agreed on every rank (the keeping is decided together), so every rank carries it on.
    work.over_limit = work.over_limit || counted.over_limit;
  }
  SweepControl local = control;
  local.ranks = nullptr;
  local.progress = nullptr;
  if (root) local.progress = progress;
  std::exception_ptr failure;
  try {
    for (std::size_t i = 0; i < n; ++i)
      if (owner[i] == ranks.rank()) {
        Evaluator value_at(s, target, local, work, total);
        values[i] = value_at(points[i].options, points[i].keep);
      }
  } catch (...) {
    failure = std::current_exception();
  }
  agree_on_failure(ranks, failure); // throws on every rank when any failed
  if (!root) {
    std::vector<Valuation> mine;
    for (std::size_t i = 0; i < n; ++i)
      if (owner[i] == ranks.rank()) mine.push_back(values[i]);
    const WorkOnWire w{work.simulated, work.repriced, work.kept_bytes, work.over_limit ? 1u : 0u};
    ranks.send(0, &w, sizeof w);
    if (!mine.empty()) ranks.send(0, mine.data(), mine.size() * sizeof(Valuation));
    return {};
  }
  for (int from = 1; from < ranks.size(); ++from) {
    std::vector<std::size_t> theirs;
    for (std::size_t i = 0; i < n; ++i)
      if (owner[i] == from) theirs.push_back(i);
    WorkOnWire w;
    ranks.receive(from, &w, sizeof w);
    std::vector<Valuation> got(theirs.size());
    if (!got.empty()) ranks.receive(from, got.data(), got.size() * sizeof(Valuation));
    for (std::size_t k = 0; k < theirs.size(); ++k) values[theirs[k]] = got[k];
    work.simulated += static_cast<int>(w.simulated);
    work.repriced += static_cast<int>(w.repriced);
    work.kept_bytes = std::max<std::size_t>(work.kept_bytes, static_cast<std::size_t>(w.kept_bytes));
    work.over_limit = work.over_limit || w.over_limit != 0;
  }
  return values;
}

/// Runs `sweep` (the body of a tornado or grid, valuing its points through the Evaluator it
/// is given): alone, once; under MPI, planned, valued over the ranks and replayed.
template <class Sweep> void run_sweep(const Scenario& s, const SweepTarget& target, const SweepControl& control,
                                      SweepWork& work, int total, Sweep&& sweep) {
  Evaluator value_at(s, target, control, work, total);
  if (!control.ranks || control.ranks->size() <= 1) {
    sweep(value_at);
    return;
  }
  value_at.set_mode(Evaluator::Mode::plan);
  sweep(value_at);
  std::vector<Valuation> values = evaluate_shared(s, target, control, value_at.points(), work);
  if (control.ranks->rank() != 0) return; // only rank 0's result is whole
  value_at.set_mode(Evaluator::Mode::replay);
  value_at.set_replay(std::move(values));
  sweep(value_at);
}

} // namespace

Valuation value(const Scenario& s, const RunOptions& options, const SweepTarget& target) {
  const auto a = analyse(s, valued(options, target));
  return a->results_here ? valuation_of(*a, target) : Valuation{}; // under MPI: rank 0's
}

Tornado tornado(const Scenario& s, const RunOptions& options, const SweepTarget& target,
                const std::vector<std::string>& paths, double low_q, double high_q, const SweepControl& control) {
  (void)account_index(make_accounts(s), target.account);
  RunOptions central = options;
  central.parameters.central = true;
  Tornado t;
  std::vector<const Quantity*> chosen;
  if (paths.empty()) {
    for (const Quantity* q : s.quantities())
      if (!q->dist.is_fixed()) chosen.push_back(q);
  } else {
    for (const auto& p : paths) chosen.push_back(&find_parameter(s, p));
  }
  bool any_price = false;
  for (const Quantity* q : chosen) any_price = any_price || s.price_only(q->path);
  run_sweep(s, target, control, t.work, 1 + 2 * static_cast<int>(chosen.size()), [&](Evaluator& value_at) {
    t.rows.clear();
    // The central run's simulation serves every price-only bar; the others are simulated.
    t.central = value_at(central, any_price);
    for (const Quantity* q : chosen) {
      TornadoRow row;
      row.path = q->path;
      row.distribution = q->dist.describe();
      row.low = q->dist.quantile(low_q);
      row.high = q->dist.quantile(high_q);
      RunOptions o = central;
      o.parameters.fixed[q->path] = row.low;
      row.at_low = value_at(o, false);
      o.parameters.fixed[q->path] = row.high;
      row.at_high = value_at(o, false);
      row.swing = std::abs(row.at_high.npv.mean - row.at_low.npv.mean);
      t.rows.push_back(std::move(row));
    }
  });
  std::stable_sort(t.rows.begin(), t.rows.end(), [](const auto& a, const auto& b) { return a.swing > b.swing; });
  return t;
}

Grid grid(const Scenario& s, const RunOptions& options, const SweepTarget& target, const std::string& path_x,
          const std::vector<double>& x, const std::string& path_y, const std::vector<double>& y,
          const SweepControl& control) {
  const Quantity& qx = find_parameter(s, path_x);
  const Quantity& qy = find_parameter(s, path_y);
  for (double vx : x) check_sweep_value(qx, vx);
  for (double vy : y) check_sweep_value(qy, vy);
  (void)account_index(make_accounts(s), target.account);
  Grid g{path_x, path_y, x, y, std::vector<std::vector<Valuation>>(x.size(), std::vector<Valuation>(y.size())), {}};
  // The outer loop goes over the axis that changes the simulation, so that the inner,
  // price-only one is re-priced from the simulation of its outer value (any order gives
  // the same cells).
  const bool x_price = s.price_only(path_x), y_price = s.price_only(path_y);
  const bool x_outer = !(x_price && !y_price);
  const std::size_t outer = x_outer ? x.size() : y.size(), inner = x_outer ? y.size() : x.size();
  const bool inner_price = x_outer ? y_price : x_price;
  run_sweep(s, target, control, g.work, static_cast<int>(x.size() * y.size()), [&](Evaluator& value_at) {
    for (std::size_t i = 0; i < outer; ++i)
      for (std::size_t j = 0; j < inner; ++j) {
        const std::size_t ix = x_outer ? i : j, iy = x_outer ? j : i;
        RunOptions o = options;
        o.parameters.fixed[path_x] = x[ix];
        o.parameters.fixed[path_y] = y[iy];
        g.cells[ix][iy] = value_at(o, inner_price && inner > 1);
      }
  });
  return g;
}

Threshold threshold(const Scenario& s, const RunOptions& options, const SweepTarget& target, const std::string& path,
                    double low, double high, double probability, double tolerance, const SweepControl& control) {
  const Quantity& q = find_parameter(s, path);
  check_sweep_value(q, low);
  check_sweep_value(q, high);
  (void)account_index(make_accounts(s), target.account);
  Threshold t;
  t.path = path;
  t.target_probability = probability;
  constexpr int max_steps = 60;
  // The ends, then one evaluation per halving of the bracket down to the tolerance.
  const double halvings = tolerance > 0.0 ? std::ceil(std::log2(std::abs(high - low) / tolerance)) : max_steps;
  const int steps = static_cast<int>(std::clamp(std::isfinite(halvings) ? halvings : max_steps, 0.0, double{max_steps}));
  const bool price = s.price_only(path);
  // Under MPI every point's iterations are shared over the ranks (SweepControl::ranks): a
  // price-only threshold's one simulation is kept on the ranks, a share each, and re-priced
  // there; rank 0 tells every rank each valuation, so that all take the same next step.
  Ranks* ranks = control.ranks && control.ranks->size() > 1 ? control.ranks : nullptr;
  SweepControl here = control;
  if (ranks && ranks->rank() != 0) here.progress = nullptr;
  Evaluator value_at(s, target, here, t.work, 2 + steps);
  auto p_at = [&](double v) {
    RunOptions o = options;
    o.parameters.fixed[path] = v;
    ++t.evaluations;
    if (!ranks) return value_at(o, price);
    Valuation at;
    together(*ranks, [&] { at = value_at(o, price); });
    std::string bytes(sizeof at, '\0');
    std::memcpy(bytes.data(), &at, sizeof at);
    ranks->broadcast(0, bytes);
    std::memcpy(&at, bytes.data(), sizeof at);
    return at;
  };
  const Valuation at_low = p_at(low), at_high = p_at(high);
  const int n = std::max(1, at_low.iterations);
  const bool rising = at_high.p_break_even >= at_low.p_break_even;
  // Orient so that "good" is the high end: the answer is the first value from the bad end
  // at which the target is reached.
  double bad = rising ? low : high, good = rising ? high : low;
  const double p_good = rising ? at_high.p_break_even : at_low.p_break_even;
  const double p_bad = rising ? at_low.p_break_even : at_high.p_break_even;
  if (p_good < probability) {
    t.note = "the target is not reached anywhere in the range (at best " + std::to_string(p_good) + ")";
    t.lower = low;
    t.upper = high;
    return t;
  }
  if (p_bad >= probability) {
    t.found = true;
    t.value = bad;
    t.lower = t.upper = bad;
    t.probability_at_value = p_bad;
    t.note = "the target is already reached at the end of the range";
  } else {
    double p_found = p_good;
    bisect(bad, good, tolerance, max_steps, [&](double mid) {
      const double p = p_at(mid).p_break_even;
      if (p >= probability) p_found = p;
      return p >= probability;
    });
    t.found = true;
    t.value = good;
    t.lower = std::min(bad, good);
    t.upper = std::max(bad, good);
    t.probability_at_value = p_found;
  }
  t.probability_se = std::sqrt(t.probability_at_value * (1.0 - t.probability_at_value) / n);
  return t;
}

GradeSweep grade_sweep(const Scenario& s, const RunOptions& options, const SweepTarget& target, EvidenceGrade grade,
                       const std::vector<double>& scales, const std::function<void(int, int)>& progress) {
  (void)account_index(make_accounts(s), target.account);
  GradeSweep g;
  g.grade = grade;
  g.scales = scales;
  g.effects = s.variants[static_cast<std::size_t>(target.variant)].effects_by_grade()[static_cast<std::size_t>(grade)];
  if (g.effects == 0)
    throw Error(ExitCode::usage, std::string("--grade ") + name_of(grade) + ": variant '" +
                                     s.variants[static_cast<std::size_t>(target.variant)].id +
                                     "' has no effect of that grade (grades: randomised_trial, quasi_experimental, "
                                     "before_after, expert_guess; an effect without evidence is an expert_guess)");
  if (scales.empty()) throw Error(ExitCode::usage, "--scale: give one or more scales, e.g. 0,0.5,1");
  for (double x : scales)
    if (!std::isfinite(x) || x < 0.0)
      throw Error(ExitCode::usage, "--scale " + exact_number(x) + ": a scale is a number from 0 (the grade's effects off) "
                                   "up (1: as in the scenario)");
  int done = 0;
  for (double x : scales) {
    Scenario scaled = s;
    for (auto& v : scaled.variants)
      for (auto& iv : v.interventions)
        for (auto& e : iv.effects)
          if (e.grade == grade) e.scale = x;
    g.at.push_back(value(scaled, options, target));
    if (progress) progress(++done, static_cast<int>(scales.size()));
  }
  return g;
}

} // namespace socinvest
