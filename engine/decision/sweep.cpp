#include <socinvest/decision/sweep.hpp>

#include <socinvest/ledger/accounts.hpp>
#include <socinvest/report/format.hpp>
#include <socinvest/scenario/diagnostics.hpp>

#include <algorithm>
#include <cmath>

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

Valuation value(const Scenario& s, const RunOptions& options, const SweepTarget& target) {
  RunOptions o = options;
  o.variants = {target.variant};
  o.progress = nullptr;
  auto a = analyse(s, o);
  Valuation v;
  v.iterations = a->plan.iterations;
  const int account = account_index(a->results.accounts, target.account);
  v.npv = a->results.money_at(target.variant, account, -1, Measure::npv);
  v.p_break_even = a->results.money_at(target.variant, account, -1, Measure::p_break_even).mean;
  return v;
}

Tornado tornado(const Scenario& s, const RunOptions& options, const SweepTarget& target,
                const std::vector<std::string>& paths, double low_q, double high_q) {
  (void)account_index(make_accounts(s), target.account);
  RunOptions central = options;
  central.parameters.central = true;
  Tornado t;
  t.central = value(s, central, target);
  std::vector<const Quantity*> chosen;
  if (paths.empty()) {
    for (const Quantity* q : s.quantities())
      if (!q->dist.is_fixed()) chosen.push_back(q);
  } else {
    for (const auto& p : paths) chosen.push_back(&find_parameter(s, p));
  }
  for (const Quantity* q : chosen) {
    TornadoRow row;
    row.path = q->path;
    row.distribution = q->dist.describe();
    row.low = q->dist.quantile(low_q);
    row.high = q->dist.quantile(high_q);
    RunOptions o = central;
    o.parameters.fixed[q->path] = row.low;
    row.at_low = value(s, o, target);
    o.parameters.fixed[q->path] = row.high;
    row.at_high = value(s, o, target);
    row.swing = std::abs(row.at_high.npv.mean - row.at_low.npv.mean);
    t.rows.push_back(std::move(row));
  }
  std::stable_sort(t.rows.begin(), t.rows.end(), [](const auto& a, const auto& b) { return a.swing > b.swing; });
  return t;
}

Grid grid(const Scenario& s, const RunOptions& options, const SweepTarget& target, const std::string& path_x,
          const std::vector<double>& x, const std::string& path_y, const std::vector<double>& y) {
  const Quantity& qx = find_parameter(s, path_x);
  const Quantity& qy = find_parameter(s, path_y);
  for (double vx : x) check_sweep_value(qx, vx);
  for (double vy : y) check_sweep_value(qy, vy);
  (void)account_index(make_accounts(s), target.account);
  Grid g{path_x, path_y, x, y, {}};
  for (double vx : x) {
    std::vector<Valuation> column;
    for (double vy : y) {
      RunOptions o = options;
      o.parameters.fixed[path_x] = vx;
      o.parameters.fixed[path_y] = vy;
      column.push_back(value(s, o, target));
    }
    g.cells.push_back(std::move(column));
  }
  return g;
}

Threshold threshold(const Scenario& s, const RunOptions& options, const SweepTarget& target, const std::string& path,
                    double low, double high, double probability, double tolerance) {
  const Quantity& q = find_parameter(s, path);
  check_sweep_value(q, low);
  check_sweep_value(q, high);
  (void)account_index(make_accounts(s), target.account);
  Threshold t;
  t.path = path;
  t.target_probability = probability;
  auto p_at = [&](double v) {
    RunOptions o = options;
    o.parameters.fixed[path] = v;
    ++t.evaluations;
    return value(s, o, target);
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
    for (int step = 0; step < 60 && std::abs(good - bad) > tolerance; ++step) {
      const double mid = 0.5 * (bad + good);
      const double p = p_at(mid).p_break_even;
      if (p >= probability) {
        good = mid;
        p_found = p;
      } else {
        bad = mid;
      }
    }
    t.found = true;
    t.value = good;
    t.lower = std::min(bad, good);
    t.upper = std::max(bad, good);
    t.probability_at_value = p_found;
  }
  t.probability_se = std::sqrt(t.probability_at_value * (1.0 - t.probability_at_value) / n);
  return t;
}

} // namespace socinvest
