// What a month costs and who pays: reimbursement (the state's share of a benefit by weeks on
// it), price_index (to move amounts between price years) and costs, per domain.state month
// and per transition (domain.from->domain.to), each line with its department.
#include "scenario/load_context.hpp"

#include <socinvest/report/messages.hpp>

#include "scenario/distribution_kinds.hpp"

#include <charconv>
#include <cmath>
#include <cstdio>
#include <algorithm>
#include <map>
#include <optional>

namespace socinvest::detail {

namespace {

/// `equalisation: {share, to, source}` of a tax line (scenarios/README.md § 11.1).
std::optional<Equalisation> equalisation(LoadContext& ctx, const YNode& n) {
  Reader& r = ctx.reader;
  if (!r.map(n, {"share", "to", "source"})) return std::nullopt;
  Equalisation e;
  if (!n["share"].defined()) r.error_at(n, n["share"].path, both_languages(Msg::fixed_is_required_the_share_of_the_tax));
  else if (auto v = r.number(n["share"], detail::probability)) e.share = *v;
  if (!n["to"].defined())
    r.error_at(n, n["to"].path, both_languages(Msg::fixed_is_required_the_department_that_carries_the));
  else if (auto d = r.reference(n["to"], ctx.department_names, "department")) e.to = *d;
  if (n["source"].defined())
    if (auto t = r.string(n["source"])) e.source = *t;
  return e;
}

/// `by_attribute: {attribute: {category: amount, ...}}` of a state cost line or of one of its
/// changes (scenarios/README.md § 11.1, a takst by area): one attribute (`attribute`, when
/// the line has chosen it already: the change must use the same), each listed category's
/// own amount (a quantity, in price year `year` like the line's), the others the line's
/// `amount`. The attribute's index, or -1 after an error; `out` gets one entry per category.
int category_amounts(LoadContext& ctx, const YNode& n, const Scenario& s, std::optional<int> year, int attribute,
                     std::vector<std::optional<Quantity>>& out) {
  Reader& r = ctx.reader;
  if (!n.is_map() || n.size() != 1) {
    r.error(n, both_languages(Msg::attr_amounts_one_attribute));
    return -1;
  }
  auto [name, amounts] = n.entries().front();
  YNode key = Reader::key_node(amounts);
  key.node = YAML::Node(name);
  auto a = r.reference(key, ctx.attribute_names, "attribute");
  if (!a) return -1;
  if (attribute >= 0 && *a != attribute) {
    r.error(key, both_languages(Msg::attr_change_other_attribute, {name, s.attributes[static_cast<std::size_t>(attribute)].id}));
    return -1;
  }
  const Attribute& attr = s.attributes[static_cast<std::size_t>(*a)];
  out.assign(attr.categories.size(), std::nullopt);
  if (!amounts.is_map()) {
    r.error(amounts, both_languages(Msg::attr_amounts_map_expected,
                                    {name, join(attr.categories),
                                     attr.categories.empty() ? std::string("category") : attr.categories.front()}));
    return -1;
  }
  bool ok = true;
  const Bilingual what = both_languages(Msg::attr_category_of, {name});
  for (auto& [category, value] : amounts.entries()) {
    YNode at = Reader::key_node(value);
    at.node = YAML::Node(category);
    auto k = r.reference(at, attr.categories, what);
    if (!k) {
      ok = false;
      continue;
    }
    auto q = r.quantity(value, detail::amount);
    if (!q) {
      ok = false;
      continue;
    }
    if (year) rescale(ctx, value, *q, *year, s.run.price_year);
    out[static_cast<std::size_t>(*k)] = std::move(*q);
  }
  return ok ? *a : -1;
}

/// `changes: [{from: YYYY-MM, amount, price_year, source, note}, ...]` of a state cost line
/// (scenarios/README.md § 11.1): strictly increasing months, each amount moved to the run's
/// price year like the line's own (its own price_year, else the line's, else the run's).
std::vector<RateChange> rate_changes(LoadContext& ctx, const YNode& n, const Scenario& s, std::optional<int> line_year,
                                     int attribute) {
  Reader& r = ctx.reader;
  std::vector<RateChange> out;
  if (!n.is_seq()) {
    r.error(n, both_languages(Msg::fixed_expected_a_list_of_changes_each_from));
    return out;
  }
  for (std::size_t i = 0; i < n.size(); ++i) {
    const YNode c = n.at(i);
    if (!r.map(c, {"from", "amount", "by_attribute", "price_year", "source", "note"})) continue;
    RateChange change;
    bool ok = true;
    if (!c["from"].defined()) {
      r.error_at(c, c["from"].path, both_languages(Msg::fixed_is_required_the_first_calendar_month_of));
      ok = false;
    } else if (auto ym = r.year_month(c["from"])) {
      change.from = {ym->first, ym->second};
      change.from_month = change.from.index() - s.run.start.index();
      if (!out.empty() && change.from.index() <= out.back().from.index()) {
        r.error(c["from"], both_languages(Msg::cost_changes_not_increasing, {change.from.text(), out.back().from.text()}));
        ok = false;
      }
    } else {
      ok = false;
    }
    if (!c["amount"].defined()) {
      r.error_at(c, c["amount"].path, both_languages(Msg::fixed_is_required_kr_per_person_month_from));
      ok = false;
    } else if (auto q = r.quantity(c["amount"], detail::amount)) {
      change.amount = *q;
    } else {
      ok = false;
    }
    if (c["source"].defined())
      if (auto t = r.string(c["source"])) change.amount.source = *t;
    if (c["note"].defined())
      if (auto t = r.text(c["note"])) change.note = *t;
    std::optional<int> year = line_year;
    if (c["price_year"].defined()) {
      if (auto y = r.integer(c["price_year"], 1900, 2200)) year = static_cast<int>(*y);
      else ok = false;
    }
    if (!ok) continue;
    if (year) {
      const YNode at = c["price_year"].defined() ? c["price_year"] : c["amount"];
      rescale(ctx, at, change.amount, *year, s.run.price_year);
    }
    // A change replaces every amount of the line, so a line by attribute needs the change's
    // own by category (an empty map: the change's amount for all of them).
    if (c["by_attribute"].defined()) {
      if (attribute < 0)
        r.error(c["by_attribute"], both_languages(Msg::attr_change_without_line_attribute));
      else if (c["by_attribute"].is_map() && c["by_attribute"].size() == 1 && c["by_attribute"].entries().front().second.is_map() &&
               c["by_attribute"].entries().front().second.size() == 0)
        change.category_amounts.assign(s.attributes[static_cast<std::size_t>(attribute)].categories.size(), std::nullopt);
      else if (category_amounts(ctx, c["by_attribute"], s, year, attribute, change.category_amounts) < 0)
        continue;
    } else if (attribute >= 0) {
      const std::string& id = s.attributes[static_cast<std::size_t>(attribute)].id;
      r.error_at(c, c["by_attribute"].path, both_languages(Msg::attr_change_by_attribute_required, {id}));
      continue;
    }
    out.push_back(std::move(change));
  }
  return out;
}

/// `facility: {places, step, months_empty, source}` of a state cost line (scenarios/README.md
/// § 11.1): all three numbers are required whole numbers, since a facility has no fraction
/// of a place to close, and a step cannot be larger than the facility.
std::optional<Facility> facility(LoadContext& ctx, const YNode& n) {
  Reader& r = ctx.reader;
  if (!r.map(n, {"places", "step", "months_empty", "source"})) return std::nullopt;
  Facility f;
  bool complete = true;
  auto whole = [&](const char* key, long long max, Msg meaning, int& out) {
    const YNode at = n[key];
    if (!at.defined()) {
      r.error_at(n, at.path, both_languages(meaning));
      complete = false;
    } else if (auto v = r.integer(at, 1, max)) {
      out = static_cast<int>(*v);
    } else {
      complete = false;
    }
  };
  whole("places", 1000000, Msg::cost_facility_places_required, f.places);
  whole("step", 1000000, Msg::cost_facility_step_required, f.step);
  whole("months_empty", 1200, Msg::cost_facility_months_empty_required, f.months_empty);
  if (complete && f.step > f.places)
    r.error(n["step"], both_languages(Msg::cost_facility_step_above_places, {std::to_string(f.step), std::to_string(f.places)}));
  if (n["source"].defined())
    if (auto t = r.string(n["source"])) f.source = *t;
  return f;
}

/// One cost line or a list of them, each with its department, amount (in its price year),
/// reimbursement rule, expenditure type, neutralised share, equalisation, note and source.
/// `domain` and `state` are the cost's (-1 for a transition cost, which is charged per move).
std::vector<CostLine> cost_lines(LoadContext& ctx, const YNode& n, const Scenario& s, int domain = -1, int state = -1) {
  Reader& r = ctx.reader;
  std::vector<CostLine> lines;
  std::vector<YNode> items;
  if (n.is_map()) items.push_back(n);
  else if (r.seq(n))
    for (std::size_t i = 0; i < n.size(); ++i) items.push_back(n.at(i));
  for (const auto& item : items) {
    if (!r.map(item, {"department", "amount", "reimbursement", "expenditure_type", "neutralised_share", "equalisation",
                      "cashable_share", "facility", "price_year", "changes", "by_attribute", "note", "source"}))
      continue;
    CostLine line;
    if (!item["department"].defined()) r.error_at(item, item["department"].path, both_languages(Msg::fixed_is_required));
    else if (auto d = r.reference(item["department"], ctx.department_names, "department")) line.department = *d;
    if (!item["amount"].defined()) r.error_at(item, item["amount"].path, both_languages(Msg::fixed_is_required_kr_per_person_month_negative));
    else if (auto q = r.quantity(item["amount"], detail::amount)) line.amount = *q;
    if (item["reimbursement"].defined())
      if (auto rr = r.reference(item["reimbursement"], ctx.reimbursement_names, "reimbursement rule")) {
        line.reimbursement = *rr;
        const ReimbursementRule& rule = s.reimbursements[static_cast<std::size_t>(*rr)];
        if (rule.clocked() && domain >= 0 && (domain != rule.clock.domain || !rule.clock.counts(state))) {
          r.error(item["reimbursement"],
                  both_languages(Msg::cost_state_not_on_clock, {rule.id, clock_support_states(s, rule.clock, false)}));
        }
      }
    // Refusion covers only income transfers, so a reimbursed line is a transfer unless it says.
    if (item["reimbursement"].defined()) line.type = ExpenditureType::transfer;
    if (item["expenditure_type"].defined())
      if (auto t = r.choice<ExpenditureType>(item["expenditure_type"])) line.type = *t;
    if (item["neutralised_share"].defined()) {
      const YNode at = item["neutralised_share"];
      if (auto v = r.number(at, detail::probability)) line.neutralised_share = *v;
      if (line.type != ExpenditureType::transfer)
        r.error(at, both_languages(Msg::cost_neutralised_not_transfer, {std::string(name_of(line.type))}));
      line.neutralised_to = s.department_index("state");
      if (line.neutralised_share > 0.0 && line.neutralised_to < 0)
        r.error(at, both_languages(Msg::fixed_needs_a_department_called_state_the_neutralised));
    }
    if (item["equalisation"].defined()) {
      const YNode at = item["equalisation"];
      line.equalisation = equalisation(ctx, at);
      if (line.type != ExpenditureType::tax)
        r.error(at, both_languages(Msg::cost_equalised_not_tax, {std::string(name_of(line.type))}));
      if (line.reimbursement >= 0) r.error(at, both_languages(Msg::fixed_a_tax_line_cannot_also_have_a));
    }
    if (item["cashable_share"].defined()) {
      const YNode at = item["cashable_share"];
      if (auto v = r.number(at, detail::probability)) line.cashable_share = *v;
      if (domain < 0)
        r.error(at, both_languages(Msg::fixed_only_a_state_cost_per_person_month));
      else if (line.type != ExpenditureType::service && line.type != ExpenditureType::capital)
        r.error(at, both_languages(Msg::cost_cashable_not_service, {std::string(name_of(line.type))}));
    }
    if (item["facility"].defined()) {
      const YNode at = item["facility"];
      line.facility = facility(ctx, at);
      if (domain < 0)
        r.error(at, both_languages(Msg::fixed_only_a_state_cost_per_person_month_2));
      else if (line.type != ExpenditureType::service && line.type != ExpenditureType::capital)
        r.error(at, both_languages(Msg::cost_facility_not_service, {std::string(name_of(line.type))}));
      // Both say what of the line the budget cashes when a person leaves: one rule per line.
      if (item["cashable_share"].defined())
        r.error(at, both_languages(Msg::fixed_a_facility_line_is_cashed_in_whole));
      if (item["amount"].defined() && line.amount.dist.mean() <= 0.0)
        r.error(item["amount"], both_languages(Msg::fixed_a_facility_line_s_amount_is_the));
    }
    if (item["note"].defined())
      if (auto t = r.text(item["note"])) line.note = *t;
    if (item["source"].defined())
      if (auto t = r.string(item["source"])) line.amount.source = *t;
    std::optional<int> line_year;
    if (item["price_year"].defined()) {
      if (auto y = r.integer(item["price_year"], 1900, 2200)) {
        line_year = static_cast<int>(*y);
        rescale(ctx, item["price_year"], line.amount, *line_year, s.run.price_year);
      }
    }
    // A state cost's amount per person-month, or a transition cost's per move, by the
    // person's category (a takst by area; scenarios/README.md § 11.1).
    if (item["by_attribute"].defined()) {
      const YNode at = item["by_attribute"];
      if (line.facility)
        r.error(at, both_languages(Msg::attr_facility_by_attribute));
      else
        line.by_attribute = category_amounts(ctx, at, s, line_year, -1, line.category_amounts);
    }
    if (item["changes"].defined()) {
      if (domain < 0)
        r.error(item["changes"], both_languages(Msg::fixed_only_a_state_cost_per_person_month_3));
      else line.changes = rate_changes(ctx, item["changes"], s, line_year, line.by_attribute);
      // A facility's new rate is still the cost of one place a month.
      if (line.facility)
        for (std::size_t i = 0; i < line.changes.size() && i < item["changes"].size(); ++i)
          if (line.changes[i].amount.dist.mean() <= 0.0)
            r.error(item["changes"].at(i)["amount"], both_languages(Msg::fixed_a_facility_line_s_amount_is_the));
    }
    lines.push_back(std::move(line));
  }
  return lines;
}

} // namespace

void load_reimbursement(LoadContext& ctx, Scenario& s) {
  Reader& r = ctx.reader;
  for (auto& [id, n] : ctx.sections.reimbursement) {
    if (!r.map(n, {"weeks", "state_share", "to", "clock", "legacy_state_share", "source"})) continue;
    ReimbursementRule rule;
    rule.id = id;
    YNode weeks = n["weeks"], shares = n["state_share"];
    if (!weeks.defined()) r.error_at(n, weeks.path, both_languages(Msg::fixed_is_required_the_week_boundaries_of_the));
    if (!shares.defined()) r.error_at(n, shares.path, both_languages(Msg::fixed_is_required_the_state_s_share_on));
    if (weeks.defined() && r.seq(weeks)) {
      for (std::size_t i = 0; i < weeks.size(); ++i)
        if (auto w = r.number(weeks.at(i), Range{0, 1e4, true, "a number of weeks above 0"})) {
          if (!rule.weeks.empty() && *w <= rule.weeks.back())
            r.error(weeks.at(i), both_languages(Msg::fixed_week_boundaries_must_increase));
          rule.weeks.push_back(*w);
        }
    }
    if (shares.defined() && r.seq(shares)) {
      for (std::size_t i = 0; i < shares.size(); ++i)
        if (auto v = r.number(shares.at(i), detail::probability)) rule.state_share.push_back(*v);
      if (rule.state_share.size() != rule.weeks.size() + 1 && weeks.defined())
        r.error(shares, both_languages(Msg::cost_staircase_shares_count,
                                       {std::to_string(rule.weeks.size() + 1), std::to_string(rule.state_share.size())}));
    }
    YNode to = n["to"];
    if (to.defined()) {
      if (auto d = r.reference(to, ctx.department_names, "department")) rule.to_department = *d;
    } else {
      rule.to_department = s.department_index("state");
      if (rule.to_department < 0)
        r.error_at(n, to.path, both_languages(Msg::fixed_is_required_when_no_department_is_called));
    }
    if (n["clock"].defined() || n["legacy_state_share"].defined())
      ctx.reimbursement_clocks.emplace_back(static_cast<int>(s.reimbursements.size()), n);
    s.reimbursements.push_back(rule);
    ctx.reimbursement_names.push_back(id);
  }
}

namespace {

/// A list of domain.state names, all in one domain (`domain`, -1 until the first is read).
std::vector<int> clock_states(LoadContext& ctx, const YNode& list, const Scenario& s, int& domain) {
  Reader& r = ctx.reader;
  std::vector<int> states;
  if (!r.seq(list)) return states;
  for (std::size_t i = 0; i < list.size(); ++i) {
    const YNode item = list.at(i);
    auto name = r.string(item);
    if (!name) continue;
    int d = -1, st = -1;
    if (!domain_state(ctx, *name, item, s, d, st)) continue;
    if (domain >= 0 && d != domain) {
      r.error(item, both_languages(Msg::cost_clock_one_domain, {s.domains[domain].id, *name}));
      continue;
    }
    domain = d;
    states.push_back(st);
  }
  return states;
}

std::string weeks_text(double w) {
  char buf[32];
  std::snprintf(buf, sizeof buf, "%g", w);
  return buf;
}

} // namespace

std::string clock_support_states(const Scenario& s, const ReimbursementRule::Clock& clock, bool legacy) {
  std::vector<std::string> names;
  const Domain& d = s.domains[static_cast<std::size_t>(clock.domain)];
  for (std::size_t st = 0; st < d.states.size(); ++st)
    if (legacy ? clock.has_legacy(static_cast<int>(st)) : clock.counts(static_cast<int>(st)))
      names.push_back(d.id + "." + d.states[st]);
  return names.empty() ? std::string("none") : join(names);
}

void load_reimbursement_clocks(LoadContext& ctx, Scenario& s) {
  Reader& r = ctx.reader;
  int clocked = -1; // the rule that has a clock already
  for (auto& [index, n] : ctx.reimbursement_clocks) {
    ReimbursementRule& rule = s.reimbursements[static_cast<std::size_t>(index)];
    ReimbursementRule::Clock& clock = rule.clock;
    const YNode c = n["clock"];
    using Kind = ReimbursementRule::Clock::Kind;
    if (c.defined() && r.map(c, {"support", "self_support", "reset", "source"})) {
      if (clocked >= 0) {
        r.error(c, both_languages(Msg::cost_clock_only_one_rule, {s.reimbursements[static_cast<std::size_t>(clocked)].id}));
        continue;
      }
      int domain = -1;
      if (!c["support"].defined()) {
        r.error_at(c, c["support"].path, both_languages(Msg::fixed_is_required_the_states_that_count_as));
        continue;
      }
      const std::vector<int> support = clock_states(ctx, c["support"], s, domain);
      std::vector<int> self;
      if (c["self_support"].defined()) self = clock_states(ctx, c["self_support"], s, domain);
      if (domain < 0) continue;
      clock.domain = domain;
      clock.kind.assign(s.domains[static_cast<std::size_t>(domain)].states.size(), Kind::neither);
      clock.legacy_share.assign(clock.kind.size(), -1.0);
      for (int st : support) clock.kind[static_cast<std::size_t>(st)] = Kind::support;
      for (std::size_t i = 0; i < self.size(); ++i) {
        if (clock.kind[static_cast<std::size_t>(self[i])] == Kind::support)
          r.error(c["self_support"].at(i),
                  both_languages(Msg::cost_clock_support_and_self_support,
                                 {s.domains[static_cast<std::size_t>(domain)].states[static_cast<std::size_t>(self[i])]}));
        else clock.kind[static_cast<std::size_t>(self[i])] = Kind::self_support;
      }
      const YNode reset = c["reset"];
      if (reset.defined() && r.map(reset, {"self_support_weeks", "within_weeks"})) {
        // The bitmask of the last months holds 64; 260 weeks (5 years) is well inside it.
        if (reset["within_weeks"].defined())
          if (auto w = r.number(reset["within_weeks"], Range{0, 260, true, "a number of weeks above 0 and at most 260 (5 years)"}))
            clock.window_weeks = *w;
        if (reset["self_support_weeks"].defined())
          if (auto w = r.number(reset["self_support_weeks"], Range{0, 260, true, "a number of weeks above 0 and at most 260"}))
            clock.reset_weeks = *w;
        if (clock.reset_weeks > clock.window_weeks)
          r.error(reset, both_languages(Msg::cost_clock_reset_above_window,
                                        {weeks_text(clock.reset_weeks), weeks_text(clock.window_weeks)}));
      }
      // Months of 52/12 weeks: the reset needs at least that many whole months (ceil), the
      // window is the nearest whole number of months.
      constexpr double weeks_per_month = 52.0 / 12.0;
      clock.reset_months = std::max(1, static_cast<int>(std::ceil(clock.reset_weeks / weeks_per_month - 1e-9)));
      clock.window_months = std::max(clock.reset_months, static_cast<int>(std::lround(clock.window_weeks / weeks_per_month)));
      clocked = index;
    }
    const YNode legacy = n["legacy_state_share"];
    if (!legacy.defined()) continue;
    if (!rule.clocked()) {
      if (!c.defined())
        r.error(legacy, both_languages(Msg::fixed_needs_a_clock_on_the_same_rule));
      continue;
    }
    if (!legacy.is_map()) {
      r.error(legacy, both_languages(Msg::fixed_expected_a_map_from_domain_state_a));
      continue;
    }
    for (auto& [key, value] : legacy.entries()) {
      int d = -1, st = -1;
      if (!domain_state(ctx, key, value, s, d, st)) continue;
      if (d != clock.domain || !clock.counts(st)) {
        r.error(Reader::key_node(value),
                both_languages(Msg::cost_legacy_not_support_state, {key, clock_support_states(s, clock, false)}));
        continue;
      }
      if (auto v = r.number(value, detail::probability)) clock.legacy_share[static_cast<std::size_t>(st)] = *v;
    }
  }
}

void load_price_index(LoadContext& ctx) {
  Reader& r = ctx.reader;
  for (auto& [year, n] : ctx.sections.price_index) {
    int y = 0;
    auto [ptr, ec] = std::from_chars(year.data(), year.data() + year.size(), y);
    if (ec != std::errc() || ptr != year.data() + year.size() || y < 1900 || y > 2200) {
      r.error(n, both_languages(Msg::fixed_price_index_keys_must_be_years_e));
      continue;
    }
    if (auto v = r.number(n, detail::positive)) ctx.price_index[y] = *v;
  }
}

/// Moves an amount from its own price year to the scenario's, by the price index.
void rescale(LoadContext& ctx, const YNode& at, Quantity& q, int from_year, int to_year) {
  Reader& r = ctx.reader;
  if (from_year == to_year) return;
  Distribution& d = q.dist;
  auto a = ctx.price_index.find(from_year), b = ctx.price_index.find(to_year);
  if (a == ctx.price_index.end() || b == ctx.price_index.end()) {
    r.error(at, both_languages(Msg::cost_price_index_missing_year,
                               {std::to_string(a == ctx.price_index.end() ? from_year : to_year), std::to_string(from_year),
                                std::to_string(to_year)}));
    return;
  }
  double f = b->second / a->second;
  if (!detail::rules_of(d.kind).rescale(d, f))
    r.error(at, both_languages(Msg::cost_distribution_not_indexable, {std::string(distribution_kind_name(d.kind))}));
  q.given_price_year = from_year;
  q.price_factor = f;
}

void load_costs(LoadContext& ctx, Scenario& s) {
  Reader& r = ctx.reader;
  for (auto& [key, n] : ctx.sections.state_costs) {
    int dom = -1, st = -1;
    if (!domain_state(ctx, key, n, s, dom, st)) continue;
    StateCost cost{dom, st, cost_lines(ctx, n, s, dom, st)};
    // The state's occupancy is counted per category of one attribute (Layout::split_attribute).
    int attribute = -1;
    for (std::size_t l = 0; l < cost.lines.size(); ++l) {
      const int a = cost.lines[l].by_attribute;
      if (a < 0) continue;
      if (attribute >= 0 && a != attribute)
        r.error(n, both_languages(Msg::attr_state_two_attributes, {key, s.attributes[static_cast<std::size_t>(attribute)].id,
                                                                  s.attributes[static_cast<std::size_t>(a)].id}));
      attribute = a;
    }
    s.state_costs.push_back(std::move(cost));
  }
  std::map<int, std::pair<int, std::string>> move_attribute; // domain -> (attribute, first key that chose it)
  for (auto& [key, n] : ctx.sections.transition_costs) {
    auto arrow = key.find("->");
    if (arrow == std::string::npos) {
      r.error(n, both_languages(Msg::diag_expected_transition_key, {key}));
      continue;
    }
    int d1 = -1, s1 = -1, d2 = -1, s2 = -1;
    if (!domain_state(ctx, key.substr(0, arrow), n, s, d1, s1) || !domain_state(ctx, key.substr(arrow + 2), n, s, d2, s2)) continue;
    if (d1 != d2) {
      r.error(n, both_languages(Msg::cost_transition_two_domains, {s.domains[d1].id, s.domains[d2].id}));
      continue;
    }
    TransitionCost cost{d1, s1, s2, cost_lines(ctx, n, s)};
    // The domain's moves are counted per category of one attribute (Layout::move_attribute),
    // so every transition cost of a domain that varies by attribute varies by the same one.
    for (const CostLine& line : cost.lines) {
      const int a = line.by_attribute;
      if (a < 0) continue;
      const auto& prior = move_attribute.find(d1);
      if (prior != move_attribute.end() && prior->second.first != a)
        r.error(n, both_languages(Msg::attr_domain_two_attributes,
                                  {s.domains[static_cast<std::size_t>(d1)].id,
                                   s.attributes[static_cast<std::size_t>(prior->second.first)].id, prior->second.second,
                                   s.attributes[static_cast<std::size_t>(a)].id}));
      else if (prior == move_attribute.end())
        move_attribute.emplace(d1, std::make_pair(a, key));
    }
    s.transition_costs.push_back(std::move(cost));
  }
}

} // namespace socinvest::detail
