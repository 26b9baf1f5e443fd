// domains: each domain's states, who it applies to (role, ages), the monthly transitions
// between its states (duration bands, Dirichlet rows), links to other domains, the entry
// distribution for persons ageing in and the rule for ageing out (on_leaving). Also the
// references into domains that other sections use: domain.state, from->to, state
// distributions.
#include "scenario/load_context.hpp"

#include <socinvest/report/format.hpp>
#include <socinvest/report/messages.hpp>

#include <socinvest/scenario/names.hpp>

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <limits>

namespace socinvest::detail {

namespace {

/// One row of a state's exits: the months in the state it covers and the monthly probability
/// of each destination (or a Dirichlet over them and staying). `single`: the state has one row.
std::optional<TransitionBand> band(LoadContext& ctx, const YNode& n, const Domain& d, int from, bool single) {
  Reader& r = ctx.reader;
  if (!r.map(n, {"months_in_state", "to", "source"})) return std::nullopt;
  TransitionBand b;
  YNode months = n["months_in_state"];
  if (months.defined()) {
    if (!months.is_seq() || months.size() != 2) {
      r.error(months, both_languages(Msg::fixed_expected_from_to_in_months_already_in));
      return std::nullopt;
    }
    auto lo = r.integer(months.at(0), 0, 100000);
    if (!lo) return std::nullopt;
    b.from_month = static_cast<int>(*lo);
    if (months.at(1).defined()) {
      auto hi = r.integer(months.at(1), 1, 100000);
      if (!hi) return std::nullopt;
      if (*hi <= *lo) {
        r.error(months, both_languages(Msg::fixed_a_band_needs_from_to));
        return std::nullopt;
      }
      b.to_month = static_cast<int>(*hi);
    }
  } else if (!single) {
    r.error_at(n, months.path, both_languages(Msg::fixed_is_required_in_a_list_of_duration));
  }
  YNode to = n["to"];
  if (!to.defined()) {
    r.error_at(n, to.path, both_languages(Msg::fixed_is_required_the_monthly_probabilities_of_moving));
    return std::nullopt;
  }
  if (!to.is_map()) {
    r.error(to, both_languages(Msg::fixed_expected_a_map_from_destination_state_to));
    return std::nullopt;
  }
  const std::vector<std::string>& states = d.states;
  auto destination = [&](const std::string& name, const YNode& at) -> int {
    int idx = d.state_index(name);
    if (idx < 0) {
      r.error(at, both_languages(Msg::csv_unknown_state, {name, d.id}) + did_you_mean_text(name, states) +
                      both_languages(Msg::csv_states, {join(states)}));
    } else if (idx == from) {
      r.error(at, both_languages(Msg::fixed_a_state_cannot_move_to_itself_staying));
      idx = -1;
    }
    return idx;
  };
  double sum = 0.0;
  bool exact_sum = true;
  if (to["dirichlet"].defined()) {
    YNode dir = to["dirichlet"];
    r.map(to, {"dirichlet"});
    if (!dir.is_map()) {
      r.error(dir, both_languages(Msg::fixed_expected_a_map_from_destination_and_stay));
      return std::nullopt;
    }
    DirichletRow row;
    double stay = -1.0;
    for (auto& [name, alpha] : dir.entries()) {
      auto a = r.number(alpha, detail::positive);
      if (!a) continue;
      if (name == "stay") {
        stay = *a;
        continue;
      }
      int idx = destination(name, Reader::key_node(alpha));
      if (idx < 0) continue;
      b.destinations.push_back(idx);
      row.alpha.push_back(*a);
    }
    if (stay <= 0) r.error_at(dir, dir.path + ".stay", both_languages(Msg::fixed_is_required_the_count_for_staying_in));
    row.alpha.push_back(stay);
    row.path = dir.path;
    row.key = path_key(dir.path);
    b.probabilities = std::move(row);
    return b;
  }
  TransitionBand::PerDestination probabilities;
  for (auto& [name, p] : to.entries()) {
    int idx = destination(name, Reader::key_node(p));
    auto q = r.quantity(p, detail::probability);
    if (idx < 0 || !q) continue;
    b.destinations.push_back(idx);
    sum += q->dist.mean();
    exact_sum = exact_sum && q->dist.is_fixed();
    probabilities.push_back(std::move(*q));
  }
  b.probabilities = std::move(probabilities);
  if (sum > 1.0 + 1e-9) {
    char buf[48];
    std::snprintf(buf, sizeof buf, "%.6g", sum);
    r.error(to, both_languages(exact_sum ? Msg::diag_outgoing_sum : Msg::diag_outgoing_sum_means, {states[from], std::string(buf)}));
  }
  return b;
}

/// transitions: per state, one row or a list of duration bands that tile [0, infinity).
/// A state whose rows had errors is remembered (doubtful_rows) so that links and effects on it
/// do not add follow-on errors.
void parse_transitions(LoadContext& ctx, const YNode& n, Domain& d) {
  Reader& r = ctx.reader;
  if (!n.defined()) return;
  if (!n.is_map()) {
    r.error(n, both_languages(Msg::fixed_expected_a_map_from_state_to_its));
    return;
  }
  for (auto& [state, rows] : n.entries()) {
    int from = d.state_index(state);
    if (from < 0) {
      r.error(Reader::key_node(rows), both_languages(Msg::csv_unknown_state, {state, d.id}) +
                                          did_you_mean_text(state, d.states) + both_languages(Msg::csv_states, {join(d.states)}));
      continue;
    }
    std::vector<TransitionBand> bands;
    const std::size_t problems_before = ctx.diagnostics.size();
    if (rows.is_map()) {
      if (auto b = band(ctx, rows, d, from, true)) {
        if (b->from_month != 0 || b->to_month != std::numeric_limits<int>::max())
          r.error(rows["months_in_state"], both_languages(Msg::fixed_a_single_row_must_cover_every_duration));
        bands.push_back(std::move(*b));
      }
    } else if (r.seq(rows)) {
      for (std::size_t i = 0; i < rows.size(); ++i)
        if (auto b = band(ctx, rows.at(i), d, from, false)) bands.push_back(std::move(*b));
      // Bands must tile [0, infinity) in order.
      int expected = 0;
      for (std::size_t i = 0; i < bands.size(); ++i) {
        if (bands[i].from_month != expected) {
          r.error(rows.at(i), both_languages(Msg::domain_bands_not_contiguous,
                                             {std::to_string(bands[i].from_month), std::to_string(expected)}));
          break;
        }
        expected = bands[i].to_month;
      }
      if (!bands.empty() && bands.back().to_month != std::numeric_limits<int>::max())
        r.error(rows.at(bands.size() - 1), both_languages(Msg::fixed_the_last_duration_band_must_be_open));
    }
    if (ctx.diagnostics.size() > problems_before) ctx.doubtful_rows.insert(d.id + "." + state);
    d.transitions[from] = std::move(bands);
  }
}

/// {self | household_any | household_other: {domain: state or [states]}}, for links.
StateCondition condition(LoadContext& ctx, const YNode& n, const Scenario& s) {
  Reader& r = ctx.reader;
  StateCondition c;
  using Scope = StateCondition::Scope;
  if (!r.map(n, names_of<Scope>())) return c;
  auto entries = n.entries();
  if (entries.size() != 1) {
    r.error(n, both_languages(Msg::domain_give_exactly_one_of, {join(names_of<Scope>())}));
    return c;
  }
  auto& [scope, body] = entries.front();
  // An unknown scope has been reported by map(); the scenario is refused either way.
  if (auto v = value_named<Scope>(scope)) c.scope = *v;
  if (!body.is_map() || body.size() != 1) {
    r.error(body, both_languages(Msg::fixed_expected_domain_state_or_domain_states));
    return c;
  }
  auto [domain_name, states] = body.entries().front();
  YNode key = Reader::key_node(states);
  key.node = YAML::Node(domain_name);
  auto dom = r.reference(key, ctx.domain_names, "domain");
  if (!dom) return c;
  c.domain = *dom;
  auto add = [&](const YNode& st) {
    if (auto idx = r.reference(st, s.domains[*dom].states, "state")) c.states.push_back(*idx);
  };
  if (states.is_seq())
    for (std::size_t i = 0; i < states.size(); ++i) add(states.at(i));
  else
    add(states);
  return c;
}

/// An age range in years, [min, max) with max null for none (200): applies_to.age and a
/// link's `when: {age: ...}`. Nothing when it is not one (the error is reported).
std::optional<std::pair<double, double>> age_range(Reader& r, const YNode& age) {
  if (!age.is_seq() || age.size() != 2) {
    r.error(age, both_languages(Msg::fixed_expected_min_max_in_years_max_may));
    return std::nullopt;
  }
  auto lo = r.number(age.at(0), Range{0, 120, false, "an age in years from 0 to 120"});
  std::optional<double> hi = 200.0;
  if (age.at(1).defined()) hi = r.number(age.at(1), Range{0, 200, false, "an age in years"});
  if (!lo || !hi) return std::nullopt;
  if (*hi <= *lo) {
    r.error(age, both_languages(Msg::fixed_the_age_range_must_have_min_max));
    return std::nullopt;
  }
  return std::pair{*lo, *hi};
}

/// links: while a condition holds, a transition's hazard is multiplied by a ratio.
void parse_links(LoadContext& ctx, const YNode& n, const Scenario& s, Domain& d) {
  Reader& r = ctx.reader;
  if (!n.defined() || !r.seq(n)) return;
  for (std::size_t i = 0; i < n.size(); ++i) {
    YNode item = n.at(i);
    if (!r.map(item, {"when", "transition", "hazard_ratio", "source"})) continue;
    Link link;
    // The condition's one key, whatever its value (`age: null` is an age condition written wrong).
    const std::string only =
        item["when"].is_map() && item["when"].size() == 1 ? item["when"].entries().front().first : std::string();
    if (!item["when"].defined()) r.error_at(item, item["when"].path, both_languages(Msg::fixed_is_required));
    else if (only == "attribute") {
      // when: {attribute: {area: karup}}: the person's (or household's) attribute.
      link.attribute = attribute_condition(ctx, item["when"]["attribute"], s);
      link.when.domain = -1;
    } else if (only == "age") {
      // when: {age: [30, 50]}: the person's age at the start of a step, in years.
      link.age = AgeCondition{};
      link.when.domain = -1;
      if (auto range = age_range(r, item["when"]["age"])) {
        link.age->first_month = age_months_of_years(range->first);
        if (range->second < 200.0) link.age->end_month = age_months_of_years(range->second);
        // A range the domain's own ages never reach is a slip (a link written for another
        // domain, years for months): the scenario runs, the link changes nothing.
        const DomainScope scope = d.scope();
        if (link.age->end_month <= scope.first_month || link.age->first_month >= scope.end_month) {
          auto years = [](double v) { return v >= 200.0 ? std::string("∞") : exact_number(v); };
          r.warning_at(item["when"]["age"], item["when"]["age"].path,
                       both_languages(Msg::link_age_outside_domain,
                                      {years(range->first), years(range->second), years(d.min_age), years(d.max_age)}));
        }
      }
    } else link.when = condition(ctx, item["when"], s);
    if (!item["transition"].defined()) r.error_at(item, item["transition"].path, both_languages(Msg::fixed_is_required_from_to));
    else if (transition_names(ctx, item["transition"], d, link.from, link.to))
      require_route(ctx, item["transition"], d, link.from, link.to, "a link");
    if (!item["hazard_ratio"].defined()) r.error_at(item, item["hazard_ratio"].path, both_languages(Msg::fixed_is_required));
    else if (auto q = r.quantity(item["hazard_ratio"], detail::positive)) link.hazard_ratio = *q;
    d.links.push_back(std::move(link));
  }
  if (d.links.size() > 6) r.error(n, both_languages(Msg::fixed_at_most_6_links_per_domain));
}

/// on_leaving: at the domain's upper age a person leaves it, entering `to_domain` in a state
/// drawn per state of this domain (by default the target's entry distribution).
void parse_on_leaving(LoadContext& ctx, const YNode& n, Scenario& s, int k) {
  Reader& r = ctx.reader;
  Domain& d = s.domains[k];
  if (!r.map(n, {"at_age", "to_domain", "map"})) return;
  AgeingRule rule;
  rule.at_age = d.max_age;
  if (n["at_age"].defined()) {
    if (auto v = r.number(n["at_age"], Range{0, 120, false, "an age in years"})) {
      if (d.max_age < 200.0 && std::abs(*v - d.max_age) > 1e-9)
        r.error(n["at_age"], "at_age must equal the upper end of applies_to.age (" + std::to_string(d.max_age) + ")");
      d.max_age = *v;
      rule.at_age = *v;
    }
  }
  if (n["to_domain"].defined()) {
    auto target = r.reference(n["to_domain"], ctx.domain_names, "domain");
    if (target) {
      rule.to_domain = *target;
      if (*target == k) r.error(n["to_domain"], both_languages(Msg::fixed_a_domain_cannot_age_into_itself));
      const Domain& t = s.domains[*target];
      rule.map.resize(d.states.size(), t.entry);
      YNode map = n["map"];
      if (map.defined() && map.is_map()) {
        for (auto& [state, dist] : map.entries()) {
          int idx = d.state_index(state);
          if (idx < 0) {
            r.error(dist, both_languages(Msg::csv_unknown_state, {state, d.id}) + both_languages(Msg::csv_states, {join(d.states)}));
            continue;
          }
          rule.map[idx] = state_distribution(ctx, dist, s, *target, true);
        }
      } else if (map.defined()) {
        r.error(map, both_languages(Msg::domain_entry_map_expected, {d.id, t.id}));
      }
      for (std::size_t i = 0; i < d.states.size(); ++i)
        if (rule.map[i].empty())
          r.error(n, both_languages(Msg::domain_no_entry_for_state, {t.id, d.states[i]}));
    }
  }
  d.on_leaving = std::move(rule);
}

} // namespace

void load_domains(LoadContext& ctx, Scenario& s) {
  Reader& r = ctx.reader;
  if (ctx.sections.domains.empty()) {
    ctx.file_error(ctx.main_file(), 0, 0, "domains", both_languages(Msg::fixed_is_required_at_least_one_domain_with));
    return;
  }
  // Pass 1: names and states, so links and ageing rules can refer to any domain.
  std::size_t count = 0;
  for (auto& [id, n] : ctx.sections.domains) {
    // The simulation keeps a person's domains in a 16-bit set.
    if (++count == 17) r.error(n, both_languages(Msg::fixed_at_most_16_domains_this_is_the));
    Domain d;
    d.id = id;
    ctx.domain_names.push_back(id);
    if (r.map(n, {"applies_to", "states", "entry", "on_leaving", "transitions", "links", "description"})) {
      YNode states = n["states"];
      if (!states.defined())
        r.error_at(n, states.path, both_languages(Msg::fixed_is_required_the_list_of_states_of));
      else if (r.seq(states)) {
        for (std::size_t i = 0; i < states.size(); ++i) {
          auto name = r.string(states.at(i));
          if (!name) continue;
          if (*name == "none")
            r.error(states.at(i), both_languages(Msg::fixed_none_cannot_be_a_state_name_it));
          else if (!is_valid_name(*name))
            check_name(ctx, states.at(i), *name, "state");
          else if (d.state_index(*name) >= 0)
            r.error(states.at(i), both_languages(Msg::domain_state_twice, {*name}));
          else
            d.states.push_back(*name);
        }
        if (d.states.size() > 60) r.error(states, both_languages(Msg::fixed_at_most_60_states_per_domain));
      }
    }
    s.domains.push_back(std::move(d));
  }
  // Pass 2: everything else.
  for (std::size_t k = 0; k < ctx.sections.domains.size(); ++k) {
    auto& [id, n] = ctx.sections.domains[k];
    Domain& d = s.domains[k];
    if (!n.is_map()) continue;
    d.transitions.resize(d.states.size());
    YNode applies = n["applies_to"];
    if (applies.defined() && r.map(applies, {"role", "age"})) {
      if (applies["role"].defined())
        if (auto v = r.choice<Role>(applies["role"])) d.role = *v;
      YNode age = applies["age"];
      if (age.defined())
        if (auto range = age_range(r, age)) {
          d.min_age = range->first;
          d.max_age = range->second;
        }
    }
    if (n["entry"].defined()) d.entry = state_distribution(ctx, n["entry"], s, static_cast<int>(k), false);
    parse_transitions(ctx, n["transitions"], d);
    parse_links(ctx, n["links"], s, d);
  }
  // Pass 3: ageing rules, which need every domain's entry distribution.
  for (std::size_t k = 0; k < ctx.sections.domains.size(); ++k) {
    auto& [id, n] = ctx.sections.domains[k];
    if (n.is_map() && n["on_leaving"].defined()) parse_on_leaving(ctx, n["on_leaving"], s, static_cast<int>(k));
  }
}

/// {state: probability, ...} summing to 1; 'none' allowed when allow_none.
StateDistribution state_distribution(LoadContext& ctx, const YNode& n, const Scenario& s, int domain, bool allow_none) {
  Reader& r = ctx.reader;
  StateDistribution out;
  if (!n.is_map()) {
    r.error(n, both_languages(Msg::fixed_expected_a_map_from_state_to_probability));
    return out;
  }
  std::vector<std::string> names = s.domains[domain].states;
  if (allow_none) names.push_back("none");
  double sum = 0.0;
  for (auto& [state, p] : n.entries()) {
    YNode key = Reader::key_node(p);
    key.node = YAML::Node(state);
    auto idx = r.reference(key, names, "state");
    if (!idx) continue;
    auto v = r.number(p, detail::probability);
    if (!v) continue;
    out.states.push_back(*idx == static_cast<int>(s.domains[domain].states.size()) ? -1 : *idx);
    out.probabilities.push_back(*v);
    sum += *v;
  }
  if (!out.states.empty() && std::abs(sum - 1.0) > 1e-6) {
    char buf[32];
    std::snprintf(buf, sizeof buf, "%.6g", sum);
    r.error(n, both_languages(Msg::diag_probabilities_sum, {std::string(buf)}));
  }
  return out;
}

/// "domain.state" -> indices, with errors at `at`.
bool domain_state(LoadContext& ctx, const std::string& key, const YNode& value, const Scenario& s, int& dom, int& st) {
  Reader& r = ctx.reader;
  const YNode at = value.key_line ? Reader::key_node(value) : value;
  auto dot = key.find('.');
  if (dot == std::string::npos) {
    r.error(at, both_languages(Msg::diag_expected_domain_state, {key}));
    return false;
  }
  YNode dn{YAML::Node(key.substr(0, dot)), at.file, at.path, at.fallback_line, at.fallback_column};
  YNode sn{YAML::Node(key.substr(dot + 1)), at.file, at.path, at.fallback_line, at.fallback_column};
  if (auto m = at.node.Mark(); at.node.IsDefined() && m.line >= 0) {
    dn.fallback_line = sn.fallback_line = m.line + 1;
    dn.fallback_column = sn.fallback_column = m.column + 1;
  }
  auto d = r.reference(dn, ctx.domain_names, "domain");
  if (!d) return false;
  auto t = r.reference(sn, s.domains[*d].states, "state");
  if (!t) return false;
  dom = *d;
  st = *t;
  return true;
}

/// "from->to" within one domain.
bool transition_names(LoadContext& ctx, const YNode& n, const Domain& d, int& from, int& to) {
  Reader& r = ctx.reader;
  auto text = r.string(n);
  if (!text) return false;
  auto arrow = text->find("->");
  if (arrow == std::string::npos) {
    r.error(n, both_languages(Msg::diag_expected_from_to, {d.id}));
    return false;
  }
  YNode a = Reader::key_node(n), b = Reader::key_node(n);
  a.node = YAML::Node(text->substr(0, arrow));
  b.node = YAML::Node(text->substr(arrow + 2));
  auto f = r.reference(a, d.states, "state");
  auto t = r.reference(b, d.states, "state");
  if (!f || !t) return false;
  from = *f;
  to = *t;
  return true;
}

} // namespace socinvest::detail
