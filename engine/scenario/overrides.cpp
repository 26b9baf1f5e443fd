// Warnings about overrides: a later file's list of cost lines (include), or a variant's
// costs, effects or contracts (extends), replaces the earlier list whole. When that drops
// items of the earlier list the user may not have meant it (changing one unit cost of
// cash benefit dropped the caseworker and tax lines), so the loader names what was dropped.
// A warning never changes a result and never refuses a scenario.
#include "scenario/load_context.hpp"

#include <socinvest/report/messages.hpp>

#include <cmath>
#include <cstdio>

namespace socinvest::detail {

namespace {

std::string text_of(const YNode& item, const char* key) {
  if (!item.is_map()) return {};
  YNode v = item[key];
  return v.is_scalar() ? v.scalar() : std::string();
}

/// An item's note (a text: plain, or {da: ..., en: ...}) in each language, a language left
/// out falling back to the other (scenario/text.hpp, Text::in).
Bilingual note_of(const YNode& item) {
  if (!item.is_map()) return {};
  YNode v = item["note"];
  if (v.is_scalar()) return Bilingual(v.scalar());
  if (!v.is_map()) return {};
  const std::string en = text_of(v, "en"), da = text_of(v, "da");
  return Bilingual(en.empty() ? da : en, da.empty() ? en : da);
}

/// How an item of a list is named in the warning, and what makes two items the same: the
/// full identity first (department and note; the transition; the contract's name), then a
/// looser one (the department; payer and payee) so that a rewritten line whose note
/// changed counts as kept.
struct Identity {
  Bilingual label;
  std::string exact, loose;
};

Identity identity(const YNode& item, ListKind kind) {
  Identity id;
  switch (kind) {
  case ListKind::cost_lines:
  case ListKind::intervention_costs: {
    const std::string dept = text_of(item, "department");
    const Bilingual note = note_of(item);
    id.label = dept.empty() ? both_languages(Msg::override_line_without_department) : Bilingual(dept);
    if (!note.empty()) id.label += " '" + note + "'";
    else if (kind == ListKind::intervention_costs)
      id.label += both_languages(item.is_map() && item["fte"].defined()     ? Msg::override_staff
                                 : item.is_map() && item["total"].defined() ? Msg::override_grant
                                                                            : Msg::override_measure);
    id.exact = dept + "\n" + note.en + "\n" + note.da;
    id.loose = dept;
    break;
  }
  case ListKind::effects: {
    std::string which = text_of(item, "transition");
    if (which.empty() && !text_of(item, "from_library").empty()) which = "from_library " + text_of(item, "from_library");
    id.exact = id.loose = which;
    id.label = which;
    break;
  }
  case ListKind::contracts: {
    const std::string name = text_of(item, "name"), payer = text_of(item, "payer"), payee = text_of(item, "payee");
    id.label = (name.empty() ? std::string() : "'" + name + "' ") + both_languages(Msg::override_pays, {payer, payee});
    id.exact = name + "\n" + payer + "\n" + payee;
    id.loose = payer + "\n" + payee;
    break;
  }
  }
  return id;
}

Bilingual noun(ListKind kind, bool plural) {
  switch (kind) {
  case ListKind::cost_lines: return both_languages(plural ? Msg::override_cost_lines : Msg::override_cost_line);
  case ListKind::intervention_costs: return both_languages(plural ? Msg::override_costs : Msg::override_cost);
  case ListKind::effects: return both_languages(plural ? Msg::override_effects : Msg::override_effect);
  case ListKind::contracts: return both_languages(plural ? Msg::override_contracts : Msg::override_contract);
  }
  return {};
}

/// "2,400,000 kr." in English, "2.400.000 kr." in Danish.
Bilingual kroner(double v) {
  char buf[64];
  std::snprintf(buf, sizeof buf, "%.0f", std::abs(v));
  std::string digits = buf, out;
  for (std::size_t i = 0; i < digits.size(); ++i) {
    if (i && (digits.size() - i) % 3 == 0) out += ',';
    out += digits[i];
  }
  const std::string en = (v < 0 ? "-" : "") + out + " kr.";
  std::string da = en;
  for (char& c : da)
    if (c == ',') c = '.';
  return {en, da};
}

} // namespace

void warn_replaced_list(LoadContext& ctx, const YNode& earlier, const YNode& later, ListKind kind,
                        const Bilingual& earlier_origin) {
  if (!earlier.is_seq() || !later.is_seq()) return; // not lists: an error elsewhere, or nothing replaced
  if (later.node.Tag() == "!replace") return;        // the replacement is meant
  if (later.size() == 0) return;                      // [] says "none" in so many words
  std::vector<Identity> old_items, new_items;
  for (std::size_t i = 0; i < earlier.size(); ++i) old_items.push_back(identity(earlier.at(i), kind));
  for (std::size_t i = 0; i < later.size(); ++i) new_items.push_back(identity(later.at(i), kind));
  std::vector<bool> kept(old_items.size(), false), used(new_items.size(), false);
  for (int pass = 0; pass < 2; ++pass)
    for (std::size_t n = 0; n < new_items.size(); ++n) {
      if (used[n]) continue;
      for (std::size_t o = 0; o < old_items.size(); ++o) {
        if (kept[o]) continue;
        const bool same = pass == 0 ? old_items[o].exact == new_items[n].exact : old_items[o].loose == new_items[n].loose;
        if (!same) continue;
        kept[o] = used[n] = true;
        break;
      }
    }
  Bilingual dropped;
  for (std::size_t o = 0; o < old_items.size(); ++o)
    if (!kept[o]) dropped += (dropped.empty() ? "" : ", ") + old_items[o].label;
  if (dropped.empty()) return;
  const std::size_t before = old_items.size(), after = new_items.size();
  ctx.reader.warning_at(Reader::key_node(later), later.path,
                        both_languages(Msg::override_replaces, {std::to_string(before), noun(kind, before != 1), earlier_origin,
                                                                std::to_string(after), dropped, noun(kind, false)}));
}

void check_inherited_contracts(LoadContext& ctx, const Scenario& s, const std::vector<std::string>& contracts_from,
                               const std::vector<YNode>& extends_node) {
  // The grants a department gives in a variant (their means, in the run's prices).
  auto grants = [&](const Variant& v, int department) {
    double sum = 0;
    for (const auto& iv : v.interventions)
      for (const auto& c : iv.costs)
        if (c.department == department)
          if (const auto* g = std::get_if<InterventionCost::Grant>(&c.kind)) sum += g->total.dist.mean();
    return sum;
  };
  for (std::size_t i = 0; i < s.variants.size() && i < contracts_from.size(); ++i) {
    const Variant& v = s.variants[i];
    if (contracts_from[i].empty() || contracts_from[i] == v.id) continue;
    const int parent = s.variant_index(contracts_from[i]);
    if (parent < 0) continue;
    const Variant& p = s.variants[static_cast<std::size_t>(parent)];
    for (const auto& k : v.contracts) {
      if (k.payee < 0 || k.payee >= static_cast<int>(s.departments.size())) continue;
      const double given = grants(p, k.payee), here = grants(v, k.payee);
      if (!(given > 0) || here >= given * (1 - 1e-9)) continue;
      // Per person, the sum repaid is not known at load time; a fixed amount is judged.
      const double pays = k.amount.dist.mean();
      if (k.amount_per_person.dist.mean() > 0 || !(pays > here)) continue;
      const std::string& payee = s.departments[static_cast<std::size_t>(k.payee)].id;
      ctx.reader.warning_at(extends_node[i], "variants." + v.id + ".contracts",
                            both_languages(Msg::override_inherited_contract,
                                           {k.id, p.id, payee, kroner(pays), kroner(given), kroner(here)}));
    }
  }
}

} // namespace socinvest::detail
