// An intervention's effects. Each effect is parsed here, once, whether it is written in the
// intervention's list or taken from the scenario's effect library: the top-level `effects:`
// section of a file (the catalogue's catalogue/effects-*.yaml, included), referred to by
// `{from_library: NAME, with: {domains: {...}, states: {...}, indicators: {...}}}`.
//
// A library entry is read as if its effects stood in the list at the reference: they take
// the key paths of those places (effects[k], k counting the effects the list expands to),
// so their draws, and so the results, are those of the same effects written inline. Its
// problems are reported at the reference, naming the entry and where it is written.
#include "scenario/load_context.hpp"
#include <socinvest/report/messages.hpp>

#include <limits>

namespace socinvest::detail {

namespace {

/// `with:` of a library reference: the library's names of domains, states and indicators
/// mapped to the scenario's; what the entry looked up, to refuse a mapping it never uses.
struct Renames {
  struct Kind {
    std::map<std::string, std::string> to; ///< library name -> scenario name
    std::set<std::string> named;           ///< every name the entry used
    std::string operator()(const std::string& name) {
      named.insert(name);
      auto it = to.find(name);
      return it == to.end() ? name : it->second;
    }
  };
  Kind domains, states, indicators;
};

/// `evidence: {grade: ..., source: "..."}` of effect `e`; without it the effect is an
/// expert guess, noted for `validate`.
void evidence(LoadContext& ctx, const YNode& e, Effect& ef) {
  Reader& r = ctx.reader;
  YNode ev = e["evidence"];
  const Bilingual grades = both_languages(Msg::effect_grade_list);
  if (!ev.defined()) {
    ctx.ungraded.add(r.located(e, e.path + ".evidence",
                               both_languages(Msg::effect_no_grade, {grades})));
    return;
  }
  if (!r.map(ev, {"grade", "source"})) return;
  YNode g = ev["grade"];
  if (!g.defined()) {
    r.error_at(ev, g.path, both_languages(Msg::effect_grade_required, {grades}));
  } else if (auto grade = r.choice<EvidenceGrade>(g)) {
    ef.grade = *grade;
  }
  if (ev["source"].defined()) {
    if (auto text = r.string(ev["source"])) ef.evidence_source = *text;
  } else if (ef.grade != EvidenceGrade::expert_guess) {
    r.error_at(ev, ev["source"].path, both_languages(Msg::fixed_is_required_for_a_grade_other_than));
  }
}

/// `text` at the place of `at` (a name rewritten by `with:` is reported where it was written).
YNode renamed_at(const YNode& at, const std::string& text) {
  YNode n = Reader::key_node(at);
  n.node = YAML::Node(text);
  return n;
}

/// One effect: `transition` with `hazard_ratio` or `risk_difference`, or a net success rate
/// (`on`, `difference`, `via`). `names`: a library entry's renames (none inline); `where`:
/// the place a success rate's solve reports (empty: the effect's own).
std::optional<Effect> read_effect(LoadContext& ctx, const YNode& e, const Scenario& s, Renames* names,
                                  const std::string& where) {
  Reader& r = ctx.reader;
  // from_library and with are known keys, so that a misspelt one gets its did-you-mean; a
  // reference never comes here (load_effects), so they stand in an effect written out.
  if (!r.map(e, {"transition", "hazard_ratio", "risk_difference", "on", "difference", "via", "ramp_up_months",
                 "decay_half_life_months", "source", "evidence", "from_library", "with"}))
    return std::nullopt;
  if (e["with"].defined())
    r.error(e["with"], both_languages(Msg::effect_with_without_library));
  Effect ef;
  // 'domain.from->to' at `tr` into (domain, from, to); false when it names none.
  auto move_at = [&](const YNode& tr, int& domain, int& from, int& to, const char* what) {
    auto text = r.string(tr);
    if (!text) return false;
    auto dot = text->find('.');
    if (dot == std::string::npos) {
      r.error(tr, both_languages(Msg::fixed_expected_domain_from_to_e_g_employment));
      return false;
    }
    std::string domain_name = text->substr(0, dot), move = text->substr(dot + 1);
    if (names) {
      domain_name = names->domains(domain_name);
      if (auto arrow = move.find("->"); arrow != std::string::npos)
        move = names->states(move.substr(0, arrow)) + "->" + names->states(move.substr(arrow + 2));
    }
    auto d = r.reference(renamed_at(tr, domain_name), ctx.domain_names, "domain");
    if (!d) return false;
    domain = *d;
    if (!transition_names(ctx, renamed_at(tr, move), s.domains[*d], from, to)) return false;
    if (from == to) {
      r.error(tr, both_languages(Msg::fixed_an_effect_needs_two_different_states));
      return false;
    }
    if (what) require_route(ctx, tr, s.domains[*d], from, to, what);
    return true;
  };
  const bool success = e["on"].defined() || e["difference"].defined() || e["via"].defined();
  if (success) {
    // A net success rate: on: {indicator, at_month}, difference: quantity, via: transitions.
    for (const char* k : {"transition", "hazard_ratio", "risk_difference"})
      if (e[k].defined())
        r.error(e[k], both_languages(Msg::fixed_a_success_rate_effect_on_difference_via));
    SuccessRate sr;
    sr.name = e.path;
    if (where.empty()) {
      const Diagnostic here = r.located(e, e.path, "");
      sr.where = here.file + ":" + std::to_string(here.line) + ":" + std::to_string(here.column);
    } else {
      sr.where = where;
    }
    YNode on = e["on"];
    if (!on.defined()) r.error_at(e, on.path, both_languages(Msg::fixed_is_required_indicator_id_at_month_m));
    else if (r.map(on, {"indicator", "at_month"})) {
      YNode ind = on["indicator"];
      if (!ind.defined()) r.error_at(on, ind.path, both_languages(Msg::fixed_is_required_one_of_the_scenario_s));
      else if (names && ind.is_scalar()) {
        if (auto i = r.reference(renamed_at(ind, names->indicators(ind.scalar())), ctx.indicator_names, "indicator"))
          sr.indicator = *i;
      } else if (auto i = r.reference(ind, ctx.indicator_names, "indicator")) {
        sr.indicator = *i;
      }
      const int H = s.run.horizon_months();
      if (!on["at_month"].defined())
        r.error_at(on, on["at_month"].path, both_languages(Msg::fixed_is_required_the_project_year_end_the));
      else if (auto m = r.integer(on["at_month"], 12, std::max(12, H))) {
        if (*m % 12 != 0 || *m > H)
          r.error(on["at_month"], both_languages(Msg::effect_at_month_not_year_end, {std::to_string(H)}));
        else sr.at_month = static_cast<int>(*m);
      }
    }
    if (!e["difference"].defined())
      r.error_at(e, e["difference"].path, both_languages(Msg::fixed_is_required_the_difference_in_the_indicator));
    else ef.value = r.quantity_or(e["difference"], 0.0, Range{-1, 1, false, "a difference in a share from -1 to 1"});
    YNode via = e["via"];
    if (!via.defined()) {
      r.error_at(e, via.path, both_languages(Msg::fixed_is_required_the_transition_s_whose_hazard));
    } else {
      auto add = [&](const YNode& tr) {
        SuccessRate::Move mv;
        if (move_at(tr, mv.domain, mv.from, mv.to, "a hazard ratio")) sr.via.push_back(mv);
      };
      if (via.node.IsSequence()) {
        if (via.size() == 0) r.error(via, both_languages(Msg::fixed_needs_at_least_one_transition_domain_from));
        for (std::size_t k = 0; k < via.size(); ++k) add(via.at(k));
      } else {
        add(via);
      }
    }
    if (!sr.via.empty()) {
      ef.domain = sr.via.front().domain;
      ef.from = sr.via.front().from;
      ef.to = sr.via.front().to;
    }
    ef.success_rate = std::move(sr);
  } else {
    YNode tr = e["transition"];
    if (!tr.defined()) r.error_at(e, tr.path, both_languages(Msg::fixed_is_required_domain_from_to_or_on));
    else move_at(tr, ef.domain, ef.from, ef.to, e["hazard_ratio"].defined() ? "a hazard ratio" : nullptr);
    bool hr = e["hazard_ratio"].defined(), rd = e["risk_difference"].defined();
    if (hr == rd) r.error(e, both_languages(Msg::fixed_give_exactly_one_of_hazard_ratio_or));
    else if (hr) ef.value = r.quantity_or(e["hazard_ratio"], 1.0, detail::positive);
    else {
      ef.is_hazard_ratio = false;
      ef.value = r.quantity_or(e["risk_difference"], 0.0, Range{-1, 1, false, "a difference in monthly probability from -1 to 1"});
    }
  }
  if (e["ramp_up_months"].defined())
    if (auto v = r.integer(e["ramp_up_months"], 0, 600)) ef.ramp_up_months = static_cast<int>(*v);
  if (e["decay_half_life_months"].defined()) {
    YNode dh = e["decay_half_life_months"];
    if (dh.scalar() == "never") ef.decay_half_life_months = std::numeric_limits<double>::infinity();
    else if (auto v = r.number(dh, Range{0, 1e6, true, "months above 0, or never"})) ef.decay_half_life_months = *v;
  }
  evidence(ctx, e, ef);
  return ef;
}

std::string place(const Diagnostic& d) {
  return d.file + ":" + std::to_string(d.line) + ":" + std::to_string(d.column);
}

/// Moves the messages from index `from` on to the place `at` (a library reference), saying
/// which entry, and where in it, they were found; a problem with a name (a transition, a
/// `via`, an indicator) also says how to map the library's names to the scenario's.
void relocate(Diagnostics& diagnostics, std::size_t from, const Diagnostic& at, const std::string& entry) {
  if (diagnostics.size() <= from) return;
  Diagnostics moved;
  const auto& items = diagnostics.items();
  for (std::size_t i = 0; i < items.size(); ++i) {
    Diagnostic d = items[i];
    if (i >= from) {
      const bool name = d.key_path.find(".transition") != std::string::npos ||
                        d.key_path.find(".via") != std::string::npos ||
                        d.key_path.find(".on.indicator") != std::string::npos;
      // Both languages: the message as found, then where in the library it was.
      d.set_message(Bilingual(d.message, d.message_in(Language::da)) +
                    both_languages(Msg::effect_in_library_entry,
                                   {entry, place(d), name ? both_languages(Msg::effect_library_names_hint) : Bilingual()}));
      d.file = at.file;
      d.line = at.line;
      d.column = at.column;
    }
    moved.add(std::move(d));
  }
  diagnostics = std::move(moved);
}

/// `with:` of a reference, into `names`.
void read_renames(LoadContext& ctx, const YNode& with, Renames& names) {
  Reader& r = ctx.reader;
  if (!r.map(with, {"domains", "states", "indicators"})) return;
  for (auto& [key, kind] : {std::pair<const char*, Renames::Kind*>{"domains", &names.domains},
                            std::pair<const char*, Renames::Kind*>{"states", &names.states},
                            std::pair<const char*, Renames::Kind*>{"indicators", &names.indicators}}) {
    YNode m = with[key];
    if (!m.defined()) continue;
    if (!m.is_map()) {
      r.error(m, both_languages(Msg::effect_renames_not_a_map, {key}));
      continue;
    }
    for (auto& [from, to] : m.entries())
      if (auto text = r.string(to)) kind->to[from] = *text;
  }
}

/// A mapping in `with:` that the entry never uses is most likely a typo: refused.
void check_renames_used(LoadContext& ctx, const YNode& with, Renames& names, const std::string& entry) {
  if (!with.is_map()) return;
  for (auto& [key, kind] : {std::pair<const char*, Renames::Kind*>{"domains", &names.domains},
                            std::pair<const char*, Renames::Kind*>{"states", &names.states},
                            std::pair<const char*, Renames::Kind*>{"indicators", &names.indicators}}) {
    YNode m = with[key];
    if (!m.is_map()) continue;
    const std::vector<std::string> named(kind->named.begin(), kind->named.end());
    for (auto& [from, to] : m.entries()) {
      if (kind->named.count(from)) continue;
      // The kind in the singular (Danish: definite, "bruger ikke tilstanden 'x'").
      const Msg kind_name = key[0] == 'd' ? Msg::effect_rename_domain : key[0] == 's' ? Msg::effect_rename_state
                                                                                      : Msg::effect_rename_indicator;
      Bilingual msg = both_languages(Msg::effect_rename_unused, {entry, both_languages(kind_name), from}) +
                      did_you_mean_text(from, named) +
                      both_languages(Msg::effect_rename_names,
                                     {named.empty() ? both_languages(Msg::effect_rename_names_none) : Bilingual(join(named))});
      ctx.reader.error(Reader::key_node(to), msg);
    }
  }
}

/// The effects of library entry `ref` names, appended to `out` as if written at places
/// `place`, `place` + 1, ... of list `base`; returns how many places they take (1 when the
/// reference is refused, so that the effects after it keep their places).
std::size_t library_effects(LoadContext& ctx, const YNode& ref, const Scenario& s, const std::string& base,
                            std::size_t place_index, std::vector<Effect>& out) {
  Reader& r = ctx.reader;
  // An effect's own keys beside from_library: the entry is taken as the library writes it.
  std::vector<std::string> allowed = {"from_library", "with"};
  for (const char* key : {"transition", "hazard_ratio", "risk_difference", "on", "difference", "via", "ramp_up_months",
                          "decay_half_life_months", "source", "evidence"}) {
    allowed.emplace_back(key);
    if (ref.is_map() && ref[key].defined())
      r.error(Reader::key_node(ref[key]), both_languages(Msg::effect_library_keys_fixed, {std::string(key)}));
  }
  if (!r.map(ref, allowed)) return 1;
  YNode name_node = ref["from_library"];
  auto name = r.string(name_node);
  if (!name) return 1;
  std::vector<std::string> names;
  for (const auto& entry : ctx.sections.effects) names.push_back(entry.first);
  if (names.empty()) {
    r.error(name_node, both_languages(Msg::effect_no_library));
    return 1;
  }
  auto index = r.reference(name_node, names, "library effect");
  if (!index) return 1;
  const YNode& entry = ctx.sections.effects[static_cast<std::size_t>(*index)].second;
  Renames renames;
  YNode with = ref["with"];
  if (with.defined()) read_renames(ctx, with, renames);
  const Diagnostic at = r.located(ref, ref.path, "");
  const std::size_t errors = ctx.diagnostics.size(), warnings = ctx.warnings.size(), notes = ctx.ungraded.size();
  std::vector<YNode> items;
  if (entry.is_seq())
    for (std::size_t j = 0; j < entry.size(); ++j) items.push_back(entry.at(j));
  else if (entry.is_map())
    items.push_back(entry);
  else
    r.error(entry, both_languages(Msg::effect_expected_effect_or_list));
  if (entry.is_seq() && entry.size() == 0) r.error(entry, both_languages(Msg::effect_library_entry_empty));
  for (std::size_t j = 0; j < items.size(); ++j) {
    YNode e = items[j];
    e.path = base + "[" + std::to_string(place_index + j) + "]";
    if (e.is_map() && e["from_library"].defined()) {
      r.error(e["from_library"], both_languages(Msg::effect_library_nested));
      continue;
    }
    if (auto ef = read_effect(ctx, e, s, &renames, place(at))) out.push_back(std::move(*ef));
  }
  relocate(ctx.diagnostics, errors, at, *name);
  relocate(ctx.warnings, warnings, at, *name);
  relocate(ctx.ungraded, notes, at, *name);
  if (with.defined()) check_renames_used(ctx, with, renames, *name);
  return std::max<std::size_t>(1, items.size());
}

} // namespace

void load_effects(LoadContext& ctx, const YNode& list, const Scenario& s, std::vector<Effect>& out) {
  Reader& r = ctx.reader;
  if (!r.seq(list)) return;
  // Places in the list as expanded: a library entry of n effects takes n places.
  std::size_t offset = 0;
  for (std::size_t i = 0; i < list.size(); ++i) {
    YNode e = list.at(i);
    if (offset) e.path = list.path + "[" + std::to_string(i + offset) + "]";
    if (e.is_map() && e["from_library"].defined()) {
      offset += library_effects(ctx, e, s, list.path, i + offset, out) - 1;
      continue;
    }
    if (auto ef = read_effect(ctx, e, s, nullptr, "")) out.push_back(std::move(*ef));
  }
}

} // namespace socinvest::detail
