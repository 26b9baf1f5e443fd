// variants: the baseline (first) and the options, each possibly extending another. An
// extends chain is resolved root first; interventions are merged by name across it, the
// child's keys winning, and inherited parameters keep the key path of the variant that
// wrote them. One intervention is read by load_interventions.cpp, contracts by
// load_contracts.cpp.
#include "scenario/load_context.hpp"

#include <socinvest/report/messages.hpp>

#include <algorithm>
#include <map>
#include <optional>

namespace socinvest::detail {

namespace {

/// An inherited parameter keeps the key path of the variant that wrote it, so a variant
/// and the one it extends draw the same value in each iteration (common random numbers).
void rebase_inherited(Intervention& iv, const std::string& variant, const std::map<std::string, std::string>& origin) {
  const std::string prefix = "variants." + variant + ".interventions." + iv.id + ".";
  auto rebase = [&](Quantity& q) {
    if (q.path.rfind(prefix, 0) != 0) return;
    const std::string rest = q.path.substr(prefix.size());
    const std::string key = rest.substr(0, rest.find_first_of(".["));
    auto it = origin.find(key);
    if (it == origin.end() || it->second == variant) return;
    q.path = "variants." + it->second + ".interventions." + iv.id + "." + rest;
    q.key = path_key(q.path);
  };
  // The same list as the assumptions table and sweeps: a parameter missing here would be
  // drawn independently by a variant and the one it extends.
  iv.for_each_quantity(rebase);
}

/// The entry `key` of map `n`, with its key's place (operator[] has none).
YNode entry(const YNode& n, const std::string& key) {
  for (auto& [k, v] : n.entries())
    if (k == key) return v;
  return n[key];
}

/// The variant's own costs, effects and contracts against the nearest earlier layer of its
/// extends chain that has them: a warning when replacing drops items (overrides.cpp).
/// Only the variant's own layer, so a chain's overrides are reported once.
void warn_extends_overrides(LoadContext& ctx, const std::vector<YNode>& chain, const std::vector<std::string>& seen) {
  if (chain.size() < 2 || !chain.back().is_map()) return;
  const YNode& own = chain.back();
  auto origin = [&](std::size_t li, const YNode& list) {
    return both_languages(Msg::override_variant_origin, {seen[chain.size() - 1 - li], place_of(list)});
  };
  YNode ivs = own["interventions"];
  if (ivs.is_map())
    for (auto& [name, body] : ivs.entries()) {
      if (!body.is_map()) continue;
      for (const auto& [key, kind] : {std::pair{"costs", ListKind::intervention_costs}, std::pair{"effects", ListKind::effects}}) {
        YNode later = entry(body, key);
        if (!later.defined()) continue;
        for (std::size_t li = chain.size() - 1; li-- > 0;) {
          const YNode& layer = chain[li];
          if (!layer.is_map() || !layer["interventions"].is_map()) continue;
          YNode parent_body = entry(layer["interventions"], name);
          if (!parent_body.is_map()) continue;
          YNode earlier = entry(parent_body, key);
          if (!earlier.defined()) continue;
          warn_replaced_list(ctx, earlier, later, kind, origin(li, earlier));
          break;
        }
      }
    }
  YNode later = entry(own, "contracts");
  if (later.defined())
    for (std::size_t li = chain.size() - 1; li-- > 0;) {
      if (!chain[li].is_map()) continue;
      YNode earlier = entry(chain[li], "contracts");
      if (!earlier.defined()) continue;
      warn_replaced_list(ctx, earlier, later, ListKind::contracts, origin(li, earlier));
      break;
    }
}

} // namespace

void load_variants(LoadContext& ctx, Scenario& s) {
  Reader& r = ctx.reader;
  if (ctx.sections.variants.empty()) {
    ctx.file_error(ctx.main_file(), 0, 0, "variants", both_languages(Msg::variants_required));
    return;
  }
  std::vector<std::string> names;
  for (auto& [id, n] : ctx.sections.variants) names.push_back(id);
  auto base = std::find(names.begin(), names.end(), "baseline");
  if (base == names.end()) {
    ctx.file_error(*ctx.sections.variants.front().second.file, 0, 0, "variants",
                   both_languages(Msg::variants_baseline_required, {join(names)}));
    return;
  }
  // Baseline first; the others in file order.
  std::vector<std::size_t> order{static_cast<std::size_t>(base - names.begin())};
  for (std::size_t i = 0; i < names.size(); ++i)
    if (names[i] != "baseline") order.push_back(i);
  const std::vector<std::string> variant_keys = {"title", "description", "extends", "interventions", "contracts"};
  // Per variant, in s.variants' order: whose contracts it has, and where it says extends.
  std::vector<std::string> contracts_from;
  std::vector<YNode> extends_node;
  for (std::size_t i : order) {
    auto& [id, n] = ctx.sections.variants[i];
    Variant v;
    v.id = id;
    contracts_from.emplace_back();
    extends_node.push_back(n.defined() && n.is_map() ? entry(n, "extends") : n);
    if (n.defined() && !r.map(n, variant_keys)) {
      s.variants.push_back(v);
      continue;
    }
    // Resolve the extends chain: root first.
    std::vector<YNode> chain{n};
    std::vector<std::string> seen{id};
    while (chain.front().defined() && chain.front()["extends"].defined()) {
      YNode ext = chain.front()["extends"];
      auto parent = r.reference(ext, names, "variant");
      if (!parent) break;
      if (std::find(seen.begin(), seen.end(), names[*parent]) != seen.end()) {
        r.error(ext, both_languages(Msg::variants_extends_cycle, {join(seen, " -> ") + " -> " + names[*parent]}));
        break;
      }
      seen.push_back(names[*parent]);
      chain.insert(chain.begin(), ctx.sections.variants[*parent].second);
    }
    if (id == "baseline" && n.defined() && (n["interventions"].defined() || n["extends"].defined()))
      r.error(n, both_languages(Msg::variants_baseline_plain));
    // A variant's own title and description (not inherited: they say what this variant is).
    if (n.defined() && n["title"].defined())
      if (auto t = r.text(n["title"])) v.title = *t;
    if (n.defined() && n["description"].defined())
      if (auto t = r.text(n["description"])) v.description = *t;
    // Interventions: merged by name across the chain, keys of the child winning.
    std::vector<std::pair<std::string, std::vector<YNode>>> interventions;
    std::map<std::string, std::map<std::string, std::string>> origin; // intervention -> key -> variant
    // The last layer's contracts (optional, not assigned: see rebind() in yaml_reader.hpp).
    std::optional<YNode> contracts;
    for (std::size_t li = 0; li < chain.size(); ++li) {
      const YNode& layer = chain[li];
      const std::string& layer_variant = seen[chain.size() - 1 - li];
      if (!layer.defined() || !layer.is_map()) continue;
      if (layer["contracts"].defined()) {
        contracts.emplace(layer["contracts"]);
        contracts_from.back() = layer_variant;
      }
      YNode ivs = layer["interventions"];
      if (!ivs.defined()) continue;
      if (!ivs.is_map()) {
        r.error(ivs, both_languages(Msg::variants_expected_interventions));
        continue;
      }
      for (auto& [name, body] : ivs.entries()) {
        if (li + 1 == chain.size()) check_name(ctx, Reader::key_node(body), name, "intervention");
        if (body.is_map())
          for (auto& [key, value] : body.entries()) origin[name][key] = layer_variant;
        const std::string& intervention_name = name;
        auto it = std::find_if(interventions.begin(), interventions.end(), [&](auto& e) { return e.first == intervention_name; });
        if (it == interventions.end()) interventions.push_back({name, {body}});
        else it->second.push_back(body);
      }
    }
    warn_extends_overrides(ctx, chain, seen);
    for (auto& [name, layers] : interventions) {
      Intervention iv = load_intervention(ctx, name, layers, s, "variants." + id + ".interventions." + name);
      rebase_inherited(iv, id, origin[name]);
      v.interventions.push_back(std::move(iv));
    }
    if (contracts && contracts->defined()) load_contracts(ctx, *contracts, s, v);
    s.variants.push_back(std::move(v));
  }
  // Checked on loaded variants only: with errors, their numbers are not the real ones.
  if (ctx.diagnostics.empty()) check_inherited_contracts(ctx, s, contracts_from, extends_node);
}

} // namespace socinvest::detail
