#include "montecarlo/household_rules.hpp"

namespace socinvest::kernel {

HouseholdRules::HouseholdRules(const SimulationContext& c)
    : c_(c), domains_(c.layout.domains), cycle_months_(c.layout.cycle_months), years_(c.layout.years),
      links_(c.model) {
  const Layout& layout = c.layout;
  for (int d = 0; d < layout.domains; ++d) {
    scope_.push_back(c.scenario.domains[d].scope());
    state_base_.push_back(static_cast<int>(band_offset_.size()));
    for (int st = 0; st < layout.states[d]; ++st) {
      band_offset_.push_back(static_cast<std::uint32_t>(band_of_months_.size()));
      const auto& table = layout.band_table[d][st];
      band_cap_.push_back(static_cast<std::uint16_t>(table.size() - 1));
      band_of_months_.insert(band_of_months_.end(), table.begin(), table.end());
      cell_offset_.push_back(layout.cell_offset[d][st]);
      band_ends_offset_.push_back(static_cast<std::uint32_t>(band_ends_.size()));
      for (int edge : layout.edges[d][st]) band_ends_.push_back(static_cast<std::uint16_t>(std::min(edge, 65535)));
      band_ends_.push_back(SpellRow::last_band);
    }
  }
}

} // namespace socinvest::kernel
