#include "montecarlo/kernel_common.hpp"

#include <socinvest/report/format.hpp>

namespace socinvest::kernel {

EffectiveRow effective_row(const ModelDomain& md, RowKey r, const ModelVariant& mv, const Enrolment& e, int d,
                           int s, int h, int month) {
  EffectiveRow row;
  const std::uint32_t start = md.row_start[r.index()];
  const int n = md.row_length[r.index()];
  row.n = n;
  std::copy(&md.hazard[start], &md.hazard[start] + n, row.share.begin());
  for (int i : mv.effects_from[d][s]) {
    const ModelEffect& eff = mv.effects[i];
    const std::size_t idx = static_cast<std::size_t>(eff.intervention) * e.households + h;
    row.next_change_month = std::min(row.next_change_month, eff.next_change(e.start[idx], e.end[idx], month));
    const double w = eff.weight(e.start[idx], e.end[idx], month);
    if (w <= 0.0) continue;
    row.changed = true;
    // At full weight (most months of most effects) the ratio is the value itself, which is
    // what pow gives for an exponent of 1 (exactly), without the call.
    const double ratio = !eff.hazard_ratio ? 1.0 : w == 1.0 ? eff.value : std::pow(eff.value, w);
    for (int j = 0; j < n; ++j) {
      if (md.destination[start + j] != eff.to) continue;
      if (eff.hazard_ratio) row.share[j] *= ratio;
      else row.risk = true;
    }
  }
  if (!row.risk) return row;
  std::array<double, max_row> p{};
  probabilities_from_hazards(row.share.data(), n, p.data());
  for (int i : mv.effects_from[d][s]) {
    const ModelEffect& eff = mv.effects[i];
    if (eff.hazard_ratio) continue;
    const std::size_t idx = static_cast<std::size_t>(eff.intervention) * e.households + h;
    const double w = eff.weight(e.start[idx], e.end[idx], month);
    for (int j = 0; j < n; ++j)
      if (md.destination[start + j] == eff.to) {
        double others = 0.0;
        for (int i2 = 0; i2 < n; ++i2) others += i2 == j ? 0.0 : p[i2];
        p[j] = std::clamp(p[j] + w * eff.value, 0.0, std::max(0.0, 1.0 - others));
      }
  }
  row.share = p;
  return row;
}

void household_groups(const SimulationContext& c, int v, int h, std::vector<int>& groups) {
  groups.assign(1, 0);
  if (v == 0) {
    for (std::size_t g = 1; g < c.enrolment.size(); ++g)
      if (!c.enrolment[g].participant.empty() && c.enrolment[g].participant[h]) groups.push_back(static_cast<int>(g));
  } else if (c.enrolment[v].participant[h]) {
    groups.push_back(v);
  }
  // Results by attribute: the same groups again among the households of each household
  // attribute's category (Layout::attribute_group).
  const Layout& L = c.layout;
  if (L.attribute_categories == 0) return;
  const std::size_t own = groups.size();
  const std::uint32_t first = c.population.household_first[h];
  for (std::size_t a = 0; a < L.attribute_first_category.size(); ++a) {
    if (c.scenario.attributes[a].level != Attribute::Level::household) continue;
    const int k = L.attribute_first_category[a] + c.population.attribute_of(first, static_cast<int>(a));
    for (std::size_t g = 0; g < own; ++g) groups.push_back(L.attribute_group(k, groups[g]));
  }
}

void member_groups(const SimulationContext& c, int v, int h, MemberGroups& out) {
  household_groups(c, v, h, out.groups);
  const Layout& L = c.layout;
  const std::size_t household = out.groups.size();
  if (!L.person_attribute_groups) {
    out.count = household;
    out.stride = 0;
    return;
  }
  // The household's own groups: the variants' (the attribute groups come after them).
  std::size_t own = 0;
  while (own < household && out.groups[own] < L.variants) ++own;
  std::size_t persons = 0;
  for (const Attribute& attribute : c.scenario.attributes)
    if (attribute.level != Attribute::Level::household) ++persons;
  out.count = out.stride = household + persons * own;
  const std::uint32_t first = c.population.household_first[h];
  const int size = c.population.household_size[h];
  out.groups.resize(out.stride * static_cast<std::size_t>(std::max(size, 1)));
  for (int i = 0; i < size; ++i) {
    int* mine = out.groups.data() + static_cast<std::size_t>(i) * out.stride;
    if (i > 0) std::copy(out.groups.begin(), out.groups.begin() + static_cast<std::ptrdiff_t>(household), mine);
    std::size_t at = household;
    for (std::size_t a = 0; a < c.scenario.attributes.size(); ++a) {
      if (c.scenario.attributes[a].level == Attribute::Level::household) continue;
      const int k = L.attribute_first_category[a] + c.population.attribute_of(first + static_cast<std::uint32_t>(i), static_cast<int>(a));
      for (std::size_t g = 0; g < own; ++g) mine[at++] = L.attribute_group(k, out.groups[g]);
    }
  }
}

void add_baseline_rest(Tally& total, const Tally& baseline, const Layout& L, int variant) {
  auto add_rest = [&](std::vector<std::uint32_t>& out, const std::vector<std::uint32_t>& base) {
    const std::size_t block = out.size() / static_cast<std::size_t>(total.groups);
    // Everybody (group 0), and everybody of each attribute category.
    for (int k = -1; k < L.attribute_categories; ++k) {
      const std::size_t all = static_cast<std::size_t>(k < 0 ? 0 : L.attribute_group(k, 0)) * block;
      const std::size_t enrolled = static_cast<std::size_t>(k < 0 ? variant : L.attribute_group(k, variant)) * block;
      for (std::size_t i = 0; i < block; ++i) out[all + i] += base[all + i] - base[enrolled + i];
    }
  };
  add_rest(total.occupancy, baseline.occupancy);
  add_rest(total.moves, baseline.moves);
  add_rest(total.indicator_met, baseline.indicator_met);
  add_rest(total.indicator_base, baseline.indicator_base);
}

std::string trace_line(const SimulationContext& c, int v, int h, std::uint32_t p, int month, int age_months, int role,
                       const std::int8_t* states, const int* months) {
  const Population& pop = c.population;
  // Ids from a population CSV are the user's text: quoted and formula-safe like every CSV field.
  std::string line = csv_text(c.scenario.variants[v].id) + ",";
  line += pop.household_label.empty() ? std::to_string(h) : csv_text(pop.household_label[h]);
  line += ",";
  line += pop.person_label.empty() ? std::to_string(p) : csv_text(pop.person_label[p]);
  YearMonth ym{c.scenario.run.start.year + (c.scenario.run.start.month - 1 + month) / 12,
               (c.scenario.run.start.month - 1 + month) % 12 + 1};
  line += "," + ym.text() + "," + std::to_string(age_months / 12) + "," +
          name_of(role == static_cast<int>(Role::adult) ? Role::adult : Role::child);
  for (int d = 0; d < c.layout.domains; ++d) {
    const int s = states[d];
    line += ",";
    if (s >= 0) line += c.scenario.domains[d].states[s];
    line += ",";
    if (s >= 0) line += std::to_string(months[d]);
  }
  return line;
}

} // namespace socinvest::kernel
