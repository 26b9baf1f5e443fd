// population: the households, either synthetic (how many, their composition, ages, start
// states and months already in them) or from a CSV file (checked when it is read); and
// exits: monthly mortality and moving away.
#include "scenario/load_context.hpp"

#include <socinvest/report/messages.hpp>

#include <cmath>
#include <filesystem>

namespace socinvest::detail {

namespace fs = std::filesystem;

namespace {

/// Adults or children per household: a count, {categorical: {count: p}} or {poisson: mean, max: n};
/// nothing when it was refused.
std::optional<CountDistribution> count_distribution(LoadContext& ctx, const YNode& n) {
  Reader& r = ctx.reader;
  if (n.is_scalar()) {
    if (auto v = r.integer(n, 0, 20)) return CountDistribution{CountDistribution::Fixed{static_cast<int>(*v)}};
    return std::nullopt;
  }
  if (!r.map(n, {"categorical", "poisson", "max"})) return std::nullopt;
  if (n["categorical"].defined()) {
    YNode cat = n["categorical"];
    CountDistribution::Categorical c;
    double sum = 0;
    for (auto& [k, p] : cat.entries()) {
      auto v = r.integer(YNode{YAML::Node(k), p.file, p.path, p.fallback_line, p.fallback_column}, 0, 20);
      auto pr = r.number(p, detail::probability);
      if (!v || !pr) continue;
      c.values.push_back(static_cast<int>(*v));
      c.probabilities.push_back(*pr);
      sum += *pr;
    }
    if (c.values.empty()) r.error(cat, both_languages(Msg::fixed_expected_a_map_from_count_to_probability));
    else if (std::abs(sum - 1.0) > 1e-6) r.error(cat, both_languages(Msg::diag_probabilities_sum, {std::to_string(sum)}));
    return CountDistribution{std::move(c)};
  }
  if (n["poisson"].defined()) {
    CountDistribution::Poisson c;
    if (auto v = r.number(n["poisson"], Range{0, 20, false, "a mean from 0 to 20"})) c.lambda = *v;
    if (n["max"].defined())
      if (auto v = r.integer(n["max"], 0, 20)) c.max = static_cast<int>(*v);
    return CountDistribution{c};
  }
  r.error(n, both_languages(Msg::fixed_expected_a_count_categorical_or_poisson_mean));
  return std::nullopt;
}

/// Whether a household may draw no adult: a count of 0 with a chance, or any Poisson count.
bool may_be_zero(const CountDistribution& c) {
  if (const auto* fixed = std::get_if<CountDistribution::Fixed>(&c.kind)) return fixed->value == 0;
  if (const auto* cat = std::get_if<CountDistribution::Categorical>(&c.kind)) {
    for (std::size_t i = 0; i < cat->values.size(); ++i)
      if (cat->values[i] == 0 && cat->probabilities[i] > 0) return true;
    return false;
  }
  return true; // Poisson: 0 has a positive probability
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
    ctx.file_error(ctx.main_file(), 0, 0, "population", both_languages(Msg::fixed_is_required_households_with_synthetic_or_csv));
    return;
  }
  const YNode& n = it->second;
  if (!r.map(n, {"households", "synthetic", "csv"})) return;
  bool syn = n["synthetic"].defined(), csv = n["csv"].defined();
  if (syn == csv) {
    r.error(n, both_languages(Msg::fixed_give_exactly_one_of_synthetic_distributions_or));
    return;
  }
  if (csv) {
    if (auto f = r.string(n["csv"])) {
      fs::path p = fs::path(*n.file).parent_path() / *f;
      s.population.csv_path = p.lexically_normal().string();
      std::error_code ec;
      if (!fs::is_regular_file(s.population.csv_path, ec))
        r.error(n["csv"], both_languages(Msg::diag_population_unreadable, {s.population.csv_path}));
    }
    if (n["households"].defined()) r.error(n["households"], both_languages(Msg::fixed_households_is_taken_from_the_csv_file));
    return;
  }
  if (!n["households"].defined()) r.error_at(n, "population.households", both_languages(Msg::fixed_is_required_how_many_households));
  else if (auto v = r.integer(n["households"], 1, 10'000'000)) s.population.households = static_cast<int>(*v);
  YNode syn_n = n["synthetic"];
  if (!r.map(syn_n, {"adults_per_household", "children_per_household", "adult_age", "child_age", "start_state",
                     "months_in_start_state", "refusion_weeks_at_start", "legacy_refusion_share"}))
    return;
  SyntheticPopulation sp;
  // Absent: one adult and no children. A refused count keeps the default (the scenario is refused).
  sp.adults = {CountDistribution::Fixed{1}};
  sp.children = {CountDistribution::Fixed{0}};
  if (syn_n["adults_per_household"].defined())
    if (auto c = count_distribution(ctx, syn_n["adults_per_household"])) {
      sp.adults = std::move(*c);
      if (may_be_zero(sp.adults))
        r.error(syn_n["adults_per_household"], both_languages(Msg::fixed_every_household_needs_at_least_one_adult));
    }
  if (syn_n["children_per_household"].defined())
    if (auto c = count_distribution(ctx, syn_n["children_per_household"])) sp.children = std::move(*c);
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
    r.error(start, both_languages(Msg::fixed_expected_a_map_from_domain_to_a));
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
    r.error(months, both_languages(Msg::fixed_expected_a_map_from_domain_state_to));
  }
  // The refusion clock's count at the start (ReimbursementRule::Clock): weeks on public
  // support, and the share whose award keeps the old rules. Only for the clock's states.
  const int rule = s.refusion_rule();
  auto clock_entries = [&](const char* name, Msg not_a_map, bool legacy) {
    YNode m = syn_n[name];
    if (!m.defined()) return;
    if (!m.is_map()) {
      r.error(m, both_languages(not_a_map));
      return;
    }
    if (rule < 0) {
      r.error(m, both_languages(Msg::fixed_needs_a_reimbursement_rule_with_a_clock));
      return;
    }
    const ReimbursementRule::Clock& clock = s.reimbursements[static_cast<std::size_t>(rule)].clock;
    for (auto& [key, value] : m.entries()) {
      int dom = -1, st = -1;
      if (!domain_state(ctx, key, value, s, dom, st)) continue;
      if (dom != clock.domain || !clock.counts(st) || (legacy && !clock.has_legacy(st))) {
        r.error(Reader::key_node(value),
                both_languages(legacy ? Msg::pop_not_legacy_state : Msg::pop_not_support_state,
                               {key, s.reimbursements[static_cast<std::size_t>(rule)].id,
                                clock_support_states(s, clock, legacy)}));
        continue;
      }
      StartRefusion entry{dom, st, {}, 0.0};
      if (legacy) {
        if (auto v = r.number(value, detail::probability)) entry.share = *v;
        else continue;
        sp.legacy_refusion_share.push_back(entry);
      } else if (auto q = r.quantity(value, Range{0, detail::unbounded, false, "a number of weeks of at least 0"})) {
        entry.weeks = q->dist;
        sp.refusion_weeks_at_start.push_back(entry);
      }
    }
  };
  clock_entries("refusion_weeks_at_start", Msg::pop_expected_map_weeks, false);
  clock_entries("legacy_refusion_share", Msg::pop_expected_map_legacy_share, true);
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
