// One intervention of a variant: eligibility, uptake, capacity and intake, start and
// duration, its costs (staff, grants, measures) and its effects on transitions.
#include "scenario/load_context.hpp"

#include <socinvest/report/messages.hpp>

#include <limits>

namespace socinvest::detail {

namespace {

/// A map node whose keys are the union of layers; later layers (the child) win. Unknown
/// keys are checked on each layer, so marks point into the right file.
YNode overlay(LoadContext& ctx, const std::vector<YNode>& layers, const std::vector<std::string>& allowed, const std::string& path) {
  Reader& r = ctx.reader;
  YAML::Node merged(YAML::NodeType::Map);
  YNode out{merged, layers.back().file, path};
  auto mark = layers.back().node.Mark();
  out.fallback_line = mark.line >= 0 ? mark.line + 1 : layers.back().fallback_line;
  out.fallback_column = mark.line >= 0 ? mark.column + 1 : layers.back().fallback_column;
  for (const auto& layer : layers) {
    if (!r.map(layer, allowed)) continue;
    for (auto it = layer.node.begin(); it != layer.node.end(); ++it) merged[it->first.Scalar()] = it->second;
  }
  out.node = merged;
  return out;
}

/// eligible: a map of rules that must all hold; all_of and any_of nest.
EligibilityRule eligibility(LoadContext& ctx, const YNode& n, const Scenario& s) {
  Reader& r = ctx.reader;
  EligibilityRule rule;
  const std::vector<std::string> keys = {"all_of", "any_of", "departments_with_cases", "any_member", "has_children",
                                         "attribute"};
  if (!r.map(n, keys)) return rule;
  std::vector<EligibilityRule> parts;
  for (auto& [key, body] : n.entries()) {
    EligibilityRule part; // an unknown key (reported by map()) holds always
    if (key == "all_of" || key == "any_of") {
      std::vector<EligibilityRule> rules;
      if (r.seq(body))
        for (std::size_t i = 0; i < body.size(); ++i) rules.push_back(eligibility(ctx, body.at(i), s));
      if (key == "all_of") part.rule = EligibilityRule::AllOf{std::move(rules)};
      else part.rule = EligibilityRule::AnyOf{std::move(rules)};
    } else if (key == "departments_with_cases") {
      EligibilityRule::DepartmentsWithCases cases;
      if (r.map(body, {"at_least", "including"})) {
        if (body["at_least"].defined())
          if (auto v = r.integer(body["at_least"], 0, 100)) cases.at_least = static_cast<int>(*v);
        YNode inc = body["including"];
        if (inc.defined() && r.seq(inc))
          for (std::size_t i = 0; i < inc.size(); ++i)
            if (auto d = r.reference(inc.at(i), ctx.department_names, "department")) cases.including.push_back(*d);
      }
      part.rule = std::move(cases);
    } else if (key == "any_member") {
      EligibilityRule::AnyMember member;
      if (r.map(body, {"role", "state", "months_in_state", "attribute"})) {
        if (body["role"].defined())
          if (auto v = r.choice<Role>(body["role"])) member.role = *v;
        // attribute: {name: [categories]}: the member has one of them (persons' or households').
        if (body["attribute"].defined()) member.attribute = attribute_condition(ctx, body["attribute"], s);
        YNode st = body["state"];
        std::vector<YNode> items;
        if (st.is_seq())
          for (std::size_t i = 0; i < st.size(); ++i) items.push_back(st.at(i));
        else if (st.defined())
          items.push_back(st);
        else if (!body["attribute"].defined())
          r.error_at(body, st.path, both_languages(Msg::fixed_is_required_domain_state_or_a_list));
        for (auto& item : items) {
          auto text = r.string(item);
          int d = -1, t = -1;
          if (!text || !domain_state(ctx, *text, item, s, d, t)) continue;
          if (member.domain >= 0 && d != member.domain) r.error(item, both_languages(Msg::fixed_all_states_must_be_of_one_domain));
          member.domain = d;
          member.states.push_back(t);
        }
        YNode mis = body["months_in_state"];
        if (mis.defined() && !st.defined()) r.error(mis, both_languages(Msg::fixed_needs_a_state_the_months_in_which));
        else if (mis.defined()) {
          if (!mis.is_seq() || mis.size() != 2) r.error(mis, both_languages(Msg::fixed_expected_min_max_months_max_may_be));
          else {
            if (auto lo = r.integer(mis.at(0), 0, 100000)) member.min_months = static_cast<int>(*lo);
            if (mis.at(1).defined())
              if (auto hi = r.integer(mis.at(1), 0, 100000)) member.max_months = static_cast<int>(*hi);
          }
        }
      }
      part.rule = std::move(member);
    } else if (key == "has_children") {
      EligibilityRule::HasChildren children;
      if (auto b = r.boolean(body)) children.with_children = *b;
      part.rule = children;
    } else if (key == "attribute") {
      // A household attribute; a person attribute is asked of a member (any_member).
      EligibilityRule::HouseholdAttribute household;
      Attribute::Level level = Attribute::Level::household;
      if (auto c = attribute_condition(ctx, body, s, &level)) {
        household.condition = *c;
        if (level != Attribute::Level::household)
          r.error(Reader::key_node(body.entries().front().second),
                  "'" + body.entries().front().first + "' is a person attribute: ask it of a member, any_member: {attribute: {" +
                      body.entries().front().first + ": [...]}} (a household-level attribute: level: household)");
      }
      part.rule = household;
    }
    parts.push_back(std::move(part));
  }
  if (parts.size() == 1) return parts.front();
  rule.rule = EligibilityRule::AllOf{std::move(parts)};
  return rule;
}

/// One cost of an intervention: staff (fte x monthly cost), a grant (a total spread over the
/// intervention's months, possibly paying for departments' staff) or a measure (an amount per
/// household or person, at enrolment or monthly).
std::optional<InterventionCost> intervention_cost(LoadContext& ctx, const YNode& c, const Scenario& s) {
  Reader& r = ctx.reader;
  if (!r.map(c, {"department", "fte", "monthly_cost_per_fte", "total", "spread", "finances", "amount", "per",
                 "when", "expenditure_type", "note", "source", "price_year"}))
    return std::nullopt;
  InterventionCost ic;
  if (!c["department"].defined()) r.error_at(c, c["department"].path, both_languages(Msg::fixed_is_required));
  else if (auto d = r.reference(c["department"], ctx.department_names, "department")) ic.department = *d;
  if (c["note"].defined())
    if (auto t = r.text(c["note"])) ic.note = *t;
  if (c["expenditure_type"].defined())
    if (auto t = r.choice<ExpenditureType>(c["expenditure_type"])) ic.type = *t;
  int kinds = c["fte"].defined() + c["total"].defined() + c["amount"].defined();
  if (kinds != 1) {
    r.error(c, both_languages(Msg::fixed_give_exactly_one_of_fte_staff_with));
    return std::nullopt;
  }
  auto price = [&](Quantity q) {
    if (c["price_year"].defined())
      if (auto y = r.integer(c["price_year"], 1900, 2200))
        rescale(ctx, c["price_year"], q, static_cast<int>(*y), s.run.price_year);
    if (c["source"].defined())
      if (auto t = r.string(c["source"])) q.source = *t;
    return q;
  };
  if (c["fte"].defined()) {
    InterventionCost::Staff staff;
    staff.fte = r.quantity_or(c["fte"], 0.0, Range{0.0, 1e5, false, "a number of full-time staff from 0 to 100,000", true});
    if (!c["monthly_cost_per_fte"].defined()) r.error_at(c, c["monthly_cost_per_fte"].path, both_languages(Msg::fixed_is_required_with_fte));
    staff.monthly_cost_per_fte = price(r.quantity_or(c["monthly_cost_per_fte"], 0.0, detail::non_negative_amount));
    ic.kind = std::move(staff);
  } else if (c["total"].defined()) {
    InterventionCost::Grant grant;
    grant.total = price(r.quantity_or(c["total"], 0.0, detail::non_negative_amount));
    if (c["spread"].defined()) r.choice(c["spread"], {"even"});
    YNode fin = c["finances"];
    if (fin.defined() && r.seq(fin))
      for (std::size_t i = 0; i < fin.size(); ++i)
        if (auto d = r.reference(fin.at(i), ctx.department_names, "department")) grant.finances.push_back(*d);
    ic.kind = std::move(grant);
  } else {
    InterventionCost::Measure measure;
    measure.amount = price(r.quantity_or(c["amount"], 0.0, detail::amount));
    if (c["per"].defined())
      if (auto v = r.choice<InterventionCost::Per>(c["per"])) measure.per = *v;
    if (c["when"].defined())
      if (auto v = r.choice<InterventionCost::When>(c["when"])) measure.when = *v;
    ic.kind = std::move(measure);
  }
  return ic;
}

} // namespace

EffectHaircut effect_haircut(LoadContext& ctx, const YNode& n) {
  Reader& r = ctx.reader;
  EffectHaircut h;
  if (!r.map(n, {"share", "source"})) return h;
  if (!n["share"].defined()) {
    r.error(n, both_languages(Msg::fixed_needs_share_the_part_of_each_effect));
  } else if (auto v = r.number(n["share"], Range{0.0, 0.99, false, "a share from 0 to 0.99"})) {
    h.share = *v;
  }
  if (n["source"].defined())
    if (auto text = r.string(n["source"])) h.source = *text;
  return h;
}

Intervention load_intervention(LoadContext& ctx, const std::string& name, const std::vector<YNode>& layers,
                               const Scenario& s, const std::string& path) {
  Reader& r = ctx.reader;
  Intervention iv;
  iv.id = name;
  const std::vector<std::string> keys = {"eligible", "uptake", "capacity", "intake_per_month", "start",
                                         "duration_months", "stay_months", "costs", "effects", "effect_haircut",
                                         "description"};
  YNode n = overlay(ctx, layers, keys, path);
  if (n["eligible"].defined()) iv.eligible = eligibility(ctx, n["eligible"], s);
  iv.uptake = r.quantity_or(n["uptake"], 1.0, detail::probability);
  iv.uptake.path = path + ".uptake";
  iv.uptake.key = path_key(iv.uptake.path);
  iv.households_per_staff_pair = Quantity::fixed(0.0, path + ".capacity.households_per_staff_pair");
  iv.staff = Quantity::fixed(0.0, path + ".capacity.staff");
  iv.capacity_households = Quantity::fixed(0.0, path + ".capacity.households");
  for (Quantity* q : {&iv.households_per_staff_pair, &iv.staff, &iv.capacity_households}) q->range = detail::household_count;
  YNode cap = n["capacity"];
  if (cap.defined() && r.map(cap, {"households_per_staff_pair", "staff", "households"})) {
    if (cap["households"].defined() && (cap["staff"].defined() || cap["households_per_staff_pair"].defined()))
      r.error(cap, both_languages(Msg::fixed_give_households_or_households_per_staff_pair));
    if (cap["households"].defined()) {
      iv.capacity_households = r.quantity_or(cap["households"], 0.0, detail::household_count);
    } else {
      if (!cap["households_per_staff_pair"].defined() || !cap["staff"].defined())
        r.error(cap, both_languages(Msg::fixed_give_households_or_both_households_per_staff));
      iv.households_per_staff_pair = r.quantity_or(cap["households_per_staff_pair"], 0.0, detail::household_count);
      iv.staff = r.quantity_or(cap["staff"], 0.0, detail::household_count);
    }
  }
  // Absent: no limit. Given: households a month, above 0 (may be fractional).
  iv.intake_per_month = r.quantity_or(n["intake_per_month"], 0.0, detail::household_count);
  if (n["start"].defined()) {
    if (auto ym = r.year_month(n["start"])) {
      iv.start_month = YearMonth{ym->first, ym->second}.index() - s.run.start.index();
      check_start_within_run(ctx, n["start"], s, iv.start_month);
    }
  }
  if (n["duration_months"].defined())
    if (auto v = r.integer(n["duration_months"], 1, 1200)) iv.duration_months = static_cast<int>(*v);
  if (n["stay_months"].defined())
    if (auto v = r.integer(n["stay_months"], 1, 1200)) iv.stay_months = static_cast<int>(*v);
  YNode costs = n["costs"];
  if (costs.defined() && r.seq(costs))
    for (std::size_t i = 0; i < costs.size(); ++i) {
      YNode c = costs.at(i);
      if (auto ic = intervention_cost(ctx, c, s)) iv.costs.push_back(std::move(*ic));
    }
  if (n["effect_haircut"].defined()) iv.effect_haircut = effect_haircut(ctx, n["effect_haircut"]);
  if (n["effects"].defined()) load_effects(ctx, n["effects"], s, iv.effects);
  return iv;
}

} // namespace socinvest::detail
