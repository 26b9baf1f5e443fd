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

/// Who is in which group of CalibrationOptions::by: a person's group in a panel month (-1:
/// not known, e.g. no age or an empty attribute value), and the groups' names.
class Grouping {
public:
  Grouping(const Panel& panel, const CalibrationOptions& o) : panel_(panel), by_(o.by) {
    if (by_.empty()) return;
    const int P = static_cast<int>(panel.persons.size());
    if (by_ == "age_group") {
      starts_ = o.age_group_starts;
      for (std::size_t g = 0; g <= starts_.size(); ++g) {
        const int lo = g == 0 ? 0 : starts_[g - 1];
        names_.push_back(g == starts_.size() ? std::to_string(lo) + "+" : std::to_string(lo) + "-" + std::to_string(starts_[g] - 1));
      }
      return;
    }
    const auto column = std::find(panel.attributes.begin(), panel.attributes.end(), by_);
    person_group_.assign(static_cast<std::size_t>(P), -1);
    std::vector<std::string> values(static_cast<std::size_t>(P));
    if (column != panel.attributes.end()) {
      const auto a = static_cast<std::size_t>(column - panel.attributes.begin());
      for (int p = 0; p < P; ++p) values[static_cast<std::size_t>(p)] = panel.attribute_value(p, a);
    } else if (by_ == "household_type") {
      // Derived from the household's adults (18 and over) and children at the panel's start.
      std::map<std::string, std::pair<int, int>> households;
      std::set<std::string> unknown;
      for (const auto& person : panel.persons) {
        auto& h = households[person.household];
        if (person.age_months_at_start < 0) unknown.insert(person.household);
        else (person.age_months_at_start >= 18 * 12 ? h.first : h.second) += 1;
      }
      for (int p = 0; p < P; ++p) {
        const auto& person = panel.persons[static_cast<std::size_t>(p)];
        if (unknown.count(person.household)) continue;
        const auto& h = households[person.household];
        values[static_cast<std::size_t>(p)] = std::string(household_type_of(h.first, h.second));
      }
    }
    // The names in a stable order: the household types' own, then the rest as they sort.
    std::set<std::string> seen(values.begin(), values.end());
    seen.erase("");
    if (by_ == "household_type")
      for (const auto n : household_type_names)
        if (seen.erase(std::string(n))) names_.emplace_back(n);
    names_.insert(names_.end(), seen.begin(), seen.end());
    for (int p = 0; p < P; ++p) {
      const auto it = std::find(names_.begin(), names_.end(), values[static_cast<std::size_t>(p)]);
      if (it != names_.end()) person_group_[static_cast<std::size_t>(p)] = static_cast<int>(it - names_.begin());
    }
  }
  [[nodiscard]] int groups() const { return static_cast<int>(names_.size()); }
  [[nodiscard]] const std::vector<std::string>& names() const { return names_; }
  [[nodiscard]] int of(int person, int month) const {
    if (by_.empty()) return -1;
    if (!starts_.empty() || by_ == "age_group") {
      const int age = panel_.persons[static_cast<std::size_t>(person)].age_months_at_start;
      if (age < 0) return -1;
      return static_cast<int>(std::upper_bound(starts_.begin(), starts_.end(), (age + month) / 12) - starts_.begin());
    }
    return person_group_[static_cast<std::size_t>(person)];
  }

private:
  const Panel& panel_;
  std::string by_;
  std::vector<int> starts_;
  std::vector<std::string> names_;
  std::vector<int> person_group_;
};

/// The counts of durations [from, to) (to -1: no end) of `dc`, as one band.
BandCounts band_of(const DurationCounts& dc, int from, int to, std::size_t states) {
  BandCounts band;
  band.from = from;
  band.to = to;
  band.exits.assign(states, 0);
  const int D = static_cast<int>(dc.stays.size());
  const int end = to < 0 ? D : std::min(to, D);
  for (int d = from; d < end; ++d) {
    band.stays += dc.stays[d];
    for (std::size_t j = 0; j < states; ++j) band.exits[j] += dc.exits[d][j];
    if (dc.first_month[d] >= 0) {
      band.first_month = band.first_month < 0 ? dc.first_month[d] : std::min(band.first_month, dc.first_month[d]);
      band.last_month = std::max(band.last_month, dc.last_month[d]);
    }
  }
  return band;
}

