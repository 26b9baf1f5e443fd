// Counting a register panel into duration bands and Dirichlet rows (evidence/calibrate.hpp),
// and the fragment a scenario includes.
#include <socinvest/evidence/calibrate.hpp>

#include <socinvest/report/messages.hpp>

#include <boost/math/special_functions/beta.hpp>

#include <algorithm>
#include <cmath>
#include <functional>
#include <map>
#include <numeric>
#include <set>

namespace socinvest {

long long BandCounts::exit_total() const { return std::accumulate(exits.begin(), exits.end(), 0LL); }

Interval dirichlet_interval(double count, double total, double level) {
  if (count <= 0 || total <= count) return {count <= 0 ? 0.0 : 1.0, count <= 0 ? 0.0 : 1.0};
  const double tail = (1.0 - level) / 2.0;
  return {boost::math::ibeta_inv(count, total - count, tail), boost::math::ibeta_inv(count, total - count, 1.0 - tail)};
}

namespace {

/// Per state, per months already in it: person-months at risk, exits by destination, and the
/// panel months they fall in.
struct DurationCounts {
  std::vector<long long> stays;
  std::vector<std::vector<long long>> exits; ///< [d][destination]
  std::vector<int> first_month, last_month;
  void grow(std::size_t d, std::size_t states) {
    if (stays.size() > d) return;
    stays.resize(d + 1, 0);
    exits.resize(d + 1, std::vector<long long>(states, 0));
    first_month.resize(d + 1, -1);
    last_month.resize(d + 1, -1);
  }
};

double log_likelihood(double n, double e) {
  if (n <= 0) return 0;
  double ll = 0;
  if (e > 0) ll += e * std::log(e / n);
  if (n - e > 0) ll += (n - e) * std::log((n - e) / n);
  return ll;
}

/// Band starts chosen from the data: binary segmentation of the durations where the monthly
/// exit probability changes, a split kept when it raises twice the log-likelihood by more than
/// ln(person-months) (the Bayesian information criterion for one more probability) and leaves
/// each side at least `min_count` exits.
std::vector<int> choose_band_starts(const std::vector<long long>& n, const std::vector<long long>& e, int min_count,
                                    int max_bands) {
  const int D = static_cast<int>(n.size());
  const double penalty = std::log(std::max(2.0, static_cast<double>(std::accumulate(n.begin(), n.end(), 0LL))));
  std::set<int> starts{0};
  std::function<void(int, int)> split = [&](int a, int b) {
    if (static_cast<int>(starts.size()) >= max_bands) return;
    double N = 0, E = 0;
    for (int d = a; d < b; ++d) N += static_cast<double>(n[d]), E += static_cast<double>(e[d]);
    const double whole = log_likelihood(N, E);
    double best = 0, nl = 0, el = 0;
    int at = -1;
    for (int c = a + 1; c < b; ++c) {
      nl += static_cast<double>(n[c - 1]);
      el += static_cast<double>(e[c - 1]);
      if (el < min_count || E - el < min_count) continue;
      const double gain = 2 * (log_likelihood(nl, el) + log_likelihood(N - nl, E - el) - whole);
      if (gain > best) best = gain, at = c;
    }
    if (at < 0 || best <= penalty) return;
    starts.insert(at);
    split(a, at);
    split(at, b);
  };
  split(0, D);
  return {starts.begin(), starts.end()};
}

std::string num(double v) { return exact_number(v); }

std::string short_num(double v) {
  char buf[32];
  std::snprintf(buf, sizeof buf, "%.6g", v);
  return buf;
}

std::string band_text(const BandCounts& b) {
  return "[" + std::to_string(b.from) + ", " + (b.to < 0 ? std::string("\u221e") : std::to_string(b.to)) + ")";
}

} // namespace

Calibration calibrate(const Scenario& s, const Panel& panel, const CalibrationOptions& o, const std::string& name) {
  Calibration c;
  c.panel_name = name;
  c.persons = static_cast<int>(panel.persons.size());
  c.months = panel.months;
  c.start = panel.start;
  c.first_period = panel.first_period;
  c.last_period = panel.last_period;
  c.weekly = panel.weekly;
  c.domains = panel.domains;
  c.persons_with_gaps = panel.persons_with_gaps;
  c.missing_periods = panel.missing_periods;
  c.min_count = o.min_count;
  const int K = static_cast<int>(panel.domains.size()), M = panel.months, P = c.persons;
  std::vector<std::size_t> first_state(static_cast<std::size_t>(K) + 1, 0);
  for (int k = 0; k < K; ++k)
    first_state[k + 1] = first_state[k] + s.domains[panel.domains[k]].states.size();
  std::vector<DurationCounts> counts(first_state[K]);
  std::vector<std::vector<double>> last_months(first_state[K]);
  c.states.resize(first_state[K]);
  for (int k = 0; k < K; ++k)
    for (std::size_t st = 0; st < s.domains[panel.domains[k]].states.size(); ++st) {
      c.states[first_state[k] + st].k = k;
      c.states[first_state[k] + st].state = static_cast<int>(st);
    }
  c.start_counts.resize(K);
  for (int k = 0; k < K; ++k) c.start_counts[k].assign(s.domains[panel.domains[k]].states.size(), 0);

  for (int p = 0; p < P; ++p)
    for (int k = 0; k < K; ++k) {
      const std::size_t states = s.domains[panel.domains[k]].states.size();
      int spell_state = -1, spell_start = 0;
      bool known = false;
      for (int t = 0; t < M; ++t) {
        const int cur = panel.is_observed(p, t) ? panel.state_at(p, t, k) : -1;
        const bool continues = t > 0 && panel.is_observed(p, t - 1) && cur == spell_state;
        if (!continues) {
          spell_state = cur;
          spell_start = t;
          known = t > 0 && panel.is_observed(p, t - 1);
          // A spell whose start the panel does not show, with its months in the state given
          // (a register's spell start): counted at its true duration from here (delayed entry).
          if (!known && cur >= 0 && !panel.months_in_state.empty() && panel.months_in_state[panel.index(p, t, k)] >= 0) {
            known = true;
            spell_start = t - panel.months_in_state[panel.index(p, t, k)];
          }
          if (cur >= 0) {
            StateCalibration& sc = c.states[first_state[k] + cur];
            (known ? sc.spells_known : sc.spells_left_censored) += 1;
          }
        }
        if (cur < 0) continue;
        const std::size_t si = first_state[k] + cur;
        if (t == M - 1) {
          last_months[si].push_back(t - spell_start);
          if (!known) ++c.states[si].last_lower_bounds;
          ++c.start_counts[k][cur];
        }
        const int next = t + 1 < M && panel.is_observed(p, t + 1) ? panel.state_at(p, t + 1, k) : -1;
        if (next < 0) continue; // censored: the month's outcome is not seen
        if (!known) {
          ++c.states[si].left_censored_months;
          continue;
        }
        const auto d = static_cast<std::size_t>(t - spell_start);
        DurationCounts& dc = counts[si];
        dc.grow(d, states);
        if (next == cur) ++dc.stays[d];
        else ++dc.exits[d][next];
        if (dc.first_month[d] < 0) dc.first_month[d] = t;
        dc.first_month[d] = std::min(dc.first_month[d], t);
        dc.last_month[d] = std::max(dc.last_month[d], t);
      }
    }

  for (std::size_t si = 0; si < c.states.size(); ++si) {
    StateCalibration& sc = c.states[si];
    const DurationCounts& dc = counts[si];
    const int D = static_cast<int>(dc.stays.size());
    sc.at_risk.assign(D, 0);
    sc.events.assign(D, 0);
    for (int d = 0; d < D; ++d) {
      sc.events[d] = std::accumulate(dc.exits[d].begin(), dc.exits[d].end(), 0LL);
      sc.at_risk[d] = dc.stays[d] + sc.events[d];
      c.person_months_at_risk += sc.at_risk[d];
    }
    const auto& lm = last_months[si];
    sc.last_count = static_cast<long long>(lm.size());
    if (!lm.empty()) {
      sc.last_months_mean = std::accumulate(lm.begin(), lm.end(), 0.0) / static_cast<double>(lm.size());
      double ss = 0;
      for (double m : lm) ss += (m - sc.last_months_mean) * (m - sc.last_months_mean);
      sc.last_months_sd = lm.size() > 1 ? std::sqrt(ss / static_cast<double>(lm.size() - 1)) : 0.0;
    }
    if (D == 0) continue;
    std::vector<int> starts = o.band_starts.empty() ? choose_band_starts(sc.at_risk, sc.events, o.min_count, o.max_bands)
                                                    : o.band_starts;
    if (starts.empty() || starts.front() != 0) starts.insert(starts.begin(), 0);
    const std::size_t states = dc.exits.front().size();
    for (std::size_t b = 0; b < starts.size(); ++b) {
      BandCounts band;
      band.from = starts[b];
      band.to = b + 1 < starts.size() ? starts[b + 1] : -1;
      band.exits.assign(states, 0);
      const int end = band.to < 0 ? D : std::min(band.to, D);
      for (int d = band.from; d < end; ++d) {
        band.stays += dc.stays[d];
        for (std::size_t j = 0; j < states; ++j) band.exits[j] += dc.exits[d][j];
        if (dc.first_month[d] >= 0) {
          band.first_month = band.first_month < 0 ? dc.first_month[d] : std::min(band.first_month, dc.first_month[d]);
          band.last_month = std::max(band.last_month, dc.last_month[d]);
        }
      }
      // A band without a person-month at risk cannot be estimated: it joins the band before it
      // (or, the first, the one after it).
      if (band.exposure() == 0 && !sc.bands.empty()) {
        sc.bands.back().to = band.to;
        continue;
      }
      if (!sc.bands.empty() && sc.bands.back().exposure() == 0) {
        band.from = sc.bands.back().from;
        sc.bands.back() = band;
        continue;
      }
      sc.bands.push_back(band);
    }
  }

  // The last period: households and their make-up.
  std::map<std::string, std::pair<int, int>> households; // id -> adults, children
  bool any_adult_age = false, any_child_age = false;
  for (int p = 0; p < P; ++p) {
    if (!panel.is_observed(p, M - 1)) continue;
    const auto& person = panel.persons[p];
    auto& h = households[person.household];
    if (person.age_months_at_start < 0) {
      c.ages_known = false;
      continue;
    }
    const double age = (person.age_months_at_start + M - 1) / 12.0;
    if (age >= 18.0) {
      ++h.first;
      ++c.adults;
      c.adult_age_min = any_adult_age ? std::min(c.adult_age_min, age) : age;
      c.adult_age_max = any_adult_age ? std::max(c.adult_age_max, age) : age;
      any_adult_age = true;
    } else {
      ++h.second;
      ++c.children;
      c.child_age_min = any_child_age ? std::min(c.child_age_min, age) : age;
      c.child_age_max = any_child_age ? std::max(c.child_age_max, age) : age;
      any_child_age = true;
    }
  }
  c.households_last = static_cast<int>(households.size());
  c.adults_per_household.assign(21, 0);
  c.children_per_household.assign(21, 0);
  for (const auto& [id, h] : households) {
    ++c.adults_per_household[static_cast<std::size_t>(std::min(h.first, 20))];
    ++c.children_per_household[static_cast<std::size_t>(std::min(h.second, 20))];
  }
  return c;
}

std::vector<std::string> calibration_warnings(const Scenario& s, const Calibration& c, Language lang) {
  std::vector<std::string> out;
  if (c.persons_with_gaps > 0)
    out.push_back(format_message(lang, Msg::calib_warn_gaps,
                                 {std::to_string(c.persons_with_gaps), std::to_string(c.missing_periods)}));
  for (const auto& sc : c.states) {
    const Domain& d = s.domains[c.domains[sc.k]];
    const std::string name = d.id + "." + d.states[sc.state];
    if (sc.spells_left_censored > 0)
      out.push_back(format_message(lang, Msg::calib_warn_left_censored, {name, std::to_string(sc.spells_left_censored)}));
    long long exits = 0, exposure = 0;
    for (const auto& b : sc.bands) exits += b.exit_total(), exposure += b.exposure();
    if (exposure > 0 && exits == 0) {
      out.push_back(format_message(lang, Msg::calib_warn_never_left, {name, std::to_string(exposure)}));
      continue;
    }
    for (const auto& b : sc.bands)
      if (b.exit_total() < c.min_count)
        out.push_back(format_message(lang, Msg::calib_warn_thin, {name, band_text(b), std::to_string(b.exit_total()),
                                                                  std::to_string(b.exposure())}));
  }
  return out;
}

std::string calibrated_yaml(const Scenario& s, const Calibration& c) {
  auto month = [&](int m) { return YearMonth{(c.start.index() + m) / 12, (c.start.index() + m) % 12 + 1}.text(); };
  std::string y;
  y += "# Calibrated by socinvest calibrate from " + printable(c.panel_name) + ": " + std::to_string(c.persons) +
       " persons, periods " + c.first_period + " to " + c.last_period + " (" + std::to_string(c.months) + " months" +
       (c.weekly ? ", from weeks at 52/12 weeks a month, to the nearest; a month's state is its first week's" : "") +
       "), domains and states of scenario '" + s.id + "'.\n";
  y += "# Aggregated counts only: no person, household or identifier of the panel is in this file.\n";
  y += "# Each transition row is a Dirichlet row of observed counts (exits to each state, and 'stay'),\n";
  y += "# person-months at risk by the months already in the state; a spell under way when a person's\n";
  y += "# record starts counts only when the panel gives its months in the state (else it is left-censored\n";
  y += "# and left out). Include as is: include: [calibrated.yaml]\n";
  y += "domains:\n";
  std::size_t si = 0;
  for (std::size_t k = 0; k < c.domains.size(); ++k) {
    const Domain& d = s.domains[c.domains[k]];
    y += "  " + d.id + ":\n";
    y += std::string("    applies_to: {role: ") + name_of(d.role) + ", age: [" + num(d.min_age) + ", " +
         (d.max_age >= 200.0 ? std::string("null") : num(d.max_age)) + "]}\n";
    y += "    states: [";
    for (std::size_t st = 0; st < d.states.size(); ++st) y += (st ? ", " : "") + d.states[st];
    y += "]\n";
    auto distribution = [&](const StateDistribution& sd, const Domain& of) {
      std::string out = "{";
      for (std::size_t i = 0; i < sd.states.size(); ++i)
        out += (i ? ", " : "") + (sd.states[i] < 0 ? std::string("none") : of.states[sd.states[i]]) + ": " +
               num(sd.probabilities[i]);
      return out + "}";
    };
    if (!d.entry.empty()) y += "    entry: " + distribution(d.entry, d) + "\n";
    if (d.on_leaving) {
      y += "    on_leaving: {at_age: " + num(d.on_leaving->at_age);
      if (d.on_leaving->to_domain >= 0) {
        const Domain& to = s.domains[d.on_leaving->to_domain];
        y += ", to_domain: " + to.id;
        std::string map;
        for (std::size_t st = 0; st < d.on_leaving->map.size() && st < d.states.size(); ++st)
          if (!d.on_leaving->map[st].empty())
            map += (map.empty() ? "" : ", ") + d.states[st] + ": " + distribution(d.on_leaving->map[st], to);
        if (!map.empty()) y += ", map: {" + map + "}";
      }
      y += "}\n";
    }
    if (!d.links.empty())
      y += "    # the scenario's " + std::to_string(d.links.size()) +
           " link(s) of this domain are left out: the observed rates hold their effect on average\n";
    y += "    transitions:\n";
    bool any = false;
    for (; si < c.states.size() && c.states[si].k == static_cast<int>(k); ++si) {
      const StateCalibration& sc = c.states[si];
      const std::string& state = d.states[sc.state];
      long long exits = 0;
      for (const auto& b : sc.bands) exits += b.exit_total();
      if (sc.bands.empty() || exits == 0) {
        long long exposure = 0;
        for (const auto& b : sc.bands) exposure += b.exposure();
        y += "      # " + state + ": never left in " + std::to_string(exposure) +
             " person-months at risk with a known duration (" + std::to_string(sc.spells_left_censored) +
             " left-censored spells): no transitions\n";
        continue;
      }
      any = true;
      y += "      " + state + ":\n";
      for (const auto& b : sc.bands) {
        std::string by;
        for (std::size_t j = 0; j < b.exits.size(); ++j)
          if (b.exits[j] > 0) by += (by.empty() ? "" : ", ") + d.states[j] + " " + std::to_string(b.exits[j]);
        const std::string covered = b.first_month < 0 ? "no months" : month(b.first_month) + ".." + month(b.last_month);
        y += "        # months " + band_text(b) + ": " + std::to_string(b.exposure()) + " person-months at risk, " +
             std::to_string(b.exit_total()) + " exits" + (by.empty() ? "" : " (" + by + ")") + ", " + covered + "\n";
        std::string row = "{";
        for (std::size_t j = 0; j < b.exits.size(); ++j)
          if (b.exits[j] > 0) row += d.states[j] + ": " + std::to_string(b.exits[j]) + ", ";
        // A Dirichlet count is above 0: a band never stayed in (everyone left within the
        // month) gets half a stay, the Jeffreys prior's weight, and says so.
        row += "stay: " + (b.stays > 0 ? std::to_string(b.stays) : std::string("0.5")) + "}";
        if (b.stays == 0) y += "        # no stays observed: 'stay: 0.5' (half a count) keeps the row a Dirichlet row\n";
        y += "        - {months_in_state: [" + std::to_string(b.from) + ", " +
             (b.to < 0 ? std::string("null") : std::to_string(b.to)) + "], to: {dirichlet: " + row + "}, source: " +
             json_string("socinvest calibrate: " + printable(c.panel_name) + ", " + covered) + "}\n";
      }
    }
    if (!any) y += "      {}\n";
  }
  if (!c.ages_known || c.households_last == 0) {
    y += "# No population: some persons of the panel's last period have no age (age_months).\n";
    return y;
  }
  auto categorical = [&](const std::vector<int>& per) {
    std::string out = "{categorical: {";
    bool first = true;
    for (std::size_t n = 0; n < per.size(); ++n)
      if (per[n] > 0) {
        out += (first ? "" : ", ") + std::to_string(n) + ": " + num(static_cast<double>(per[n]) / c.households_last);
        first = false;
      }
    return out + "}}";
  };
  auto ages = [&](double lo, double hi) {
    return hi > lo ? "{uniform: [" + short_num(lo) + ", " + short_num(hi) + "]}" : "{fixed: " + short_num(lo) + "}";
  };
  y += "# The panel's last period (" + c.last_period + "): for a run that starts the month after it (" +
       month(c.months) + "). Adults are persons aged 18 or over.\n";
  y += "population:\n";
  y += "  households: " + std::to_string(c.households_last) + "\n";
  y += "  synthetic:\n";
  y += "    adults_per_household: " + categorical(c.adults_per_household) + "\n";
  y += "    children_per_household: " + categorical(c.children_per_household) + "\n";
  if (c.adults > 0) y += "    adult_age: " + ages(std::max(18.0, c.adult_age_min), std::min(120.0, c.adult_age_max)) + "\n";
  if (c.children > 0) y += "    child_age: " + ages(c.child_age_min, std::min(17.99, c.child_age_max)) + "\n";
  std::string start, months;
  for (std::size_t k = 0; k < c.domains.size(); ++k) {
    const Domain& d = s.domains[c.domains[k]];
    const long long total = std::accumulate(c.start_counts[k].begin(), c.start_counts[k].end(), 0LL);
    if (total == 0) continue;
    start += "      " + d.id + ": {";
    bool first = true;
    for (std::size_t st = 0; st < d.states.size(); ++st)
      if (c.start_counts[k][st] > 0) {
        start += (first ? "" : ", ") + d.states[st] + ": " + num(static_cast<double>(c.start_counts[k][st]) / static_cast<double>(total));
        first = false;
      }
    start += "}   # " + std::to_string(total) + " persons\n";
  }
  for (const auto& sc : c.states) {
    if (sc.last_count == 0 || sc.last_months_mean <= 0) continue;
    const Domain& d = s.domains[c.domains[sc.k]];
    const std::string dist = sc.last_count > 1 && sc.last_months_sd > 0
                                 ? "{gamma: {mean: " + short_num(sc.last_months_mean) + ", sd: " + short_num(sc.last_months_sd) + "}}"
                                 : "{fixed: " + short_num(sc.last_months_mean) + "}";
    months += "      " + d.id + "." + d.states[sc.state] + ": " + dist + "   # " + std::to_string(sc.last_count) + " persons" +
              (sc.last_lower_bounds > 0 ? ", " + std::to_string(sc.last_lower_bounds) + " of them left-censored (their months are lower bounds)"
                                        : std::string()) +
              "\n";
  }
  if (!start.empty()) y += "    start_state:\n" + start;
  if (!months.empty()) y += "    months_in_start_state:\n" + months;
  return y;
}

} // namespace socinvest
