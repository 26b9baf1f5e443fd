// population: the households, either synthetic (how many, their composition, ages, start
// states and months already in them) or from a CSV file (checked when it is read); and
// exits: monthly mortality and moving away.
#include "scenario/load_context.hpp"

#include <cmath>
#include <filesystem>

namespace socinvest::detail {

namespace fs = std::filesystem;

namespace {

/// Adults or children per household: a count, {categorical: {count: p}} or {poisson: mean, max: n}.
CountDistribution count_distribution(LoadContext& ctx, const YNode& n) {
  Reader& r = ctx.reader;
  CountDistribution c;
  if (n.is_scalar()) {
    if (auto v = r.integer(n, 0, 20)) {
      c.kind = CountDistribution::Kind::fixed;
      c.values = {static_cast<int>(*v)};
      c.probabilities = {1.0};
    }
    return c;
  }
  if (!r.map(n, {"categorical", "poisson", "max"})) return c;
  if (n["categorical"].defined()) {
    YNode cat = n["categorical"];
    c.kind = CountDistribution::Kind::categorical;
    double sum = 0;
    for (auto& [k, p] : cat.entries()) {
      auto v = r.integer(YNode{YAML::Node(k), p.file, p.path, p.fallback_line, p.fallback_column}, 0, 20);
      auto pr = r.number(p, detail::probability);
      if (!v || !pr) continue;
      c.values.push_back(static_cast<int>(*v));
      c.probabilities.push_back(*pr);
      sum += *pr;
    }
    if (c.values.empty()) r.error(cat, "expected a map from count to probability, e.g. {1: 0.55, 2: 0.45}");
    else if (std::abs(sum - 1.0) > 1e-6) r.error(cat, "probabilities must sum to 1 (they sum to " + std::to_string(sum) + ")");
  } else if (n["poisson"].defined()) {
    c.kind = CountDistribution::Kind::poisson;
    if (auto v = r.number(n["poisson"], Range{0, 20, false, "a mean from 0 to 20"})) c.lambda = *v;
    c.max = 20;
    if (n["max"].defined())
      if (auto v = r.integer(n["max"], 0, 20)) c.max = static_cast<int>(*v);
  } else {
    r.error(n, "expected a count, {categorical: {...}} or {poisson: mean, max: n}");
  }
  return c;
}

/// Ages of a household's adults or children: a distribution of years (`fallback` when absent).
Distribution age_distribution(LoadContext& ctx, const YNode& n, Distribution fallback) {
  Reader& r = ctx.reader;
  if (!n.defined()) return fallback;
  auto q = r.quantity(n, Range{0, 120, false, "an age in years from 0 to 120"});
  return q ? q->dist : fallback;
}

} // namespace

void load_population(LoadContext& ctx, Scenario& s) {
  Reader& r = ctx.reader;
  auto it = ctx.sections.whole.find("population");
  if (it == ctx.sections.whole.end()) {
    ctx.file_error(ctx.main_file(), 0, 0, "population", "is required: households with synthetic: {...} or csv: file");
    return;
  }
  const YNode& n = it->second;
  if (!r.map(n, {"households", "synthetic", "csv"})) return;
  bool syn = n["synthetic"].defined(), csv = n["csv"].defined();
  if (syn == csv) {
    r.error(n, "give exactly one of synthetic (distributions) or csv (a file with one row per person)");
    return;
  }
  if (csv) {
    if (auto f = r.string(n["csv"])) {
      fs::path p = fs::path(*n.file).parent_path() / *f;
      s.population.csv_path = p.lexically_normal().string();
      std::error_code ec;
      if (!fs::is_regular_file(s.population.csv_path, ec))
        r.error(n["csv"], "cannot read population file '" + s.population.csv_path + "'");
    }
    if (n["households"].defined()) r.error(n["households"], "households is taken from the CSV file; remove it");
    return;
  }
  if (!n["households"].defined()) r.error_at(n, "population.households", "is required: how many households");
  else if (auto v = r.integer(n["households"], 1, 10'000'000)) s.population.households = static_cast<int>(*v);
  YNode syn_n = n["synthetic"];
  if (!r.map(syn_n, {"adults_per_household", "children_per_household", "adult_age", "child_age", "start_state",
                     "months_in_start_state"}))
    return;
  SyntheticPopulation sp;
  if (syn_n["adults_per_household"].defined()) {
    sp.adults = count_distribution(ctx, syn_n["adults_per_household"]);
    bool zero = false;
    for (std::size_t i = 0; i < sp.adults.values.size(); ++i) zero = zero || (sp.adults.values[i] == 0 && sp.adults.probabilities[i] > 0);
    if (zero || (sp.adults.kind == CountDistribution::Kind::poisson))
      r.error(syn_n["adults_per_household"], "every household needs at least one adult (give counts of 1 or more)");
  }
  else sp.adults = {CountDistribution::Kind::fixed, {1}, {1.0}, 0, 0};
  if (syn_n["children_per_household"].defined()) sp.children = count_distribution(ctx, syn_n["children_per_household"]);
  else sp.children = {CountDistribution::Kind::fixed, {0}, {1.0}, 0, 0};
  sp.adult_age = age_distribution(ctx, syn_n["adult_age"], sp.adult_age);
  sp.child_age = age_distribution(ctx, syn_n["child_age"], sp.child_age);
  sp.start_state.resize(s.domains.size());
  YNode start = syn_n["start_state"];
  if (start.defined() && start.is_map()) {
    for (auto& [dom, dist] : start.entries()) {
      YNode key = Reader::key_node(dist);
      key.node = YAML::Node(dom);
      auto k = r.reference(key, ctx.domain_names, "domain");
      if (k) sp.start_state[*k] = state_distribution(ctx, dist, s, *k, true);
    }
  } else if (start.defined()) {
    r.error(start, "expected a map from domain to a distribution over its states");
  }
  YNode months = syn_n["months_in_start_state"];
  if (months.defined() && months.is_map()) {
    for (auto& [key, dist] : months.entries()) {
      int dom = -1, st = -1;
      if (!domain_state(ctx, key, dist, s, dom, st)) continue;
      if (auto q = r.quantity(dist, Range{0, detail::unbounded, false, "a number of months of at least 0"}))
        sp.months_in_start_state.push_back({dom, st, q->dist});
    }
  } else if (months.defined()) {
    r.error(months, "expected a map from domain.state to a distribution of months");
  }
  s.population.synthetic = std::move(sp);
}

void load_exits(LoadContext& ctx, Scenario& s) {
  Reader& r = ctx.reader;
  auto it = ctx.sections.whole.find("exits");
  if (it == ctx.sections.whole.end()) return;
  const YNode& n = it->second;
  if (!r.map(n, {"mortality", "moving_away"})) return;
  YNode mort = n["mortality"];
  if (mort.defined() && r.map(mort, {"adult", "child"})) {
    s.exits.mortality_adult = r.quantity_or(mort["adult"], 0.0, detail::probability);
    s.exits.mortality_child = r.quantity_or(mort["child"], 0.0, detail::probability);
  }
  s.exits.moving_away = r.quantity_or(n["moving_away"], 0.0, detail::probability);
}

} // namespace socinvest::detail