/// A band's competing-risks hazards per destination, as the model turns a row into hazards
/// (transition_model.hpp: lambda_j = -ln(1 - P) p_j / P). A band every person-month left is
/// taken as left in all but half a person-month, so that its hazard is finite.
std::vector<double> band_hazards(const BandCounts& b) {
  std::vector<double> lambda(b.exits.size(), 0.0);
  const auto n = static_cast<double>(b.exposure());
  const auto e = static_cast<double>(b.exit_total());
  if (n <= 0 || e <= 0) return lambda;
  const double P = std::min(e, n - 0.5) / n;
  const double total = -std::log1p(-P);
  for (std::size_t j = 0; j < lambda.size(); ++j) lambda[j] = total * static_cast<double>(b.exits[j]) / e;
  return lambda;
}

/// The multinomial log-likelihood of a band's counts under the probabilities of hazards
/// `lambda` (a probability of 0 where a count is seen counts as half a person-month's).
double band_log_likelihood(const BandCounts& b, const std::vector<double>& lambda) {
  double sum = 0;
  for (double l : lambda) sum += l;
  const auto n = static_cast<double>(b.exposure());
  if (n <= 0) return 0;
  const double P = -std::expm1(-sum);
  const double floor = 0.5 / n;
  double ll = b.stays > 0 ? static_cast<double>(b.stays) * std::log(std::max(1.0 - P, floor)) : 0.0;
  for (std::size_t j = 0; j < lambda.size(); ++j)
    if (b.exits[j] > 0)
      ll += static_cast<double>(b.exits[j]) * std::log(std::max(sum > 0 ? P * lambda[j] / sum : 0.0, floor));
  return ll;
}

BandCounts sum_bands(const std::vector<const BandCounts*>& bands) {
  BandCounts out = *bands.front();
  for (std::size_t i = 1; i < bands.size(); ++i) {
    out.stays += bands[i]->stays;
    for (std::size_t j = 0; j < out.exits.size(); ++j) out.exits[j] += bands[i]->exits[j];
  }
  return out;
}

