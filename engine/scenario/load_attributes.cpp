// attributes: what the registers say about persons and households beyond their states (the
// area they live in, the household type), each a named list of categories; for a synthetic
// population with the share of each (`categorical:`), for a CSV extract a column of the file
// (`categories:`). Used by eligibility rules and links (attribute_condition).
#include "scenario/load_context.hpp"

#include <socinvest/report/messages.hpp>

#include <cmath>

namespace socinvest::detail {

void load_attributes(LoadContext& ctx, Scenario& s) {
  Reader& r = ctx.reader;
  // A synthetic population draws each attribute from its shares; a CSV extract reads it.
  bool synthetic = true;
  if (auto it = ctx.sections.whole.find("population"); it != ctx.sections.whole.end() && it->second.is_map())
    synthetic = !it->second["csv"].defined();
  for (auto& [name, n] : ctx.sections.attributes) {
    Attribute a;
    a.id = name;
    ctx.attribute_names.push_back(name);
    if (!r.map(n, {"level", "categorical", "categories", "source"})) {
      s.attributes.push_back(std::move(a));
      continue;
    }
    if (n["level"].defined())
      if (auto v = r.choice<Attribute::Level>(n["level"])) a.level = *v;
    if (n["source"].defined())
      if (auto v = r.string(n["source"])) a.source = *v;
    const YNode cat = n["categorical"], list = n["categories"];
    if (cat.defined() && list.defined()) {
      r.error(list, both_languages(Msg::fixed_give_one_of_categorical_each_category_s));
    } else if (cat.defined()) {
      if (!cat.is_map() || cat.size() == 0) {
        r.error(cat, both_languages(Msg::fixed_expected_a_map_from_category_to_share));
      } else {
        double sum = 0.0;
        for (auto& [category, share] : cat.entries()) {
          check_name(ctx, Reader::key_node(share), category, "category");
          auto p = r.number(share, detail::probability);
          a.categories.push_back(category);
          a.shares.push_back(p ? *p : 0.0);
          sum += p ? *p : 0.0;
        }
        if (std::abs(sum - 1.0) > 1e-6)
          r.error(cat, both_languages(Msg::attr_shares_sum, {std::to_string(sum)}));
      }
    } else if (list.defined()) {
      if (synthetic) {
        r.error(list, both_languages(Msg::fixed_a_synthetic_population_draws_attributes_from_shares));
      } else if (r.seq(list)) {
        for (std::size_t i = 0; i < list.size(); ++i)
          if (auto c = r.string(list.at(i))) {
            check_name(ctx, list.at(i), *c, "category");
            if (a.category_index(*c) >= 0) r.error(list.at(i), both_languages(Msg::attr_category_twice, {*c}));
            else a.categories.push_back(*c);
          }
        if (a.categories.empty()) r.error(list, both_languages(Msg::fixed_expected_a_list_of_categories_e_g));
      }
    } else {
      r.error_at(n, n.path + ".categorical",
                 both_languages(synthetic ? Msg::attr_categorical_required_synthetic : Msg::attr_categorical_required_csv));
    }
    if (static_cast<int>(a.categories.size()) > Attribute::max_categories)
      r.error(n, both_languages(Msg::attr_too_many_categories, {std::to_string(Attribute::max_categories)}));
    if (!synthetic) a.shares.clear(); // a CSV extract's shares are the file's own
    s.attributes.push_back(std::move(a));
  }
  if (s.attributes.size() > 16 && !ctx.sections.attributes.empty())
    r.error(ctx.sections.attributes.front().second, both_languages(Msg::fixed_at_most_16_attributes));
}

std::optional<AttributeCondition> attribute_condition(LoadContext& ctx, const YNode& n, const Scenario& s,
                                                      Attribute::Level* level) {
  Reader& r = ctx.reader;
  if (!n.is_map() || n.size() != 1) {
    r.error(n, both_languages(Msg::fixed_expected_attribute_category_or_attribute_categories_one));
    return std::nullopt;
  }
  auto [name, values] = n.entries().front();
  YNode key = Reader::key_node(values);
  key.node = YAML::Node(name);
  auto a = r.reference(key, ctx.attribute_names, "attribute");
  if (!a) return std::nullopt;
  const Attribute& attr = s.attributes[static_cast<std::size_t>(*a)];
  AttributeCondition c;
  c.attribute = *a;
  if (level) *level = attr.level;
  bool ok = true;
  auto add = [&](const YNode& v) {
    auto idx = attr.categories.empty() ? std::nullopt : r.reference(v, attr.categories, "category");
    if (idx) c.categories |= 1ULL << *idx;
    else ok = false;
  };
  if (values.is_seq())
    for (std::size_t i = 0; i < values.size(); ++i) add(values.at(i));
  else
    add(values);
  if (!ok) return std::nullopt;
  return c;
}

} // namespace socinvest::detail
