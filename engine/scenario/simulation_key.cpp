// Scenario::simulation_key: what the simulation may read of a scenario's files, written out
// canonically, so that two scenarios (two files, say) that differ only in prices are known
// to simulate the same and `compare` prices one simulation for both (analysis.hpp
// same_simulation). It is the merged sections (what every section loader reads, after
// includes), node by node, with the parts only pricing reads left out. Leaving out too
// little costs only speed (the scenarios are simulated one by one, as before); leaving out
// something the simulation reads would be wrong, so a part is left out only when no code
// under montecarlo/, model/, population/ or interventions/ reads what it is loaded into:
//
//   scenario, title, description          texts
//   run.discount, run.price_projection,   discounting and the budget table's current prices
//   run.currency                          (ledger/)
//   price_index                           moves amounts between price years (load_costs.cpp rescale)
//   cost lines' amount, changes' amount,  unit costs (Scenario::price_quantities), what share of
//   cashable_share, price_year, note,     them the budget saves, and their texts
//   source
//   reimbursement rules' state_share,     the reimbursed shares (ledger/pricing.cpp); where they
//   source                                change is the layout's, compared apart
//   an intervention's costs               staff, grants, measures (price_quantities)
//   a contract's amount and               pay-for-results payments (price_quantities)
//   amount_per_person, note               and their text
//
// Two things the simulation derives from left-out parts are compared apart, in
// same_simulation: the layout (reimbursement shares decide the refusion steps that split
// cells) and the departments with cases (eligibility counts a department when one of its
// cost lines has an amount above 0). The population CSV enters by its bytes' hash.
#include "scenario/load_context.hpp"

#include <socinvest/hash.hpp>

#include <cstdio>
#include <fstream>
#include <sstream>

namespace socinvest::detail {

namespace {

/// Where a node is, relative to its section's entry: map keys, "#" for a list item.
using Where = std::vector<std::string>;

/// A cost line's price-only keys: [#, key] and [#, changes, #, key] in a state's or
/// transition's list of lines (a single line written as a map: [key], [changes, #, key]).
bool cost_line_price(const Where& w) {
  static constexpr const char* line_keys[] = {"amount", "cashable_share", "price_year", "note", "source"};
  static constexpr const char* change_keys[] = {"amount", "price_year", "note", "source"};
  if (w.empty()) return false;
  const std::string& key = w.back();
  const bool in_change = w.size() >= 3 && w[w.size() - 2] == "#" && w[w.size() - 3] == "changes";
  if (in_change) {
    const std::size_t depth = w.size() - 3; // where `changes` is: [] or [#]
    if (depth > 1 || (depth == 1 && w[0] != "#")) return false;
    for (const char* k : change_keys)
      if (key == k) return true;
    return false;
  }
  if (w.size() > 2 || (w.size() == 2 && w[0] != "#")) return false;
  for (const char* k : line_keys)
    if (key == k) return true;
  return false;
}

using Masked = bool (*)(const Where&);

bool none(const Where&) { return false; }
bool whole_masked(const Where& w) {
  return w.size() == 1 && (w[0] == "scenario" || w[0] == "title" || w[0] == "description");
}
bool run_masked(const Where& w) {
  return w.size() == 1 && (w[0] == "discount" || w[0] == "price_projection" || w[0] == "currency");
}
bool everything(const Where&) { return true; }
bool reimbursement_masked(const Where& w) {
  return w.size() == 2 && (w[1] == "state_share" || w[1] == "source");
}
bool variant_masked(const Where& w) {
  // [variant, interventions, name, costs], [variant, contracts, #, amount | amount_per_person | note],
  // [variant, description]
  if (w.size() == 2 && w[1] == "description") return true;
  if (w.size() == 4 && w[1] == "interventions" && w[3] == "costs") return true;
  return w.size() == 4 && w[1] == "contracts" && w[2] == "#" &&
         (w[3] == "amount" || w[3] == "amount_per_person" || w[3] == "note");
}
bool cost_masked(const Where& w) {
  // The entry's name comes first: [domain.state, ...]
  return w.size() > 1 && cost_line_price(Where(w.begin() + 1, w.end()));
}

/// Appends `n` canonically: a type letter, lengths before texts, tags kept. A left-out
/// entry of a map is left out whole, its key too: whether a price is written or defaulted
/// is a matter for pricing alone.
void write(std::string& out, const YAML::Node& n, Where& where, Masked masked) {
  const std::string& tag = n.Tag();
  if (!tag.empty() && tag != "?" && tag != "!") out += "t" + std::to_string(tag.size()) + ":" + tag;
  auto text = [&](const std::string& s) { out += std::to_string(s.size()) + ":" + s; };
  switch (n.Type()) {
  case YAML::NodeType::Undefined:
    out += 'u';
    return;
  case YAML::NodeType::Null:
    out += 'n';
    return;
  case YAML::NodeType::Scalar:
    out += 's';
    text(n.Scalar());
    return;
  case YAML::NodeType::Sequence:
    out += "q" + std::to_string(n.size()) + "[";
    for (const auto& item : n) {
      where.push_back("#");
      write(out, item, where, masked);
      where.pop_back();
    }
    out += ']';
    return;
  case YAML::NodeType::Map:
    out += "m{";
    for (const auto& entry : n) {
      const std::string key = entry.first.IsScalar() ? entry.first.Scalar() : std::string("?");
      where.push_back(key);
      if (!masked(where)) {
        text(key);
        write(out, entry.second, where, masked);
      }
      where.pop_back();
    }
    out += '}';
    return;
  }
}

template <class Named> void section(std::string& out, const char* name, const Named& entries, Masked masked) {
  out += "\n";
  out += name;
  out += ":";
  for (const auto& [key, node] : entries) {
    Where where{key}; // the masks see the entry's own key first
    if (masked(where)) continue;
    out += "\n" + std::to_string(key.size()) + ":" + key + "=";
    write(out, node.node, where, masked);
  }
}

} // namespace

std::string simulation_key(const LoadContext& ctx, const Scenario& s) {
  const Sections& x = ctx.sections;
  std::string out = "socinvest simulation key 1";
  section(out, "whole", x.whole, whole_masked);
  section(out, "run", x.run, run_masked);
  section(out, "departments", x.departments, none);
  section(out, "domains", x.domains, none);
  section(out, "reimbursement", x.reimbursement, reimbursement_masked);
  section(out, "price_index", x.price_index, everything);
  section(out, "variants", x.variants, variant_masked);
  section(out, "indicators", x.indicators, none);
  section(out, "attributes", x.attributes, none);
  section(out, "state_costs", x.state_costs, cost_masked);
  section(out, "transition_costs", x.transition_costs, cost_masked);
  if (!s.population.csv_path.empty()) {
    std::ifstream in(s.population.csv_path, std::ios::binary);
    std::stringstream bytes;
    bytes << in.rdbuf();
    const std::string csv = bytes.str();
    char buf[64];
    std::snprintf(buf, sizeof buf, "\ncsv %zu %016llx", csv.size(), static_cast<unsigned long long>(fnv1a(csv, fnv1a_basis)));
    out += buf;
  }
  return out;
}

} // namespace socinvest::detail
