#include <socinvest/scenario/scenario.hpp>

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <filesystem>
#include <type_traits>
#include <variant>

namespace socinvest {

std::string YearMonth::text() const {
  char buf[16];
  std::snprintf(buf, sizeof buf, "%04d-%02d", year, month);
  return buf;
}

int Domain::state_index(const std::string& name) const {
  auto it = std::find(states.begin(), states.end(), name);
  return it == states.end() ? -1 : static_cast<int>(it - states.begin());
}

int StateDistribution::draw(double u) const {
  double cum = 0.0;
  for (std::size_t i = 0; i < states.size(); ++i) {
    cum += probabilities[i];
    if (u < cum) return states[i];
  }
  return states.empty() ? -1 : states.back();
}

DomainScope Domain::scope() const {
  DomainScope scope;
  scope.role = role;
  scope.first_month = age_months_of_years(min_age);
  scope.end_month = age_months_of_years(std::min(max_age, 1e6 / 12.0));
  return scope;
}

bool Scenario::uses_effect_haircut() const {
  for (const auto& v : variants)
    for (const auto& iv : v.interventions)
      if (!iv.effects.empty() && effect_haircut(iv).used()) return true;
  return false;
}

double ReimbursementRule::share_for_month(int months) const {
  // Month m (0-based) covers weeks [m, m + 1) x 52/12. The share is the week-weighted
  // average of the staircase over that span, so a month that straddles a boundary (week 4
  // falls inside the first month) gets the mix it really has.
  constexpr double weeks_per_month = 52.0 / 12.0;
  double begin = months * weeks_per_month, end = (months + 1) * weeks_per_month;
  double total = 0.0, lower = begin;
  for (std::size_t step = 0; step < state_share.size(); ++step) {
    double upper = step < weeks.size() ? weeks[step] : end;
    double a = std::max(lower, begin), b = std::min(upper, end);
    if (b > a) total += (b - a) * state_share[step];
    lower = std::max(lower, upper);
    if (lower >= end) break;
  }
  return total / weeks_per_month;
}

std::vector<double> ReimbursementRule::step_weights(int months) const {
  // share_for_month's walk over the staircase, keeping each step's weeks instead of adding them up.
  constexpr double weeks_per_month = 52.0 / 12.0;
  std::vector<double> w(state_share.size(), 0.0);
  double begin = months * weeks_per_month, end = (months + 1) * weeks_per_month, lower = begin;
  for (std::size_t step = 0; step < state_share.size(); ++step) {
    double upper = step < weeks.size() ? weeks[step] : end;
    double a = std::max(lower, begin), b = std::min(upper, end);
    if (b > a) w[step] = (b - a) / weeks_per_month;
    lower = std::max(lower, upper);
    if (lower >= end) break;
  }
  return w;
}

namespace {
template <class T>
int index_of(const std::vector<T>& items, const std::string& id) {
  for (std::size_t i = 0; i < items.size(); ++i)
    if (items[i].id == id) return static_cast<int>(i);
  return -1;
}
} // namespace

int Scenario::department_index(const std::string& name) const { return index_of(departments, name); }
int Scenario::domain_index(const std::string& name) const { return index_of(domains, name); }
int Scenario::refusion_rule() const {
  for (std::size_t i = 0; i < reimbursements.size(); ++i)
    if (reimbursements[i].clocked()) return static_cast<int>(i);
  return -1;
}
int Scenario::variant_index(const std::string& name) const { return index_of(variants, name); }
int Scenario::indicator_index(const std::string& name) const { return index_of(indicators, name); }

namespace {
// A variant that extends another shares its inherited parameters (same key path): list each once.
std::vector<const Quantity*> each_path_once(const std::vector<const Quantity*>& all) {
  std::vector<const Quantity*> unique;
  for (const Quantity* q : all) {
    bool seen = false;
    for (const Quantity* u : unique) seen = seen || u->path == q->path;
    if (!seen) unique.push_back(q);
  }
  return unique;
}

/// Every amount of the state and transition cost lines (each category's and each dated
/// change's too), in file order: prices, in both price_quantities() and quantities().
void add_cost_line_amounts(const Scenario& s, std::vector<const Quantity*>& out) {
  for (const auto& c : s.state_costs)
    for (const auto& l : c.lines) {
      out.push_back(&l.amount);
      for (const auto& q : l.category_amounts)
        if (q) out.push_back(&*q);
      for (const auto& change : l.changes) {
        out.push_back(&change.amount);
        for (const auto& q : change.category_amounts)
          if (q) out.push_back(&*q);
      }
    }
  for (const auto& c : s.transition_costs)
    for (const auto& l : c.lines) {
      out.push_back(&l.amount);
      for (const auto& q : l.category_amounts)
        if (q) out.push_back(&*q);
    }
}
} // namespace

std::vector<const Quantity*> Scenario::price_quantities() const {
  std::vector<const Quantity*> out;
  add_cost_line_amounts(*this, out);
  for (const auto& v : variants) {
    auto add = [&](const Quantity& q) { out.push_back(&q); };
    for (const auto& iv : v.interventions)
      for (const auto& c : iv.costs)
        std::visit([&](const auto& kind) { std::remove_cvref_t<decltype(kind)>::quantities(kind, add); }, c.kind);
    for (const auto& c : v.contracts) {
      out.push_back(&c.amount);
      out.push_back(&c.amount_per_person);
    }
  }
  return each_path_once(out);
}

bool Scenario::price_only(const std::string& path) const {
  for (const Quantity* q : price_quantities())
    if (q->path == path) return true;
  return false;
}

std::vector<const Quantity*> Scenario::quantities() const {
  std::vector<const Quantity*> all;
  auto& out = all;
  for (const auto& d : domains) {
    for (const auto& bands : d.transitions)
      for (const auto& b : bands)
        if (const auto* per = std::get_if<TransitionBand::PerDestination>(&b.probabilities))
          for (const auto& q : *per) out.push_back(&q);
    for (const auto& l : d.links) out.push_back(&l.hazard_ratio);
  }
  out.push_back(&exits.mortality_adult);
  out.push_back(&exits.mortality_child);
  out.push_back(&exits.moving_away);
  add_cost_line_amounts(*this, out);
  for (const auto& v : variants) {
    for (const auto& iv : v.interventions) {
      iv.for_each_quantity([&](const Quantity& q) { out.push_back(&q); });
    }
    for (const auto& c : v.contracts) {
      out.push_back(&c.amount);
      out.push_back(&c.amount_per_person);
    }
  }
  return each_path_once(all);
}

double Scenario::expected_persons() const {
  if (population.synthetic) {
    struct Mean {
      double operator()(const CountDistribution::Fixed& f) const { return f.value; }
      double operator()(const CountDistribution::Categorical& c) const {
        double m = 0;
        for (std::size_t i = 0; i < c.values.size(); ++i) m += c.values[i] * c.probabilities[i];
        return m;
      }
      // An upper bound on the capped mean: enough for sizing the run.
      double operator()(const CountDistribution::Poisson& p) const { return std::min(p.lambda, static_cast<double>(p.max)); }
    };
    auto mean_count = [](const CountDistribution& c) { return std::visit(Mean{}, c.kind); };
    return population.households * (mean_count(population.synthetic->adults) + mean_count(population.synthetic->children));
  }
  std::error_code ec;
  const auto bytes = std::filesystem::file_size(population.csv_path, ec);
  return ec ? 0.0 : static_cast<double>(bytes) / 20.0;
}

} // namespace socinvest