/// Whether the data support state sc's rows by group, and the ratios (StateSplit).
void split_state(StateCalibration& sc, int groups, int min_count) {
  StateSplit& sp = sc.split;
  const std::size_t B = sc.bands.size();
  if (B == 0 || groups < 2) return;
  std::vector<int> present;
  for (int g = 0; g < groups; ++g) {
    long long n = 0;
    for (const auto& b : sp.bands[static_cast<std::size_t>(g)]) n += b.exposure();
    if (n > 0) present.push_back(g);
  }
  if (present.size() < 2) return;
  auto exposure = [&](int g) {
    long long n = 0;
    for (const auto& b : sp.bands[static_cast<std::size_t>(g)]) n += b.exposure();
    return n;
  };
  auto exits = [&](int g) {
    long long e = 0;
    for (const auto& b : sp.bands[static_cast<std::size_t>(g)]) e += b.exit_total();
    return e;
  };
  sp.reference = present.front();
  for (int g : present)
    if (exposure(g) > exposure(sp.reference)) sp.reference = g;
  // The reference's rows become the fragment's: each band needs a person-month of it.
  for (const auto& b : sp.bands[static_cast<std::size_t>(sp.reference)])
    if (b.exposure() == 0) {
      sp.verdict = StateSplit::Verdict::pooled_thin;
      sp.thin_group = sp.reference;
      return;
    }
  const std::size_t J = sc.bands.front().exits.size();
  std::vector<int> destinations;
  for (std::size_t j = 0; j < J; ++j) {
    long long e = 0;
    for (int g : present)
      for (const auto& b : sp.bands[static_cast<std::size_t>(g)]) e += b.exits[j];
    if (e > 0) destinations.push_back(static_cast<int>(j));
  }
  // The ratios: each group's hazards against the reference's at the group's exposure.
  const auto& ref = sp.bands[static_cast<std::size_t>(sp.reference)];
  std::vector<std::vector<double>> ref_lambda;
  for (const auto& b : ref) ref_lambda.push_back(band_hazards(b));
  sp.ratios.assign(static_cast<std::size_t>(groups), {});
  const double z90 = 1.6448536269514722; // the standard normal's 95th percentile
  double ll_split = 0, ll_pooled = 0;
  long long person_months = 0;
  for (int g : present) {
    const auto& mine = sp.bands[static_cast<std::size_t>(g)];
    std::vector<double> ratio(J, 1.0);
    if (g != sp.reference) {
      for (int j : destinations) {
        double observed = 0, expected = 0, e_g = 0, e_r = 0;
        for (std::size_t b = 0; b < B; ++b) {
          const auto n = static_cast<double>(mine[b].exposure());
          observed += n * band_hazards(mine[b])[static_cast<std::size_t>(j)];
          expected += n * ref_lambda[b][static_cast<std::size_t>(j)];
          e_g += static_cast<double>(mine[b].exits[static_cast<std::size_t>(j)]);
          e_r += static_cast<double>(ref[b].exits[static_cast<std::size_t>(j)]);
        }
        // A destination a group never took (or the reference never took where the group was
        // at risk) gets half an exit's hazard: a ratio above 0 and finite, and said so by
        // its count of 0.
        const double per_exit_g = e_g > 0 ? observed / e_g : 0, per_exit_r = e_r > 0 && expected > 0 ? expected / e_r : 0;
        const double unit = std::max(per_exit_g, per_exit_r);
        if (e_g <= 0) observed = 0.5 * (unit > 0 ? unit : 1.0);
        if (expected <= 0) expected = 0.5 * (unit > 0 ? unit : 1.0);
        GroupRatio r;
        r.to = j;
        r.exits = static_cast<long long>(e_g);
        r.hazard_ratio = observed / expected;
        const double se = std::sqrt(1.0 / std::max(e_g, 0.5) + 1.0 / std::max(e_r, 0.5));
        r.lo = r.hazard_ratio * std::exp(-z90 * se);
        r.hi = r.hazard_ratio * std::exp(z90 * se);
        ratio[static_cast<std::size_t>(j)] = r.hazard_ratio;
        sp.ratios[static_cast<std::size_t>(g)].push_back(r);
      }
    }
    for (std::size_t b = 0; b < B; ++b) {
      std::vector<double> lambda = ref_lambda[b];
      for (std::size_t j = 0; j < J; ++j) lambda[j] *= ratio[j];
      ll_split += band_log_likelihood(mine[b], lambda);
      person_months += mine[b].exposure();
    }
  }
  for (std::size_t b = 0; b < B; ++b) {
    std::vector<const BandCounts*> all;
    for (int g : present) all.push_back(&sp.bands[static_cast<std::size_t>(g)][b]);
    const BandCounts pooled = sum_bands(all);
    const std::vector<double> lambda = band_hazards(pooled);
    for (int g : present) ll_pooled += band_log_likelihood(sp.bands[static_cast<std::size_t>(g)][b], lambda);
  }
  sp.parameters = static_cast<int>((present.size() - 1) * destinations.size());
  sp.gain = 2 * (ll_split - ll_pooled);
  sp.penalty = sp.parameters * std::log(std::max(2.0, static_cast<double>(person_months)));
  for (int g : present)
    if (exits(g) < min_count && (sp.thin_group < 0 || exits(g) < sp.thin_exits)) {
      sp.thin_group = g;
      sp.thin_exits = exits(g);
    }
  if (sp.thin_group >= 0) sp.verdict = StateSplit::Verdict::pooled_thin;
  else sp.verdict = sp.gain > sp.penalty ? StateSplit::Verdict::split : StateSplit::Verdict::pooled_bic;
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
  const Grouping grouping(panel, o);
  const int G = grouping.groups();
  c.by = o.by;
  c.groups = grouping.names();
  c.group_last.assign(static_cast<std::size_t>(G), 0);
  c.age_group_starts = o.by == "age_group" ? o.age_group_starts : std::vector<int>{};
  c.max_links = o.max_links;
  c.by_scenario_attribute = !o.by.empty() && s.attribute_index(o.by) >= 0;
  std::vector<DurationCounts> group_counts(first_state[K] * static_cast<std::size_t>(std::max(G, 0)));
  // Each group's persons in the last period (households, for household_type: a household attribute).
  std::set<std::string> households_counted;
  for (int p = 0; p < P && G > 0; ++p)
    if (panel.is_observed(p, M - 1) && grouping.of(p, M - 1) >= 0 &&
        (o.by != "household_type" || households_counted.insert(panel.persons[static_cast<std::size_t>(p)].household).second))
      ++c.group_last[static_cast<std::size_t>(grouping.of(p, M - 1))];

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
        auto count = [&](DurationCounts& dc) {
          dc.grow(d, states);
          if (next == cur) ++dc.stays[d];
          else ++dc.exits[d][next];
          if (dc.first_month[d] < 0) dc.first_month[d] = t;
          dc.first_month[d] = std::min(dc.first_month[d], t);
          dc.last_month[d] = std::max(dc.last_month[d], t);
        };
        count(counts[si]);
        if (const int g = grouping.of(p, t); g >= 0) count(group_counts[si * static_cast<std::size_t>(G) + g]);
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
      BandCounts band = band_of(dc, starts[b], b + 1 < starts.size() ? starts[b + 1] : -1, states);
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
    if (G < 2) continue;
    sc.split.bands.assign(static_cast<std::size_t>(G), {});
    for (int g = 0; g < G; ++g) {
      const DurationCounts& gc = group_counts[si * static_cast<std::size_t>(G) + g];
      for (const auto& b : sc.bands)
        sc.split.bands[static_cast<std::size_t>(g)].push_back(gc.stays.empty() ? band_of(dc, 0, 0, states)
                                                                               : band_of(gc, b.from, b.to, states));
    }
    split_state(sc, G, o.min_count);
  }

  // A domain takes at most max_links links: the supported splits with the largest margin
  // over their penalty first, the rest pooled (age groups as links on age, the others on
  // the attribute).
  if (G >= 2)
    for (int k = 0; k < K; ++k) {
      std::vector<StateCalibration*> split;
      for (auto& sc : c.states)
        if (sc.k == k && sc.split.verdict == StateSplit::Verdict::split) split.push_back(&sc);
      std::stable_sort(split.begin(), split.end(), [](const StateCalibration* a, const StateCalibration* b) {
        return a->split.gain - a->split.penalty > b->split.gain - b->split.penalty;
      });
      int links = 0;
      for (StateCalibration* sc : split) {
        int mine = 0;
        for (const auto& r : sc->split.ratios) mine += static_cast<int>(r.size());
        if (links + mine > o.max_links) sc->split.verdict = StateSplit::Verdict::pooled_links;
        else links += mine;
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

namespace {

std::string ratio_text(const GroupRatio& r) {
  return short_num(r.hazard_ratio) + " (90 % " + short_num(r.lo) + "-" + short_num(r.hi) + ")";
}

/// The comment lines of a state's split (--by): the groups' counts and the verdict.
std::string split_comment(const Scenario& s, const Calibration& c, const StateCalibration& sc) {
  const StateSplit& sp = sc.split;
  if (sp.verdict == StateSplit::Verdict::none) return {};
  const Domain& d = s.domains[c.domains[sc.k]];
  std::string y;
  for (std::size_t g = 0; g < sp.bands.size(); ++g) {
    long long n = 0, e = 0;
    for (const auto& b : sp.bands[g]) n += b.exposure(), e += b.exit_total();
    if (n == 0) continue;
    std::string ratios;
    for (const auto& r : sp.ratios[g]) ratios += (ratios.empty() ? "; hazard ratio " : ", ") + d.states[r.to] + " " + ratio_text(r);
    y += "        # " + c.by + " " + c.groups[g] + ": " + std::to_string(n) + " person-months at risk, " + std::to_string(e) +
         " exits" + (static_cast<int>(g) == sp.reference ? " (reference)" : ratios) + "\n";
  }
  const std::string gain = short_num(sp.gain), penalty = short_num(sp.penalty);
  switch (sp.verdict) {
  case StateSplit::Verdict::none: break;
  case StateSplit::Verdict::split:
    y += "        # split supported: twice the log-likelihood gain " + gain + " > " + penalty + " (BIC)\n";
    break;
  case StateSplit::Verdict::pooled_bic:
    y += "        # pooled: twice the log-likelihood gain " + gain + " <= " + penalty + " (BIC)\n";
    break;
  case StateSplit::Verdict::pooled_thin:
    y += "        # pooled: group " + c.groups[static_cast<std::size_t>(sp.thin_group)] + " has " + std::to_string(sp.thin_exits) +
         " exits, fewer than " + std::to_string(c.min_count) + "\n";
    break;
  case StateSplit::Verdict::pooled_links:
    y += "        # pooled: the split would give the domain more than " + std::to_string(c.max_links) + " links\n";
    break;
  }
  return y;
}

/// The `when:` of group g's links: its age range in years (age groups: the person's age in
/// each month, as the panel counts it) or its category of the attribute.
std::string link_condition(const Calibration& c, std::size_t g) {
  if (c.by != "age_group") return "{attribute: {" + c.by + ": " + c.groups[g] + "}}";
  const auto& starts = c.age_group_starts;
  const std::string lo = g == 0 ? "0" : std::to_string(starts[g - 1]);
  const std::string hi = g == starts.size() ? "null" : std::to_string(starts[g]);
  return "{age: [" + lo + ", " + hi + "]}";
}

/// A split state's links: one per group other than the reference and exit, the hazard ratio
/// lognormal on its log-scale standard error (its 90 % interval above, the data's own spread).

std::string split_link_lines(const Scenario& s, const Calibration& c, const StateCalibration& sc) {
  const Domain& d = s.domains[c.domains[sc.k]];
  std::string y;
  const double z90 = 1.6448536269514722;
  for (std::size_t g = 0; g < sc.split.ratios.size(); ++g)
    for (const auto& r : sc.split.ratios[g]) {
      const double sdlog = std::log(r.hi / r.hazard_ratio) / z90;
      y += "      - {when: " + link_condition(c, g) + ", transition: " + d.states[sc.state] + "->" +
           d.states[r.to] + ", hazard_ratio: {lognormal: {meanlog: " + short_num(std::log(r.hazard_ratio)) +
           ", sdlog: " + short_num(sdlog) + "}}, source: " +
           json_string("socinvest calibrate --by " + c.by + ": " + printable(c.panel_name) + ", " + std::to_string(r.exits) +
                       " exits of " + c.groups[g] + ", against " + c.groups[static_cast<std::size_t>(sc.split.reference)]) +
           "}\n";
    }
  return y;
}

/// household_type as an attribute, when the fragment's links use it and the scenario has not
/// declared it: its categories with the panel's last-period shares.
std::string by_attribute_section(const Scenario& s, const Calibration& c) {
  if (c.by != "household_type" || s.attribute_index(c.by) >= 0) return {};
  bool used = false;
  for (const auto& sc : c.states) used = used || sc.split.verdict == StateSplit::Verdict::split;
  const long long total = std::accumulate(c.group_last.begin(), c.group_last.end(), 0LL);
  if (!used || total == 0) return {};
  std::string y = "# household_type as the panel had it in its last period (households' shares). In a synthetic\n"
                  "# population it is drawn apart from the household's adults and children: give the population as\n"
                  "# a CSV extract with a household_type column to keep the two together.\n";
  y += "attributes:\n  household_type:\n    level: household\n    categorical: {";
  for (std::size_t g = 0; g < c.groups.size(); ++g)
    y += (g ? ", " : "") + c.groups[g] + ": " + num(static_cast<double>(c.group_last[g]) / static_cast<double>(total));
  return y + "}\n    source: \"socinvest calibrate --by household_type\"\n";
}

} // namespace

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
    std::string split_links;
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
      const bool linked = sc.split.verdict == StateSplit::Verdict::split;
      y += split_comment(s, c, sc);
      if (linked) {
        y += "        # the rows of " + c.by + " " + c.groups[static_cast<std::size_t>(sc.split.reference)] +
             " (the reference group); the other groups by the links below\n";
        split_links += split_link_lines(s, c, sc);
      }
      for (const auto& b : linked ? sc.split.bands[static_cast<std::size_t>(sc.split.reference)] : sc.bands) {
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
    if (!split_links.empty()) y += "    links:\n" + split_links;
  }
  y += by_attribute_section(s, c);
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
